// The two figures that need the real `pulumi` CLI. They are left to be filled in once the CLI is
// wired into the tests (see the lead's work on tests/support/pulumi-cli.ts); until then the
// benchmark prints them as pending.

/** A figure measured with the real CLI, or why it is not there yet. */
export type RealCliFigure = { lines: string[] } | { pending: string };

const NOT_WIRED = "pending: the real pulumi CLI is not wired into the benchmark yet";

/**
 * TO BE ADDED: `pulumi preview` of a stack with 100 credentials, against the preview of the same
 * stack with 100 trivial dynamic resources (target: at most 1.3 times).
 */
export async function realCliPreviewFigure(): Promise<RealCliFigure> {
  return { pending: NOT_WIRED };
}

/**
 * TO BE ADDED: `pulumi up` creating 100 tokens, its time, and its speed-up over 100
 * `aws emr-containers get-managed-endpoint-session-credentials` processes.
 */
export async function realCliUpFigure(): Promise<RealCliFigure> {
  return { pending: NOT_WIRED };
}
