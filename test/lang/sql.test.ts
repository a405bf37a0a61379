import { describe, expect, it } from 'vitest';
import { checkTopicRuleSql } from '../../src/lang/sql/index.js';

const V2016 = '2016-03-23';

const VALID: [string, string?][] = [
  ["SELECT * FROM 'my-service/audits'"],
  ["select * from 'a/b' where temperature > 50"],
  ["SELECT color AS rgb FROM 'topic/subtopic' WHERE temperature > 50"],
  ["SELECT *, timestamp() AS ts, topic(2) AS device FROM 'sensors/+/telemetry'"],
  ["SELECT state.reported.temperature AS t FROM '$aws/things/+/shadow/update/accepted'"],
  ["SELECT state.reported.* FROM '$aws/things/+/shadow/update/documents'"],
  ["SELECT readings[0].value AS first FROM 'sensors/#'"],
  ["SELECT VALUE readings FROM 'sensors/+/batch'"],
  ["SELECT value FROM 'sensors/x'", '2015-10-08'],
  ["SELECT a FROM 'x' WHERE (a + 1) * 2 % 3 <> 4 AND NOT b = 'on' OR c != -5.5e2"],
  ["SELECT a FROM 'x' WHERE a IS NOT NULL AND b IS UNDEFINED AND c IS NULL"],
  ["SELECT CASE color WHEN 'green' THEN 'go' WHEN 'red' THEN 'stop' ELSE 'caution' END AS instruction FROM 'a'"],
  ["SELECT CASE WHEN temp > 30 THEN 'hot' END AS feel FROM 'a'"],
  ["SELECT cast(battery AS Decimal) AS b, lower(\"ID\") AS id FROM 'a'"],
  ["SELECT {'latitude': get(lat_long, 0), 'longitude': get(lat_long, 1)} AS pos, [lat, long] AS ll FROM 'topic/subtopic'"],
  ["SELECT (SELECT VALUE r.value FROM readings AS r WHERE r.value > 10) AS high FROM 'a'"],
  ["SET @c = (f - 32) * 5 / 9, @d = @c * 2 SELECT @c AS celsius, @d AS double FROM 'device/data' WHERE @c > 20"],
  ["SELECT concat(clientid(), '${not-a-template-inside-a-string}') AS x FROM 'a'"],
  ["SELECT aws_lambda('arn:aws:lambda:eu-central-1:123456789012:function:f', *) AS r FROM 'a'"],
  ["SELECT isNull(a) AS n, ISUNDEFINED(b) AS u, sha256(c) AS h, get_or_default(d, 0) AS d FROM 'a'"],
  ["SELECT * WHERE temperature > 50"],
  ["SELECT 'it''s' AS quote, \"say \\\"hi\\\"\" AS esc FROM 'a'"],
  ["SELECT * FROM 'a/b/c/d/e/f/g/#'"],
  ["  SELECT *\n  FROM 'multi/line'\n  WHERE x = true AND y = false  "],
  ["SELECT * FROM 'a'", 'beta'],
  // The developer guide's nested-query examples (iot-sql-nested-queries).
  ["SELECT (SELECT VALUE n FROM e) as sensors FROM 'my/topic'"],
  ["SELECT (SELECT v FROM e WHERE n = 'temperature') as temperature FROM 'my/topic'"],
  ["SELECT get((SELECT v FROM e WHERE n = 'temperature'), 0).v as temperature FROM 'topic'"],
  ["SELECT encode(*, 'base64') AS data, timestamp() AS ts FROM 'binary/+'"],
];

interface Invalid {
  readonly sql: string;
  /** The offending text; the issue's offset must be where it first occurs. */
  readonly at: string;
  readonly fragment: string;
  readonly version?: string;
}

