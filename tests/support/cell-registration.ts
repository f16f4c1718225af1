// What a program in a matrix cell registers: serialized by the cell's own @pulumi/pulumi under the
// cell's Node, as the program would send it to the engine there.

import { copyFileSync, mkdirSync } from "node:fs";
import * as path from "node:path";
import type { ManagedEndpointSessionCredentialsArgs } from "../../provider";
import type { MatrixCell } from "./matrix-cell";
import type { SerializedRegistration } from "./serialized-provider";

/** The compiled modules the probe needs, copied beside it into the stack. */
const PROBE_MODULES = ["registration-probe.js", "serialized-provider.js", "wire.js"];

/**
 * Registers `ManagedEndpointSessionCredentials` named `name` with `args` from the cell's installed
 * package, under the cell's SDK's mocks (see `serializedProviderOf`), in a child process of the
 * cell's Node in its stack directory. Throws with the child's stderr if registration fails.
 */
export function registerInCell(
  cell: MatrixCell,
  name: string,
  args: ManagedEndpointSessionCredentialsArgs,
  options: { stack: string },
): SerializedRegistration {
  const harness = path.join(cell.programDir, ".harness");
  mkdirSync(harness, { recursive: true });
  for (const file of PROBE_MODULES) copyFileSync(path.join(__dirname, file), path.join(harness, file));
  const stdout = cell.node([
    path.join(harness, "registration-probe.js"),
    name,
    JSON.stringify(args),
    cell.project,
    options.stack,
  ]);
  return JSON.parse(stdout) as SerializedRegistration;
}
