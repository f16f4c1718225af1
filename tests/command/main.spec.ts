import assert from "node:assert/strict";
import { main } from "../../command/main";
import { readManifest } from "../support/packed-package";

/** Runs `main` with `args` in a directory that is no project, the clock pinned; what it wrote, and its exit code. */
async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    workDir: "/nonexistent",
    clock: () => Date.parse("2026-01-01T00:00:00Z"),
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { code, stdout, stderr };
}

describe("command: arguments", () => {
  it("exits 1 with one line on standard error for a bad flag or value, before running anything", async () => {
    for (const [args, message] of [
      [
        ["status", "--within", "2 hours"],
        /^error: option '--within <duration>' argument '2 hours' is invalid\. "2 hours" is not a duration/,
      ],
      [["renew", "--parallel", "two"], /"two" is not a whole number of stacks/],
      [["renew", "--parallel", "0"], /"0" is not a whole number of stacks/],
      [
        ["renew", "--wait", "-1"],
        /^error: option '--wait <duration>' argument '-1' is invalid\. "-1" is not a duration/,
      ],
      [["renew", "--wait", "soon"], /"soon" is not a duration/],
      [["status", "--wait", "1m"], /unknown option '--wait'/],
      [["status", "--targeted"], /unknown option '--targeted'/],
      [["status", "--stack"], /argument missing/],
      [["renew", "--all", "--stack", "prod"], /option '--all' cannot be used with option '--stack <name>'/],
      [["rotate"], /unknown command 'rotate'/],
    ] as const) {
      const result = await run([...args]);
      assert.equal(result.code, 1, args.join(" "));
      assert.equal(result.stdout, "");
      assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
      assert.match(result.stderr, message);
    }
  });

  it("prints its version and help, exiting 0", async () => {
    assert.deepEqual(await run(["--version"]), { code: 0, stdout: `${readManifest().version}\n`, stderr: "" });
    const help = await run(["renew", "--help"]);
    assert.equal(help.code, 0);
    for (const flag of [
      "--stack <name>",
      "--all",
      "--within <duration>",
      "--targeted",
      "--parallel <count>",
      "--wait <duration>",
      "--json",
    ])
      assert.ok(help.stdout.includes(flag), flag);
  });
});
