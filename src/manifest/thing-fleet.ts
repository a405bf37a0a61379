// ThingFleet: a generator that expands into Things, either `count` + `nameTemplate` or `from`
// a CSV file (header: name, type, groups, attributes.<key>...; groups separated by `;`).
// Generated things keep locators into the generator's template or CSV row, so later checks
// point at the line a human wrote. Template problems are reported once (diagnostics with the
// same position and message collapse).
import { parse } from 'csv-parse/sync';
import type { FieldPath } from '../document/diagnostics.js';
import type { DocContext, Locator } from '../document/context.js';
import { diagAt, fixedLocator } from '../document/context.js';
import type { DesiredResourceOf } from '../model/resource.js';
import { NAME_RULES } from '../document/schema.js';
import { readReferenced } from '../document/referenced-file.js';
import type { Declared, NormalizeProps, RawSpec } from '../document/normalize.js';
import { nameSet, stringMap } from '../document/normalize.js';

export const CSV_GROUP_SEPARATOR = ';';
const PLACEHOLDER = /\{([a-z]+)(?::([0-9]+))?\}/g;
const THING_NAME = new RegExp(NAME_RULES.ThingName.pattern);

interface Row {
  readonly line: number;
  readonly name?: string;
  readonly type?: string;
  readonly attributes: Record<string, string>;
  readonly groups: string[];
}

function render(template: string, index: number, name: string | undefined): string {
  return template.replace(PLACEHOLDER, (_all, key: string, width?: string) => {
    if (key === 'name') return name ?? '';
    const digits = String(index);
    return width ? digits.padStart(Number(width), '0') : digits;
  });
}

function templateProblem(template: string, csv: boolean): string | undefined {
  const keys = [...template.matchAll(PLACEHOLDER)].map((m) => m[1]);
  const unknown = keys.find((k) => k !== 'index' && k !== 'name');
  if (unknown) return `unknown placeholder {${unknown}}; use {index}, {index:04}${csv ? ' or {name}' : ''}`;
  if (!csv && !keys.includes('index')) return 'nameTemplate must contain {index} (or {index:NN}) so every thing gets a distinct name';
  if (csv && !keys.includes('index') && !keys.includes('name')) return 'nameTemplate must contain {name} or {index} so every row gets a distinct name';
  if (!csv && keys.includes('name')) return '{name} is only available with `from:` (CSV)';
  return undefined;
}

