// The resources the benchmark declares, under Pulumi's mocks (`declare-resources.ts`) and in the
// Pulumi program the real CLI runs (`real-cli.ts`): the package's credentials, or the floor.

import * as pulumi from "@pulumi/pulumi";
import type * as Package from "../provider";
import { OUTPUT_NAMES } from "../provider/lifecycle/inputs";

/** What a benchmark declares: the package's credentials, or the trivial floor. */
export type ResourceKind = "credentials" | "trivial";

const INPUTS = {
  virtualClusterIdentifier: "vc0123456789abcdefghij",
  endpointIdentifier: "ep0123456789abcdefghij",
  executionRoleArn: "arn:aws:iam::123456789012:role/emr-notebook-execution",
  region: "us-west-2",
};

/** A provider that does nothing, one object shared by every trivial resource. */
const trivialProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: Record<string, unknown>) {
    return { id: "trivial", outs: inputs };
  },
};

/**
 * The floor: a dynamic resource with the credentials' shape (the same inputs, the resource's
 * name, the seven outputs as `undefined`, `token` a secret output) and a trivial shared provider,
 * so that what the credentials cost beyond it is what the package adds.
 */
class Trivial extends pulumi.dynamic.Resource {
  constructor(name: string, inputs: Record<string, unknown>) {
    super(
      trivialProvider,
      name,
      { ...inputs, resourceName: name, ...Object.fromEntries(OUTPUT_NAMES.map((output) => [output, undefined])) },
      { additionalSecretOutputs: ["token"] },
      "bench",
      "Trivial",
    );
  }
}

/**
 * Declares `count` resources of `kind`, all with the same inputs: `credentials-<i>` from
 * `pkg` (the package as the program loaded it; required for credentials) or `trivial-<i>`.
 * `settings` are inputs of both: `endpoint`, the API URL the credentials mint at, and
 * `timeoutSeconds`, where given.
 */
export function declareResources(
  kind: ResourceKind,
  count: number,
  pkg?: typeof Package,
  settings: { endpoint?: string; timeoutSeconds?: number } = {},
): pulumi.CustomResource[] {
  const inputs = {
    ...INPUTS,
    ...Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)),
  };
  if (kind === "credentials" && pkg === undefined) throw new Error("credentials need the package");
  return Array.from({ length: count }, (_, index) =>
    kind === "credentials" && pkg
      ? new pkg.ManagedEndpointSessionCredentials(`credentials-${index}`, inputs)
      : new Trivial(`trivial-${index}`, inputs),
  );
}

/**
 * The whole Pulumi program the real CLI runs in the benchmark: declares `bench:count` resources of
 * `bench:kind`, minting at `bench:apiEndpoint`, with `bench:timeoutSeconds` where set. `loadPackage`
 * loads the package as the program resolves it; it is called for credentials only, so that the
 * floor does not pay for loading it.
 */
export function benchProgram(loadPackage: () => typeof Package): void {
  const config = new pulumi.Config("bench");
  const kind = config.require<ResourceKind>("kind");
  const pkg = kind === "credentials" ? loadPackage() : undefined;
  declareResources(kind, config.requireNumber("count"), pkg, {
    endpoint: config.get("apiEndpoint"),
    timeoutSeconds: config.getNumber("timeoutSeconds"),
  });
}
