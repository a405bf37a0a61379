import { describe, expect, it } from 'vitest';
import { substituteVariables } from '../../src/manifest/variables.js';
import { parseYamlValues } from '../../src/manifest/yaml-values.js';

function sub(text: string, vars: Record<string, string> = {}, env: Record<string, string> = {}): ReturnType<typeof substituteVariables> {
  const [doc] = parseYamlValues(text);
  expect(doc.errors).toBeUndefined();
  return substituteVariables(doc.value, { vars, env });
}

describe('variable substitution', () => {
  it('types a whole unquoted reference from its text, keeps quoted and embedded references as text', () => {
    const { value } = sub('n: {{ var.n }}\nb: {{var.b}}\nq: "{{ var.n }}"\ne: x-{{ var.n }}-y\nplain: {{ var.s }}\n', { n: '42', b: 'true', s: 'hello' });
    expect(value).toEqual({ n: 42, b: true, q: '42', e: 'x-42-y', plain: 'hello' });
  });

  it('substitutes inside lists and nested maps, and from the environment', () => {
    const { value } = sub('a:\n  - "{{ env.IOTOPS_VAR_HOME_DIR }}"\n  - { k: "{{ var.v }}" }\n', { v: 'x' }, { IOTOPS_VAR_HOME_DIR: '/home/u' });
    expect(value).toEqual({ a: ['/home/u', { k: 'x' }] });
  });

  it('leaves AWS ${...} and non-variable braces untouched', () => {
    const text = 'r: "arn:${iot:Connection.Thing.ThingName}"\ns: "SELECT ${topic(2)}"\nt: "{{ other.x }} and {{ x }}"\n';
    expect(sub(text).value).toEqual({ r: 'arn:${iot:Connection.Thing.ThingName}', s: 'SELECT ${topic(2)}', t: '{{ other.x }} and {{ x }}' });
  });

  it('reports each undefined variable with the field path (positions: see the undefined-variable fixture)', () => {
    const { problems } = sub('spec:\n  list:\n    - ok\n    - "{{ var.missing }}"\n  count: {{ env.IOTOPS_VAR_NOPE }}\n');
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      [['spec', 'list', 1], 'undefined variable var.missing (not set in iotops.yaml `vars:` or the --env file)'],
      [['spec', 'count'], 'undefined variable env.IOTOPS_VAR_NOPE (not set in the process environment)'],
    ]);
  });
});