function parseCsv(p: NormalizeProps, path: string, text: string): Row[] | undefined {
  const fail = (line: number, message: string): undefined => {
    p.emit(diagAt({ ...p.ctx, locate: fixedLocator(path, { line, column: 1 }) }, 'csv-invalid', [], message));
    return undefined;
  };
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true, info: true }) as typeof records;
  } catch (err) {
    const line = typeof (err as { lines?: unknown }).lines === 'number' ? (err as { lines: number }).lines : 1;
    return fail(line, `${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const header = Object.keys(records[0]?.record ?? {});
  const bad = header.find((c) => !['name', 'type', 'groups'].includes(c) && !/^attributes\.[^.].*$/.test(c));
  if (bad !== undefined) return fail(1, `${path}: unknown column "${bad}" (expected name, type, groups, attributes.<key>)`);
  return records.map(({ record, info }) => {
    const attributes: Record<string, string> = {};
    for (const [col, v] of Object.entries(record)) if (col.startsWith('attributes.') && v !== '') attributes[col.slice(11)] = v;
    return {
      line: info.lines,
      ...(record.name ? { name: record.name } : {}),
      ...(record.type ? { type: record.type } : {}),
      attributes,
      groups: (record.groups ?? '').split(CSV_GROUP_SEPARATOR).map((g) => g.trim()).filter(Boolean),
    };
  });
}

function thing(name: string, raw: RawSpec, ctx: DocContext, source: DesiredResourceOf<'Thing'>['source']): Declared {
  const resource: DesiredResourceOf<'Thing'> = {
    kind: 'Thing',
    name,
    tags: {},
    source,
    spec: { ...(raw.type === undefined ? {} : { type: String(raw.type) }), attributes: stringMap(raw.attributes), groups: nameSet(raw.groups) },
  };
  return { resource, ctx, raw };
}

export function expandThingFleet(p: NormalizeProps): Declared[] {
  const s = p.spec;
  const tpl: RawSpec = s.template ?? {};
  const tplGroups: unknown[] = Array.isArray(tpl.groups) ? tpl.groups : [];
  const toTemplate: Locator = (path, key) => {
    if (path[0] === 'metadata' && path[1] === 'name') return p.ctx.locate(['spec', 'nameTemplate'], key);
    if (path[0] === 'spec') return p.ctx.locate(['spec', 'template', ...path.slice(1)], key);
    return p.ctx.locate(path, key);
  };
  const csv = s.from !== undefined;
  if (csv === (s.count !== undefined)) {
    p.emit(diagAt(p.ctx, 'thing-fleet-source', ['spec'], csv ? 'give either count or from, not both' : 'a ThingFleet needs spec.count (with nameTemplate) or spec.from (a CSV file)'));
    return [];
  }
  const nameTemplate = s.nameTemplate === undefined ? undefined : String(s.nameTemplate);
  if (!csv && nameTemplate === undefined) {
    p.emit(diagAt(p.ctx, 'thing-fleet-template', ['spec'], 'spec.count needs spec.nameTemplate, e.g. "sensor-{index:04}"'));
    return [];
  }
  const problem = nameTemplate === undefined ? undefined : templateProblem(nameTemplate, csv);
  if (problem) {
    p.emit(diagAt(p.ctx, 'thing-fleet-template', ['spec', 'nameTemplate'], problem));
    return [];
  }
  const badName = (name: string, ctx: DocContext): boolean => {
    if (name.length >= 1 && name.length <= NAME_RULES.ThingName.maxLength && THING_NAME.test(name)) return false;
    p.emit(diagAt(ctx, 'name-pattern', ['metadata', 'name'], `generated Thing name ${JSON.stringify(name)} is invalid: AWS requires 1–${NAME_RULES.ThingName.maxLength} characters matching ${NAME_RULES.ThingName.pattern}`));
    return true;
  };
  if (!csv) {
    const ctx: DocContext = { ...p.ctx, locate: toTemplate };
    const count = Number(s.count);
    const template = nameTemplate as string;
    // Every name differs only in its digits: checking the longest one checks them all.
    if (badName(render(template, count, undefined), ctx)) return [];
    const out: Declared[] = new Array(count);
    for (let i = 1; i <= count; i++) out[i - 1] = thing(render(template, i, undefined), tpl, ctx, p.source);
    return out;
  }
  const ref = readReferenced(p, ['spec', 'from'], String(s.from));
  if (!ref) return [];
  const rows = parseCsv(p, ref.path, ref.text);
  if (!rows) return [];
  const out: Declared[] = [];
  rows.forEach((row, i) => {
    const at = { line: row.line, column: 1 };
    const rowLocator = fixedLocator(ref.path, at);
    const locate: Locator = (path: FieldPath, key?: boolean) => {
      const [a, b, c] = path;
      if (a === 'metadata') return nameTemplate === undefined ? rowLocator(path) : toTemplate(path, key);
      if (b === 'type') return row.type === undefined ? toTemplate(path, key) : rowLocator(path);
      if (b === 'attributes' && c !== undefined && !(String(c) in row.attributes)) return toTemplate(path, key);
      if (b === 'groups' && typeof c === 'number' && c < tplGroups.length) return toTemplate(path, key);
      return a === 'spec' && b === undefined ? toTemplate(path, key) : rowLocator(path);
    };
    const ctx: DocContext = { ...p.ctx, locate };
    const name = nameTemplate === undefined ? row.name : render(nameTemplate, i + 1, row.name);
    if (name === undefined || name === '') {
      p.emit(diagAt(ctx, 'csv-invalid', [], `${ref.path}: row has no name (add a "name" column or a nameTemplate)`));
      return;
    }
    if (badName(name, ctx)) return;
    const raw: RawSpec = {
      ...(row.type ?? tpl.type ? { type: row.type ?? tpl.type } : {}),
      attributes: { ...(tpl.attributes ?? {}), ...row.attributes },
      groups: [...tplGroups, ...row.groups],
    };
    out.push(thing(name, raw, ctx, { file: ref.path, line: row.line, column: 1 }));
  });
  return out;
}
