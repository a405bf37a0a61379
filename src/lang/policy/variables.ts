// Policy variables (`${iot:ClientId}`, ...) inside resource and condition strings.

export interface VariableScan {
  /** The names between `${` and `}`, in order of appearance. */
  readonly names: readonly string[];
  /** True when a `${` has no closing `}`. */
  readonly unterminated: boolean;
}

export function scanPolicyVariables(text: string): VariableScan {
  const names: string[] = [];
  let at = text.indexOf('${');
  while (at !== -1) {
    const end = text.indexOf('}', at + 2);
    if (end === -1) return { names, unterminated: true };
    names.push(text.slice(at + 2, end));
    at = text.indexOf('${', end + 1);
  }
  return { names, unterminated: false };
}
