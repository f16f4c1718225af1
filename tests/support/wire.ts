// How property values travel between the engine, programs and providers over gRPC:
// google.protobuf.Struct, with secrets and unknowns marked in Pulumi's own way.
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

/** A property bag as gRPC carries it, in `google.protobuf.Struct`. */
export type Props = Record<string, unknown>;

/** Drops `undefined` members, which `google.protobuf.Struct` cannot carry (array holes become null). */
export function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : withoutUndefined(v)));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, withoutUndefined(v)]),
    );
  }
  return value;
}

/** Encodes JSON-like props, leaving out `undefined` members. */
export function toStruct(props: Props): Struct {
  return Struct.fromJavaScript(withoutUndefined(props) as Parameters<typeof Struct.fromJavaScript>[0]);
}

/** Decodes a Struct; an absent one is `{}`. */
export function fromStruct(struct: Struct | undefined): Props {
  return struct?.toJavaScript() ?? {};
}

/** The key that marks a special value on the wire (`specialSigKey` in `@pulumi/pulumi/runtime/rpc`). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
/** The `SIG_KEY` value that marks a secret. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** The engine's marker for a value not known yet (during a preview). */
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
