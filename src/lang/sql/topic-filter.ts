// The FROM topic filter of a topic rule: MQTT filter syntax plus AWS IoT's limits.

export interface TopicFilterIssue {
  readonly message: string;
  /** Offset inside the filter text; undefined when the issue is about the whole filter. */
  readonly at?: number;
}

/** AWS IoT: at most 7 forward slashes in a topic or topic filter; 256 bytes. */
const MAX_SLASHES = 7;
const MAX_BYTES = 256;

export function checkTopicFilter(filter: string): TopicFilterIssue[] {
  if (filter.length === 0) return [{ message: 'the FROM topic filter is empty' }];
  const issues: TopicFilterIssue[] = [];
  if (filter.startsWith('$aws/rules/')) {
    issues.push({
      message: "rules cannot subscribe to Basic Ingest topics ($aws/rules/...): devices publishing to $aws/rules/<rule>/<topic> invoke the rule directly; write FROM '<topic>' or omit FROM",
    });
  }
  const levels = filter.split('/');
  let at = 0;
  levels.forEach((level, i) => {
    const hash = level.indexOf('#');
    if (hash !== -1 && (level !== '#' || i !== levels.length - 1)) {
      issues.push({ message: '"#" must be a whole topic level and the last one (e.g. sensors/#)', at: at + hash });
    }
    const plus = level.indexOf('+');
    if (plus !== -1 && level !== '+') {
      issues.push({ message: '"+" must be a whole topic level (e.g. sensors/+/telemetry)', at: at + plus });
    }
    at += level.length + 1;
  });
  if (filter.includes('\u0000')) issues.push({ message: 'the topic filter contains a NUL character', at: filter.indexOf('\u0000') });
  const slashes = levels.length - 1;
  if (slashes > MAX_SLASHES) {
    issues.push({ message: `the topic filter has ${slashes} "/" level separators; AWS IoT allows at most ${MAX_SLASHES}` });
  }
  const bytes = new TextEncoder().encode(filter).length;
  if (bytes > MAX_BYTES) issues.push({ message: `the topic filter is ${bytes} bytes; AWS IoT allows at most ${MAX_BYTES}` });
  return issues;
}
