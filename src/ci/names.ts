// Attribute names from the flake end up in shell commands and job ids, so
// they are checked against a conservative pattern first.
import { UserError } from '../command.js';

const SAFE_ATTR = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function assertSafeAttr(name: string, what: string): string {
  if (!SAFE_ATTR.test(name)) {
    throw new UserError(
      `${what} ${JSON.stringify(name)} cannot be used in CI: names must match ${SAFE_ATTR.source}`,
    );
  }
  return name;
}

/** `a == 'x' || a == 'y'` for a workflow `if:`; values are pre-validated names. */
export function oneOf(expr: string, values: readonly string[]): string {
  return values.map((v) => `${expr} == '${v}'`).join(' || ');
}
