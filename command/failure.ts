/**
 * A failure the command reports as one line and exit code 1: a bad flag value, an unknown stack,
 * a directory that is no Pulumi project, a missing or failing `pulumi`.
 */
export class CommandFailure extends Error {
  override name = "CommandFailure";
}

/**
 * The line that says what went wrong in the output of a failed `pulumi` command (or the Automation
 * API's error for one, whose standard error follows ` stderr: `): its first `error: ...` line,
 * without the prefix, and the line after it when it ends in a colon (`Running program ... failed
 * with an unhandled exception:` then the exception); else its last non-empty line; else `fallback`.
 */
export function pulumiErrorLine(output: string, fallback: string): string {
  const lines = output
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  for (const [index, line] of lines.entries()) {
    const error = /^(?:stderr:\s*)?error:\s*(.+)$/.exec(line)?.[1];
    if (error === undefined) continue;
    const next = lines[index + 1];
    return error.endsWith(":") && next !== undefined ? `${error} ${next}` : error;
  }
  return lines[lines.length - 1] ?? fallback;
}
