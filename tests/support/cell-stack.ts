// A compatibility-matrix cell's stack under the real Pulumi CLI: the program of
// tests/fixtures/compat-program.ts in the cell's stack directory, run with the cell's Node.

import { copyFileSync, rmSync } from "node:fs";
import * as path from "node:path";
import type { MatrixCell } from "./matrix-cell";
import { CliStack } from "./pulumi-cli";

/** The compiled program (dist/tests/fixtures/compat-program.js). */
const PROGRAM = path.join(__dirname, "..", "fixtures", "compat-program.js");

/**
 * Copies the matrix program into `cell.programDir` as `index.js` and makes a `CliStack` there
 * named `stack` with `config` (its `<project>:` keys are `virtualClusterId`, `endpointId`,
 * `executionRoleArn` and `apiEndpoint`), run with the cell's environment (its Node first on PATH,
 * for the language host and the dynamic-provider plugin alike) and `env`, under the CLI in `binDir`
 * (default `pulumiBinDir()`). A stack config file left
 * by an earlier run is removed first. Throws with the CLI's output if `stack init` or config fails.
 */
export async function startCellStack(
  cell: MatrixCell,
  options: { stack: string; config: Record<string, string>; env?: NodeJS.ProcessEnv; binDir?: string },
): Promise<CliStack> {
  copyFileSync(PROGRAM, path.join(cell.programDir, "index.js"));
  rmSync(path.join(cell.programDir, `Pulumi.${options.stack}.yaml`), { force: true });
  return CliStack.init({
    programDir: cell.programDir,
    stack: options.stack,
    config: options.config,
    env: { ...cell.env, ...options.env },
    binDir: options.binDir,
  });
}