const INVALID: Invalid[] = [
  { sql: "SELECT * FROM 'a", at: "'a", fragment: 'unterminated string' },
  { sql: "SELECT * FROM 'a' WHERE b = \"x", at: '"x', fragment: 'unterminated string' },
  { sql: 'SELECT * FROM a/b', at: 'a/b', fragment: 'quoted topic filter' },
  { sql: "SELECT * FROM 'a' WHERE", at: '', fragment: 'expected an expression but found the end' },
  { sql: "SELECT * FROM 'a' zz", at: 'zz', fragment: 'after the end of the statement' },
  { sql: "SELECT * FROM 'a' WHERE x > 1 yy", at: 'yy', fragment: 'after the end' },
  { sql: "SELECT FROM 'a'", at: 'FROM', fragment: 'expected an expression' },
  { sql: "SELECT a bb FROM 'x'", at: 'bb', fragment: 'after the end' },
  { sql: "SELECT * FROM 'a/+b/c'", at: '+b', fragment: '"+" must be a whole topic level' },
  { sql: "SELECT * FROM 'a/#/c'", at: '#', fragment: '"#" must be a whole topic level and the last' },
  { sql: "SELECT * FROM 'a/b#'", at: '#', fragment: '"#"' },
  { sql: "SELECT * FROM ''", at: "''", fragment: 'empty' },
  { sql: "SELECT * FROM '$aws/rules/audits'", at: "'$aws", fragment: 'Basic Ingest' },
  { sql: "SELECT * FROM 'a/b/c/d/e/f/g/h/i'", at: "'a/b", fragment: 'at most 7' },
  { sql: "SELECT tempertaure(a) FROM 'x'", at: 'tempertaure', fragment: 'unknown function' },
  { sql: "SELECT timestmap() AS t FROM 'x'", at: 'timestmap', fragment: 'did you mean "timestamp"' },
  { sql: "SELECT a FROM 'x' WHERE uper(b) = 'X'", at: 'uper', fragment: 'did you mean "upper"' },
  { sql: "SELECT ${topic()} AS t FROM 'x'", at: '${', fragment: 'substitution templates' },
  { sql: "SELECT * FROM 'x' WHERE a = ${b}", at: '${', fragment: 'rule action parameters' },
  { sql: "SELECT VALUE readings FROM 'x'", at: 'VALUE', fragment: 'needs sqlVersion 2016-03-23', version: '2015-10-08' },
  { sql: "SELECT {'a': 1} AS o FROM 'x'", at: '{', fragment: 'object literals need', version: '2015-10-08' },
  { sql: "SELECT [1, 2] AS o FROM 'x'", at: '[', fragment: 'array literals need', version: '2015-10-08' },
  { sql: "SELECT * FROM 'x'", at: 'SELECT', fragment: 'sqlVersion must be one of', version: '2016-03-24' },
  { sql: "SELECT CASE WHEN a THEN 1 ELSE 2 AS x FROM 'y'", at: 'AS x', fragment: 'expected END' },
  { sql: "SELECT CASE a ELSE 1 END FROM 'y'", at: 'ELSE', fragment: 'expected WHEN' },
  { sql: "SELECT a FROM 'x' WHERE a IS EMPTY", at: 'EMPTY', fragment: 'NULL or UNDEFINED' },
  { sql: "SELECT (a + 1 FROM 'x'", at: 'FROM', fragment: 'expected ")"' },
  { sql: "SELECT f(a,) FROM 'x'", at: ')', fragment: 'expected an expression' },
  { sql: "SELECT a[1 FROM 'x'", at: 'FROM', fragment: 'expected "]"' },
  { sql: "SELECT cast(a, Int) FROM 'x'", at: ',', fragment: 'expected AS' },
  { sql: "SELECT @t AS t FROM 'x'", at: '@t', fragment: 'not defined in the SET clause' },
  { sql: "SET @a = 1, @a = 2 SELECT @a FROM 'x'", at: '@a = 2', fragment: 'assigned twice' },
  { sql: "SET a = 1 SELECT a FROM 'x'", at: 'a = 1', fragment: 'a variable (@name)' },
  { sql: "SELECT * FROM 'x' WHERE a ~ b", at: '~', fragment: 'unexpected character' },
  { sql: "SELECT 12abc FROM 'x'", at: '12abc', fragment: 'malformed number' },
  { sql: "SELECT (SELECT VALUE x) AS y FROM 'a'", at: ')', fragment: 'FROM in a nested query' },
  { sql: '   ', at: '', fragment: 'empty' },
  { sql: "UPDATE things SET a = 1", at: 'UPDATE', fragment: 'expected SELECT' },
  { sql: "SELECT a FROM 'x' WHERE a = 1 = 2", at: '= 2', fragment: 'after the end' },
];

describe('checkTopicRuleSql', () => {
  it.each(VALID)('accepts: %s', (sql, version = V2016) => {
    expect(checkTopicRuleSql(sql, version)).toEqual([]);
  });

  it.each(INVALID)('rejects: $sql', ({ sql, at, fragment, version = V2016 }) => {
    const issues = checkTopicRuleSql(sql, version);
    const match = issues.find((i) => i.message.includes(fragment));
    expect(match, JSON.stringify(issues)).toBeDefined();
    const offset = at === '' ? (sql.trim() === '' ? 0 : sql.length) : at === 'SELECT' && fragment.startsWith('sqlVersion') ? 0 : sql.indexOf(at);
    expect(offset).toBeGreaterThanOrEqual(0);
    expect(match?.offset).toBe(offset);
    expect(match?.code).toBe('sql-invalid');
  });

  it('reports every unknown function and keeps them in offset order', () => {
    const issues = checkTopicRuleSql("SELECT foo(a) AS x, bar(b) AS y FROM 'x/#/y'", V2016);
    expect(issues.map((i) => i.offset)).toEqual([7, 20, 40]);
  });
});
