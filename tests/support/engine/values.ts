import { isDeepStrictEqual } from "node:util";

import type { Props } from "../struct";

export type { Props };

/** The key that marks a special value on the wire (`specialSigKey` in `@pulumi/pulumi/runtime/rpc`). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
/** The `SIG_KEY` value that marks a secret. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** The string that stands for an unknown value during a preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Wraps a value the way the engine sends a secret to a program. */
export function secret(value: unknown): Props {
  return { [SIG_KEY]: SECRET_SIG, value };
}

/** True for a value in the wire secret form `{ [SIG_KEY]: SECRET_SIG, value }`. */
export function isSecret(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as Props)[SIG_KEY] === SECRET_SIG;
}

/** Removes every secret wrapper, however deep. */
export function reveal(value: unknown): unknown {
  if (isSecret(value)) return reveal(value.value);
  if (Array.isArray(value)) return value.map(reveal);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)]));
  }
  return value;
}

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
