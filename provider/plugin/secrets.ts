import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime";
import type { Props } from "../lifecycle/inputs";

/** A secret as it crosses Pulumi's provider protocol: the value inside an object marked with the secret signature. */
interface WrappedSecret {
  [specialSigKey]: typeof specialSecretSig;
  value: unknown;
}

function isWrappedSecret(value: unknown): value is WrappedSecret {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[specialSigKey] === specialSecretSig
  );
}

/** `value` with every secret wrapper, at any depth, replaced by the value it holds. */
function unwrapped(value: unknown): unknown {
  if (isWrappedSecret(value)) return unwrapped(value.value);
  if (Array.isArray(value)) return value.map(unwrapped);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, unwrapped(member)]));
  }
  return value;
}

/** Whether `value` is, or holds at any depth, a secret. */
function holdsSecret(value: unknown): boolean {
  if (isWrappedSecret(value)) return true;
  if (typeof value !== "object" || value === null) return false;
  return Object.values(value).some(holdsSecret);
}

/**
 * A property bag as the engine sends it to a provider that accepts secrets, made plain for the
 * lifecycle: `plain` holds no secret wrapper, and `secretNames` names the properties that held a
 * secret at any depth, so that what is made of them can be returned secret again (`withSecrets`).
 */
export function revealed(props: Props): { plain: Props; secretNames: string[] } {
  return {
    plain: unwrapped(props) as Props,
    secretNames: Object.keys(props).filter((name) => holdsSecret(props[name])),
  };
}

/** `props` with the value of each property of `names` that it has wrapped as a secret, for the engine to store encrypted. */
export function withSecrets(props: Props, names: Iterable<string>): Props {
  const secret = new Set(names);
  return Object.fromEntries(
    Object.entries(props).map(([name, value]) => [
      name,
      secret.has(name) ? { [specialSigKey]: specialSecretSig, value } : value,
    ]),
  );
}
