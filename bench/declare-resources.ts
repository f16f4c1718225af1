// One measurement of the program-side cost of declaring resources, run in a fresh Node process
// by `program-cost.ts`: `node declare-resources.js <kind> <count> [<installed package dir>]`.
// Declares `count` resources under Pulumi's mocks and prints, as JSON, the milliseconds from the
// first declaration until every registration (its `__provider` serialized) has completed.

import * as pulumi from "@pulumi/pulumi";
import type * as Package from "../provider";
import { OUTPUT_NAMES } from "../provider/inputs";

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
  constructor(name: string) {
    super(
      trivialProvider,
      name,
      { ...INPUTS, resourceName: name, ...Object.fromEntries(OUTPUT_NAMES.map((output) => [output, undefined])) },
      { additionalSecretOutputs: ["token"] },
      "bench",
      "Trivial",
    );
  }
}

async function main([kind, count, packageDir]: string[]): Promise<void> {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs as object }),
      call: (args) => args.inputs as object,
    },
    "bench",
    "dev",
    false,
  );
  // Load Pulumi's closure serializer first: a one-off start-up cost that both kinds would pay.
  await pulumi.runtime.serializeFunction(() => "warm-up");
  // The package is loaded before the clock starts: what is timed is declaring, not loading.
  const { ManagedEndpointSessionCredentials } =
    kind === "credentials" ? (require(packageDir ?? "") as typeof Package) : ({} as Partial<typeof Package>);
  const declare = (index: number): pulumi.CustomResource =>
    ManagedEndpointSessionCredentials
      ? new ManagedEndpointSessionCredentials(`credentials-${index}`, INPUTS)
      : new Trivial(`trivial-${index}`);
  const started = performance.now();
  const resources = Array.from({ length: Number(count) }, (_, index) => declare(index));
  await Promise.all(resources.map((resource) => (resource.urn as unknown as { promise(): Promise<string> }).promise()));
  console.log(JSON.stringify({ ms: performance.now() - started }));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
