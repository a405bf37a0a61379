import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/manifest/yaml-source.js';
import { substituteVariables } from '../../src/manifest/variables.js';

function sub(text: string, vars: Record<string, string> = {}, env: Record<string, string> = {}): { value: unknown; problems: ReturnType<typeof substituteVariables> } {
  const { documents, diagnostics } = parseYaml('f.yaml', text);
  expect(diagnostics).toEqual([]);
  const problems = substituteVariables(documents[0], { vars, env });
  return { value: documents[0].doc.toJS(), problems };
}

describe('variable substitution', () => {
  it('types a whole unquoted reference from its text, keeps quoted and embedded references as text', () => {
    const { value } = sub('n: {{ var.n }}\nb: {{var.b}}\nq: "{{ var.n }}"\ne: x-{{ var.n }}-y\nplain: {{ var.s }}\n', { n: '42', b: 'true', s: 'hello' });
    expect(value).toEqual({ n: 42, b: true, q: '42', e: 'x-42-y', plain: 'hello' });
  });

  it('substitutes inside lists and nested maps, and from the environment', () => {
    const { value } = sub('a:\n  - "{{ env.HOME_DIR }}"\n  - { k: "{{ var.v }}" }\n', { v: 'x' }, { HOME_DIR: '/home/u' });
    expect(value).toEqual({ a: ['/home/u', { k: 'x' }] });
  });

  it('leaves AWS ${...} and non-variable braces untouched', () => {
    const text = 'r: "arn:${iot:Connection.Thing.ThingName}"\ns: "SELECT ${topic(2)}"\nt: "{{ other.x }} and {{ x }}"\n';
    expect(sub(text).value).toEqual({ r: 'arn:${iot:Connection.Thing.ThingName}', s: 'SELECT ${topic(2)}', t: '{{ other.x }} and {{ x }}' });
  });

  it('reports each undefined variable with the position of its value and the field path', () => {
    const { problems } = sub('spec:\n  list:\n    - ok\n    - "{{ var.missing }}"\n  count: {{ env.NOPE }}\n');
    expect(problems.map((p) => [p.at.line, p.at.column, p.path, p.message])).toEqual([
      [4, 7, ['spec', 'list', 1], 'undefined variable var.missing (not set in iotops.yaml `vars:` or the --env file)'],
      [5, 10, ['spec', 'count'], 'undefined variable env.NOPE (not set in the process environment)'],
    ]);
  });
});
