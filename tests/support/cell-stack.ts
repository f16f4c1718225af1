// A compatibility-matrix cell's program for the real Pulumi CLI (see `cli-project.ts`): the
// program of tests/fixtures/compat-program.ts in the cell's stack directory, run with the cell's Node.

import { copyFileSync, readdirSync, rmSync } from "node:fs";
import * as path from "node:path";
import type { Program } from "./cli-project";
import type { MatrixCell } from "./matrix-cell";

/** The compiled program (dist/tests/fixtures/compat-program.js). */
const PROGRAM = path.join(__dirname, "..", "fixtures", "compat-program.js");

/** Removes the stack config files (`Pulumi.<stack>.yaml`) in `dir`. */
function removeStackConfigs(dir: string): void {
  for (const file of readdirSync(dir).filter((f) => /^Pulumi\..+\.yaml$/.test(f))) rmSync(path.join(dir, file));
}

/**
 * The cell's stack directory as a program: the matrix program copied in as `index.js`, run with
 * the cell's environment (its Node first on PATH, for the language host and the dynamic-provider
 * plugin alike). Its config keys (`<project>:`) are `virtualClusterId`, `endpointId`,
 * `executionRoleArn` and `apiEndpoint`. Stack config files left by an earlier run are removed
 * first, and again by `remove`, which leaves the cell's install in place.
 */
export function cellProgram(cell: MatrixCell): Program {
  removeStackConfigs(cell.programDir);
  copyFileSync(PROGRAM, path.join(cell.programDir, "index.js"));
  return {
    project: cell.project,
    dir: cell.programDir,
    env: cell.env,
    remove: () => removeStackConfigs(cell.programDir),
  };
}
