// One measurement of the program-side cost of declaring resources, run in a fresh Node process
// by `program-cost.ts`: `node declare-resources.js <kind> <count> [<installed package dir>]`.
// Declares `count` resources under Pulumi's mocks and prints, as JSON, the milliseconds from the
// first declaration until every registration (its `__provider` serialized) has completed.

import * as pulumi from "@pulumi/pulumi";
import type * as Package from "../provider";
import { declareResources, type ResourceKind } from "./bench-resources";

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
  const pkg = kind === "credentials" ? (require(packageDir ?? "") as typeof Package) : undefined;
  const started = performance.now();
  const resources = declareResources(kind as ResourceKind, Number(count), pkg);
  await Promise.all(resources.map((resource) => (resource.urn as unknown as { promise(): Promise<string> }).promise()));
  console.log(JSON.stringify({ ms: performance.now() - started }));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
