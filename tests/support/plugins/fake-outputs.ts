import { createHash } from "node:crypto";
import type { Props } from "../wire";

/** A resource ID in AWS's lowercase form, the same for the same URN: 20 hex digits. */
export function fakeId(urn: string): string {
  return createHash("sha256").update(urn).digest("hex").slice(0, 20);
}

/**
 * The outputs a stand-in provider returns for a resource: its inputs as given (secrets stay
 * marked), an `id` from `fakeId`, and an `arn` in AWS's form built from the type and the name
 * (`arn:aws:iam::123456789012:role/<name>`, `arn:aws:ssm:us-west-2:123456789012:parameter/<name>`).
 * An object `metadata` without a `name` (a Kubernetes object's) gets one as the Kubernetes
 * provider auto-names: the resource's name and a suffix, here `fakeId`'s first 8 digits.
 */
export function fakeOutputs(urn: string, inputs: Props): Props {
  const [, , typeChain = "", name = ""] = urn.split("::");
  const [pkg = "", module = "", kind = ""] = (typeChain.split("$").pop() ?? "").split(":");
  const service = module.split("/")[0] ?? "";
  const region = service === "iam" ? "" : "us-west-2";
  const id = fakeId(urn);
  const outputs: Props = {
    ...inputs,
    id,
    arn: `arn:${pkg}:${service}:${region}:123456789012:${kind.toLowerCase()}/${name}`,
  };
  const metadata = inputs["metadata"];
  if (typeof metadata === "object" && metadata !== null && !Array.isArray(metadata) && !("name" in metadata)) {
    outputs["metadata"] = { ...metadata, name: `${name}-${id.slice(0, 8)}` };
  }
  return outputs;
}
