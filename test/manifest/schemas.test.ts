// schemas/*.json (what editors load through `# yaml-language-server: $schema=...`) must equal
// the schema objects the validator compiles. Regenerate with UPDATE_SCHEMAS=1.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { schemaFiles } from '../../src/manifest/schema/kinds.js';

const dir = new URL('../../schemas/', import.meta.url);

describe('schemas/', () => {
  const files = schemaFiles();

  it('holds exactly one file per generated schema, byte-identical to the validator schemas', () => {
    for (const [name, schema] of files) {
      const text = `${JSON.stringify(schema, null, 2)}\n`;
      const url = new URL(name, dir);
      if (process.env.UPDATE_SCHEMAS === '1') writeFileSync(url, text);
      expect(existsSync(url), `${name} missing: run with UPDATE_SCHEMAS=1`).toBe(true);
      expect(readFileSync(url, 'utf8'), `${name} is stale: run with UPDATE_SCHEMAS=1`).toBe(text);
    }
    expect(readdirSync(dir).filter((f) => f.endsWith('.schema.json')).sort()).toEqual(files.map(([n]) => n));
  });

  it('gives every schema a distinct $id, a description, and compiles under strict ajv', () => {
    const ids = new Set(files.map(([, s]) => s.$id));
    expect(ids.size).toBe(files.length);
    const ajv = new Ajv({ strict: true, allowUnionTypes: true, strictTypes: false });
    for (const [name, s] of files) {
      expect(typeof s.description, name).toBe('string');
      expect(() => ajv.compile(s as object), name).not.toThrow();
    }
  });
});
