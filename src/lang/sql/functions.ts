// Built-in functions of AWS IoT SQL (iot-sql-functions), matched case-insensitively.

export const SQL_FUNCTIONS: readonly string[] = [
  'abs', 'accountid', 'acos', 'asin', 'atan', 'atan2', 'aws_lambda', 'bitand', 'bitor', 'bitxor', 'bitnot',
  'cast', 'ceil', 'chr', 'clientid', 'concat', 'cos', 'cosh', 'decode', 'encode', 'endswith', 'exp', 'floor',
  'get', 'get_dynamodb', 'get_mqtt_property', 'get_or_default', 'get_registry_data', 'get_secret',
  'get_thing_shadow', 'get_user_properties', 'indexof', 'isNull', 'isUndefined', 'length', 'ln', 'log',
  'lower', 'lpad', 'ltrim', 'machinelearning_predict', 'mod', 'nanvl', 'newuuid', 'numbytes', 'parse_time',
  'power', 'principal', 'rand', 'regexp_matches', 'regexp_replace', 'regexp_substr', 'remainder', 'replace',
  'rpad', 'round', 'rtrim', 'sign', 'sin', 'sinh', 'sourceip', 'substring', 'sql_version', 'sqrt',
  'startswith', 'tan', 'tanh', 'time_to_epoch', 'timestamp', 'topic', 'traceid', 'transform', 'trim',
  'trunc', 'upper',
  // Hashing functions.
  'md2', 'md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512',
];

const LOWER: ReadonlySet<string> = new Set(SQL_FUNCTIONS.map((f) => f.toLowerCase()));

export function isKnownSqlFunction(name: string): boolean {
  return LOWER.has(name.toLowerCase());
}
