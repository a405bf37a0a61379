// The architecture, enforced: which folder of src/ may import which (STYLE.md "In iotops" 1–4,
// 12). A new import that is not in the table below fails here with the file and the import, so
// a back-edge or a cycle between stages cannot land unnoticed. Changing the table is a design
// decision: say why in the commit, and keep it acyclic (the last test checks).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '..', 'src');

/**
 * Folder → folders it may import. Read bottom-up: model is the leaf; document holds what a
 * manifest document is made of (positions, diagnostics, schema building blocks); kinds sit on the
 * AWS port, the languages and document; the stages (manifest, live, plan, render, apply) use
 * kinds through the Kind interface; session wires the stages; controller and cli are the hosts. The emulator is a
 * separate world (a misunderstanding of AWS must not be copied from one side into the other).
 */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  model: [],
  document: ['model'],
  aws: [],
  lang: [],
  source: [],
  emulator: [],
  kinds: ['model', 'aws', 'lang', 'document'],
  manifest: ['model', 'lang', 'document', 'kinds'],
  live: ['model', 'aws', 'kinds'],
  plan: ['model', 'kinds', 'lang'],
  render: ['model'],
  apply: ['model', 'aws', 'kinds', 'plan'],
  session: ['model', 'aws', 'kinds', 'live', 'plan', 'apply'],
  controller: ['model', 'aws', 'kinds', 'manifest', 'source', 'session'],
  cli: ['model', 'aws', 'kinds', 'manifest', 'source', 'plan', 'render', 'apply', 'session', 'controller', 'emulator'],
};

/** Folders that are pure: no file system, no processes, no SDK (STYLE.md 2). */
const PURE = new Set(['model', 'document', 'lang', 'plan', 'render']);
const IMPURE_MODULES = /^(node:)?(fs|fs\/promises|child_process|net|http|https)$|^@aws-sdk\//;
/** The one file of manifest that reads the fleet from disk; the rest of the stage is pure. */
const MANIFEST_LOADER = 'manifest/fleet-files.ts';

/** What outside src/kinds may import from it: the interface, the registry, the shared helpers. Never a kind's own files. */
const KINDS_PUBLIC = /^kinds\/(index|types|registry)\.ts$|^kinds\/shared\//;

interface Import {
  readonly from: string;
  readonly to: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every static, re-exported and dynamic import of every file under src/, as written. */
function imports(): Import[] {
  return sourceFiles(SRC).flatMap((file) => {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    return info.importedFiles.map((f) => ({ from: relative(SRC, file), to: f.fileName }));
  });
}

/** The src-relative path of a relative import (`.js` written for `.ts` files), or undefined for a package. */
function target(imp: Import): string | undefined {
  if (!imp.to.startsWith('.')) return undefined;
  return relative(SRC, resolve(SRC, dirname(imp.from), imp.to.replace(/\.js$/, '.ts')));
}

const folderOf = (path: string): string => path.split('/')[0]!;

function findCycle(graph: ReadonlyMap<string, ReadonlySet<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of [...graph.keys()].sort()) {
    if (state.has(node)) continue;
    const found = visit(node);
    if (found) return found;
  }
  return undefined;
}

describe('architecture', () => {
  const all = imports();
  const local = all.flatMap((imp) => {
    const to = target(imp);
    return to === undefined ? [] : [{ ...imp, path: to }];
  });

  it('reads the imports it checks (a broken scanner must not pass silently)', () => {
    expect(local.length).toBeGreaterThan(300);
    expect(local.some((i) => i.from === 'cli/apply.ts' && i.path === 'session/apply-session.ts')).toBe(true);
  });

  it('has every folder of src/ in the table', () => {
    const folders = readdirSync(SRC).filter((f) => statSync(join(SRC, f)).isDirectory());
    expect(folders.filter((f) => !(f in ALLOWED))).toEqual([]);
    expect(readdirSync(SRC).filter((f) => !statSync(join(SRC, f)).isDirectory())).toEqual([]);
  });

  it('imports only along the allowed folder edges', () => {
    const violations = local
      .filter((i) => folderOf(i.from) !== folderOf(i.path) && !(ALLOWED[folderOf(i.from)] ?? []).includes(folderOf(i.path)))
      .map((i) => `${i.from} imports ${i.path} (${folderOf(i.from)} may import: ${(ALLOWED[folderOf(i.from)] ?? []).join(', ') || 'nothing'})`);
    expect(violations).toEqual([]);
  });

  it('reaches a kind only through the Kind interface, the registry and kinds/shared', () => {
    const violations = local.filter((i) => folderOf(i.from) !== 'kinds' && folderOf(i.path) === 'kinds' && !KINDS_PUBLIC.test(i.path)).map((i) => `${i.from} imports ${i.path}`);
    expect(violations).toEqual([]);
  });

  it('keeps the SDK in src/aws and the pure stages free of I/O', () => {
    const sdk = all.filter((i) => i.to.startsWith('@aws-sdk/') && folderOf(i.from) !== 'aws').map((i) => `${i.from} imports ${i.to}`);
    expect(sdk).toEqual([]);
    const impure = all
      .filter((i) => (PURE.has(folderOf(i.from)) || (folderOf(i.from) === 'manifest' && i.from !== MANIFEST_LOADER)) && IMPURE_MODULES.test(i.to))
      .map((i) => `${i.from} imports ${i.to}`);
    expect(impure).toEqual([]);
  });

  it('has no import cycle between folders, and a table without one', () => {
    const actual = new Map<string, Set<string>>();
    for (const i of local) {
      const [a, b] = [folderOf(i.from), folderOf(i.path)];
      if (a !== b) (actual.get(a) ?? actual.set(a, new Set()).get(a)!).add(b);
    }
    expect(findCycle(actual)).toBeUndefined();
    expect(findCycle(new Map(Object.entries(ALLOWED).map(([k, v]) => [k, new Set(v)])))).toBeUndefined();
  });

  it('detects a cycle when there is one (the check above can fail)', () => {
    expect(findCycle(new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])]]))).toEqual(['a', 'b', 'c', 'a']);
  });
});
