// The emulator's IoT SQL parser: statements AWS accepts must parse, broken ones must not.
import { describe, expect, it } from 'vitest';
import { parseSql, SqlSyntaxError } from '../../src/emulator/sql/parser.js';

const valid: ReadonlyArray<readonly [string, string | undefined]> = [
  ["SELECT * FROM 'sensors/+/data'", 'sensors/+/data'],
  ["select temperature AS t, humidity FROM 'a/b' WHERE temperature > 50", 'a/b'],
  ["SELECT *, topic(2) AS device, timestamp() AS ts FROM 'devices/#'", 'devices/#'],
  ["SELECT state.reported.temp AS temp FROM '$aws/things/+/shadow/update/accepted'", '$aws/things/+/shadow/update/accepted'],
  ["SELECT VALUE state.reported FROM 't'", 't'],
  ["SELECT value FROM 't'", 't'],
  ["SELECT encode(*, 'base64') AS data FROM 'raw/#'", 'raw/#'],
  ["SELECT cast(t AS Int) AS i, a[0] AS first, {\"k\": 1, \"l\": [1, 2]} AS obj FROM 'x'", 'x'],
  ["SELECT CASE color WHEN 'red' THEN 1 WHEN 'blue' THEN 2 ELSE 0 END AS c FROM 'x' WHERE NOT (a = 1 OR b <> 'z') AND c IN [1, 2]", 'x'],
  ["SELECT (SELECT v FROM e WHERE n > 1) AS items FROM 'x'", 'x'],
  ["SELECT aws_lambda(\"arn:aws:lambda:us-east-1:123456789012:function:f\", {\"payload\": a}) AS out FROM 'x'", 'x'],
  ["SELECT -a * (b + 2.5e3) % 4 / c - 1 AS n FROM 'x' WHERE a >= -1 AND b <= 2 AND c < 3", 'x'],
  ['SELECT * ', undefined],
  ["SET @t = temperature SELECT @t AS temp FROM 'x' WHERE @t > 3", 'x'],
];

const invalid: readonly string[] = [
  '',
  'SELEC * FROM \'x\'',
  "SELECT FROM 'x'",
  'SELECT * FROM x',
  "SELECT * FROM 'a/#/b'",
  "SELECT * FROM 'a/b+'",
  "SELECT * FROM ''",
  "SELECT * FROM 'x' WHERE",
  "SELECT * FROM 'x' WHERE a >",
  "SELECT a AS FROM 'x'",
  "SELECT (a FROM 'x'",
  "SELECT * FROM 'x' trailing garbage",
  "SELECT * FROM 'unterminated",
  "SELECT cast(a) FROM 'x'",
  "SELECT CASE WHEN a THEN 1 FROM 'x'",
  "SELECT a ; FROM 'x'",
];

describe('IoT SQL parser', () => {
  it.each(valid)('accepts %s', (sql, topic) => {
    expect(parseSql(sql).topicFilter).toBe(topic);
  });

  it.each(invalid)('rejects %j', (sql) => {
    expect(() => parseSql(sql)).toThrow(SqlSyntaxError);
  });

  it('keeps aliases and the VALUE flag in the tree', () => {
    const s = parseSql("SELECT VALUE a.b FROM 't'");
    expect(s.value).toBe(true);
    expect(parseSql("SELECT a x, b AS y FROM 't'").items.map((i) => i.alias)).toEqual(['x', 'y']);
  });
});
