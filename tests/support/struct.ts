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
