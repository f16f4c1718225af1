// Run inside a matrix cell's stack (copied to `<stack>/.harness/` with serialized-provider.js and
// wire.js, so that `@pulumi/pulumi` and the package resolve from the stack's own node_modules):
// constructs ManagedEndpointSessionCredentials under the stack's SDK's mocks and prints its
// registration as JSON. Arguments: the resource name, its args as JSON, the project, the stack.
import type * as Package from "../../provider";
import { serializedProviderOf } from "./serialized-provider";

const [name = "", args = "{}", project, stack] = process.argv.slice(2);
const installed = require("pulumi-emr-session-credentials") as typeof Package;
serializedProviderOf(
  () =>
    new installed.ManagedEndpointSessionCredentials(
      name,
      JSON.parse(args) as Package.ManagedEndpointSessionCredentialsArgs,
    ),
  { project, stack },
).then(
  (registration) => process.stdout.write(JSON.stringify(registration)),
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
