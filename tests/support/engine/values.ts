import { isDeepStrictEqual } from "node:util";

import { isSecret, reveal, secret, type Props } from "../wire";

export { SECRET_SIG, SIG_KEY, UNKNOWN, isSecret, reveal, secret, type Props } from "../wire";

function containsSecret(value: unknown): boolean {
  if (isSecret(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecret);
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsSecret);
  return false;
}

/**
 * Splits wire properties into plain values and the names of the top-level
 * properties that were (or contained) secrets.
 */
export function splitSecrets(props: Props): { plain: Props; secretKeys: string[] } {
  const secretKeys = Object.keys(props).filter((k) => containsSecret(props[k]));
  return { plain: reveal(props) as Props, secretKeys };
}

/** Wraps the named top-level properties as secrets (those absent are skipped). */
export function wrapSecrets(plain: Props, secretKeys: readonly string[]): Props {
  const out: Props = { ...plain };
  for (const key of secretKeys) {
    if (key in out && !isSecret(out[key])) out[key] = secret(out[key]);
  }
  return out;
}

/** Deep equality of plain values (what the fake resources diff with). */
export function sameValues(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(a, b);
}
