// One line per controller event for people watching a terminal:
//   22:47:32 INFO  reconcile finished  revision=de00d34ef915 changes="56 to create, 1 to update" applied=true
// pino writes JSON; this turns each JSON line into that form. Long hashes (git shas, content
// digests) are shortened to 12 characters; the JSON format (--log-format json) keeps them whole.
// Messages and fields carry names and errors from the fleet and from AWS: control characters are
// escaped (escapeControl), so a resource name cannot move the cursor or recolour the terminal.
import { pino, type Logger, type LevelWithSilent } from 'pino';
import { escapeControl, escapeControlLines, escapeJsonText } from '../model/escape.js';

const LEVELS: Readonly<Record<number, { readonly name: string; readonly color: string }>> = {
  10: { name: 'TRACE', color: '\x1b[90m' },
  20: { name: 'DEBUG', color: '\x1b[90m' },
  30: { name: 'INFO ', color: '\x1b[32m' },
  40: { name: 'WARN ', color: '\x1b[33m' },
  50: { name: 'ERROR', color: '\x1b[31m' },
  60: { name: 'FATAL', color: '\x1b[35m' },
};
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname']);
const HASH = /^(sha256:)?([0-9a-f]{40,64})$/;

export function prettyLogger(props: { readonly level: LevelWithSilent; readonly write: (text: string) => void; readonly color: boolean }): Logger {
  return pino({ level: props.level, base: undefined }, { write: (line: string) => props.write(formatLogLine(line, props.color)) });
}

/** Formats one pino JSON line; anything that is not JSON is passed through. */
export function formatLogLine(line: string, color = false): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return escapeControlLines(line);
  }
  const level = LEVELS[Number(rec.level)] ?? { name: escapeControl(String(rec.level)), color: '' };
  const time = typeof rec.time === 'number' ? new Date(rec.time).toTimeString().slice(0, 8) : '';
  const fields = Object.entries(rec)
    .filter(([k, v]) => !HIDDEN.has(k) && v !== undefined)
    .map(([k, v]) => `${escapeControl(k)}=${formatValue(v)}`);
  const head = color ? `${level.color}${level.name}\x1b[0m` : level.name;
  const text = escapeControl(String(rec.msg ?? ''));
  const msg = color ? `\x1b[1m${text}\x1b[0m` : text;
  return `${time} ${head} ${msg}${fields.length > 0 ? `  ${fields.join(' ')}` : ''}\n`;
}

function formatValue(v: unknown): string {
  if (typeof v === 'string') {
    const m = HASH.exec(v);
    const s = m ? `${m[1] ?? ''}${m[2]!.slice(0, 12)}` : v;
    return /[\s"=]/.test(s) || s === '' || escapeControl(s) !== s ? quoted(s) : s;
  }
  if (v && typeof v === 'object' && 'message' in v && typeof (v as { message: unknown }).message === 'string') {
    return quoted((v as { message: string }).message); // serialized errors: the message, not the stack
  }
  return typeof v === 'object' ? escapeJsonText(JSON.stringify(v)) : escapeControl(String(v));
}

/** A JSON string literal with nothing raw a terminal would act on (JSON.stringify leaves C1 raw). */
function quoted(s: string): string {
  return escapeJsonText(JSON.stringify(s));
}
