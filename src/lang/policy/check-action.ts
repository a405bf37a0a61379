// Checks one Action/NotAction entry: a known iot: action, a wildcard that matches one,
// a greengrass: action, or `*`.

import { compileWildcard, MAX_WILDCARDS, wildcardCount } from '../wildcard.js';
import { ALLOWED_ACTION_PREFIXES, IOT_ACTION_NAMES } from './catalog.js';
import { suggestion } from './did-you-mean.js';

export type ActionCheck =
  | { readonly ok: true; readonly prefix: string; readonly name: string; readonly wildcard: boolean }
  | { readonly ok: false; readonly message: string; readonly code?: 'pattern-too-complex' };

const ACTION_FORM = /^([A-Za-z0-9-]+):(.+)$/;

export function checkAction(action: string): ActionCheck {
  if (action === '*') return { ok: true, prefix: '*', name: '*', wildcard: true };
  const form = ACTION_FORM.exec(action);
  if (form === null) {
    return { ok: false, message: `action "${action}" is not of the form service:Name (e.g. iot:Publish)` };
  }
  const prefix = form[1].toLowerCase();
  const name = form[2];
  if (!ALLOWED_ACTION_PREFIXES.includes(prefix)) {
    return {
      ok: false,
      message: `IoT policies authorize only iot: and greengrass: actions; "${action}" belongs in an IAM policy`,
    };
  }
  const wildcard = /[*?]/.test(name);
  if (!/^[A-Za-z0-9*?]+$/.test(name)) {
    return { ok: false, message: `action "${action}" has characters an action name cannot contain` };
  }
  const wildcards = wildcardCount(name);
  if (wildcards > MAX_WILDCARDS) {
    return {
      ok: false,
      code: 'pattern-too-complex',
      message: `action "${action.length > 40 ? `${action.slice(0, 40)}…` : action}" has ${wildcards} wildcards (* and ?); at most ${MAX_WILDCARDS} are allowed`,
    };
  }
  if (prefix !== 'iot') return { ok: true, prefix, name, wildcard };
  if (wildcard) {
    const pattern = compileWildcard(name, { caseInsensitive: true });
    if (IOT_ACTION_NAMES.some((known) => pattern.test(known))) return { ok: true, prefix, name, wildcard };
    return { ok: false, message: `action "${action}" matches no known iot: action` };
  }
  const known = IOT_ACTION_NAMES.find((k) => k.toLowerCase() === name.toLowerCase());
  if (known !== undefined) return { ok: true, prefix, name: known, wildcard };
  return {
    ok: false,
    message: `unknown IoT action "${action}"${suggestion(name, IOT_ACTION_NAMES).replace('"', '"iot:')}`,
  };
}
