// MQTT topic filters as the FROM clause takes them.

/** Why `filter` is not a valid MQTT topic filter, or undefined when it is. */
export function topicFilterProblem(filter: string): string | undefined {
  if (filter.length === 0) return 'The topic filter is empty';
  if (Buffer.byteLength(filter, 'utf8') > 256) return 'The topic filter is longer than 256 bytes';
  if (filter.includes('\u0000')) return 'The topic filter contains a NUL character';
  const levels = filter.split('/');
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i];
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) {
      return "'#' must be the whole last level of the topic filter";
    }
    if (level.includes('+') && level !== '+') return "'+' must occupy a whole level of the topic filter";
  }
  return undefined;
}
