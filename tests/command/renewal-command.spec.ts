/**
 * `emr-session-credentials` as a user runs it: the bin of the package installed from its tarball,
 * in a project of three stacks with different renewal windows under the REAL Pulumi CLI, the
 * clock of the command and of every Node process it starts moved with faketime. `status` runs
 * with no passphrase set. The tests run in order, on the same stacks.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROGRAM_FAILURE } from "../fixtures/renewal-program";
import type { CliResult } from "../support/pulumi-cli";
import { startRenewalProject, type CommandRun, type RenewalProject } from "../support/renewal-project";

/** renewAt 40 minutes after the first up. */
const A = { name: "a", durationInSeconds: 3600, renewBeforeSeconds: 1200 };
/** renewAt 50 minutes after the first up. */
const B = { name: "b", durationInSeconds: 3600, renewBeforeSeconds: 600 };
/** renewAt 100 minutes after the first up; the selected stack (made last). */
const C = { name: "c", durationInSeconds: 7200, renewBeforeSeconds: 1200 };
const MINUTE = 60;

interface StatusJson {
  stacks: {
    stack: string;
    credentials: { name: string; urn: string; expiresAt: string; renewAt: string; due: boolean; secondsLeft: number }[];
  }[];
}

interface RenewJson {
  stacks: { stack: string; outcome: string; credentials: { name: string; urn: string }[]; error?: string }[];
}

describe("emr-session-credentials under the real Pulumi CLI", function () {
  this.timeout(600_000);
  let project: RenewalProject;
  /** Everything the command printed, to check that no token ever shows. */
  const printed: string[] = [];

  before(async function () {
    this.timeout(600_000);
    project = await startRenewalProject([A, B, C]);
  });
  after(async () => {
    await project?.dispose();
  });

  const run = async (args: string[], options: CommandRun = {}): Promise<CliResult> => {
    const result = await project.command(args, options);
    printed.push(result.output);
    return result;
  };
  const status = async (args: string[], clockSeconds = 0): Promise<StatusJson> => {
    const result = await run(["status", "--json", ...args], { clockSeconds });
    assert.ok(result.status === 0 || result.status === 2, result.output);
    return JSON.parse(result.stdout) as StatusJson;
  };
  /** The stacks with a credential due, as status --json lists them. */
  const dueStacks = (json: StatusJson): string[] =>
    json.stacks.filter((s) => s.credentials.some((c) => c.due)).map((s) => s.stack);
  const histories = async (): Promise<Record<string, number>> =>
    Object.fromEntries(
      await Promise.all(["a", "b", "c"].map(async (s) => [s, await project.historyLength(s)] as const)),
    );
  const expiresAt = async (stack: string): Promise<unknown> => (await project.outputsOf(stack, "session"))["expiresAt"];
  const digest = (token: string): string => createHash("sha256").update(token).digest("hex");
  const lastToken = (): string => project.standIn.issuedTokens[project.standIn.issuedTokens.length - 1] ?? "";

  it("status reads every stack with no passphrase set: nothing due (exit 0), exactly the documented JSON", async () => {
    // The control: where status runs, nothing can decrypt the stacks' secrets.
    const decrypting = await project.pulumi(["stack", "output", "--show-secrets", "--stack", "a", "--non-interactive"]);
    assert.notEqual(decrypting.status, 0);
    assert.match(decrypting.output, /passphrase/i);
    const result = await run(["status", "--all", "--json"]);
    assert.equal(result.status, 0, result.output);
    const json = JSON.parse(result.stdout) as StatusJson;
    assert.deepEqual(Object.keys(json), ["stacks"]);
    assert.deepEqual(
      json.stacks.map((s) => s.stack),
      ["a", "b", "c"],
    );
    for (const [stack, config] of [
      [json.stacks[0], A],
      [json.stacks[1], B],
      [json.stacks[2], C],
    ] as const) {
      assert.equal(stack?.credentials.length, 1);
      const credentials = stack.credentials[0]!;
      assert.deepEqual(Object.keys(credentials), ["name", "urn", "expiresAt", "renewAt", "due", "secondsLeft"]);
      const stored = await project.outputsOf(stack.stack, "session");
      assert.equal(credentials.name, "session");
      assert.match(credentials.urn, new RegExp(`^urn:pulumi:${stack.stack}::emr-renewal::.*::session$`));
      assert.equal(credentials.expiresAt, stored["expiresAt"]);
      assert.equal(credentials.renewAt, stored["renewAt"]);
      assert.equal(credentials.due, false);
      // The token's life, less the few seconds since it was minted.
      assert.ok(
        credentials.secondsLeft <= config.durationInSeconds && credentials.secondsLeft > config.durationInSeconds - 600,
        `${stack.stack}: ${credentials.secondsLeft} s left`,
      );
    }
  });

  it("status without --stack or --all reads the selected stack, and prints a table a person reads", async () => {
    assert.deepEqual(
      (await status([])).stacks.map((s) => s.stack),
      ["c"],
    );
    const table = await run(["status", "--stack", "a", "--stack", "b"]);
    assert.equal(table.status, 0, table.output);
    assert.match(table.stdout, /^STACK +NAME +STATE +LEFT +RENEW AT +EXPIRES AT +URN$/m);
    assert.match(table.stdout, /^a +session +ok +\d+m/m);
    assert.match(table.stdout, /^b +session +ok +/m);
    assert.match(table.stdout, /Nothing is due now\./);
  });

  it("status exits 2 once a renewAt has passed, and --within counts what falls due within the horizon", async () => {
    const late = 45 * MINUTE;
    const now = await run(["status", "--all"], { clockSeconds: late });
    assert.equal(now.status, 2, now.output);
    assert.match(now.stdout, /^a +session +due now/m);
    assert.match(now.stdout, /^b +session +ok/m);
    assert.match(now.stdout, /1 of 3 credentials due now\./);
    assert.deepEqual(dueStacks(await status(["--all"], late)), ["a"]);
    assert.deepEqual(dueStacks(await status(["--all", "--within", "10m"], late)), ["a", "b"]);
    assert.deepEqual(dueStacks(await status(["--all", "--within", "3600"], late)), ["a", "b", "c"]);
    const within = await run(["status", "--all", "--within", "10m"], { clockSeconds: late });
    assert.match(within.stdout, /^b +session +due within 10m/m);
    // Not yet: 45 minutes ahead, nothing is due within 4 minutes at c alone.
    const c = await run(["status", "--stack", "c", "--within", "4m"], { clockSeconds: late });
    assert.equal(c.status, 0, c.output);
  });

  it("says what is wrong in one line and exits 1: bad flags, an unknown stack, no project, no pulumi", async () => {
    const emptyDir = mkdtempSync(path.join(os.tmpdir(), "not-a-project-"));
    try {
      for (const [args, options, message] of [
        [["status", "--within", "soon"], {}, /"soon" is not a duration/],
        [["status", "--within", "-5m"], {}, /is not a duration/],
        [["status", "--bogus"], {}, /unknown option '--bogus'/],
        [["status", "--all", "--stack", "a"], {}, /cannot be used with/],
        [["renew", "--parallel", "0"], {}, /"0" is not a whole number of stacks/],
        [["status", "--stack", "nope"], {}, /stack nope: .*nope/],
        [["status"], { cwd: emptyDir }, /is not a Pulumi project/],
        [["status", "--all"], { withoutPulumi: true }, /the pulumi CLI is not on PATH/],
        [["status", "--stack", "a"], { withoutPulumi: true }, /the pulumi CLI is not on PATH/],
        [["renew", "--all"], { withoutPulumi: true }, /the pulumi CLI is not on PATH/],
      ] as const) {
        const result = await run([...args], options);
        assert.equal(result.status, 1, `${args.join(" ")}: ${result.output}`);
        assert.equal(result.stdout, "", args.join(" "));
        assert.equal(result.stderr.trim().split("\n").length, 1, `${args.join(" ")}: ${result.stderr}`);
        assert.match(result.stderr, message);
      }
    } finally {
      rmSync(emptyDir, { recursive: true, force: true });
    }
  });

  it("renew runs a full up of the due stack only: the others keep their history, the consumer gets the new token", async () => {
    const before = await histories();
    const minted = project.standIn.issuedTokens.length;
    const result = await run(["renew", "--all"], { clockSeconds: 45 * MINUTE, passphrase: true });
    assert.equal(result.status, 0, result.output);
    assert.deepEqual(await histories(), { ...before, a: before.a! + 1 });
    assert.equal(project.standIn.issuedTokens.length, minted + 1, "one token minted");
    assert.equal((await project.outputsOf("a", "consumer"))["tokenDigest"], digest(lastToken()));
    assert.match(result.stdout, /^a +renewed +session/m);
    assert.match(result.stdout, /^b +nothing due/m);
    assert.match(result.stdout, /^c +nothing due/m);
    assert.match(result.stderr, /^a: renewing session \(full up\)$/m);
    assert.match(result.stderr, /^a: renewed in /m);
  });

  it("renew --within renews now what falls due within the horizon, though its renewAt is still ahead", async () => {
    const before = await histories();
    const expiry = await expiresAt("b");
    const result = await run(["renew", "--all", "--within", "10m", "--json"], {
      clockSeconds: 45 * MINUTE,
      passphrase: true,
    });
    assert.equal(result.status, 0, result.output);
    const json = JSON.parse(result.stdout) as RenewJson;
    assert.deepEqual(
      json.stacks.map((s) => [s.stack, s.outcome, s.credentials.map((c) => c.name)]),
      [
        ["a", "nothing due", []],
        ["b", "renewed", ["session"]],
        ["c", "nothing due", []],
      ],
    );
    assert.notEqual(await expiresAt("b"), expiry, "b has a new token");
    assert.deepEqual(await histories(), { ...before, b: before.b! + 1 });
    assert.match(result.stderr, /^b: renewing session \(full up, horizon 10m\)$/m);
    // Renewed, nothing is due within the horizon any more.
    assert.deepEqual(dueStacks(await status(["--all", "--within", "10m"], 45 * MINUTE)), []);
  });

  it("renew --targeted renews the token and hands it to its consumer, leaving an unrelated pending change unapplied", async () => {
    await project.setConfig("c", { label: "v2" });
    const before = await histories();
    const expiry = await expiresAt("c");
    const result = await run(["renew", "--stack", "c", "--targeted"], { clockSeconds: 105 * MINUTE, passphrase: true });
    assert.equal(result.status, 0, result.output);
    assert.match(result.stderr, /^c: renewing session \(targeted up\)$/m);
    assert.notEqual(await expiresAt("c"), expiry, "c has a new token");
    assert.equal((await project.outputsOf("c", "consumer"))["tokenDigest"], digest(lastToken()));
    assert.equal(
      (await project.outputsOf("c", "unrelated"))["label"],
      "v1",
      "the pending label change stays unapplied",
    );
    assert.deepEqual(await histories(), { ...before, c: before.c! + 1 });
  });

  it("renew exits 1 naming a stack that failed, and still renews the others; status then still reports it due", async () => {
    await project.setConfig("a", { fail: "true" });
    const expiry = { a: await expiresAt("a"), b: await expiresAt("b") };
    const result = await run(["renew", "--all", "--json"], { clockSeconds: 105 * MINUTE, passphrase: true });
    assert.equal(result.status, 1, result.output);
    const json = JSON.parse(result.stdout) as RenewJson;
    assert.deepEqual(
      json.stacks.map((s) => [s.stack, s.outcome]),
      [
        ["a", "failed"],
        ["b", "renewed"],
        ["c", "nothing due"],
      ],
    );
    assert.match(json.stacks[0]?.error ?? "", /failed with an unhandled exception: Error: this stack's program fails/);
    assert.match(result.stderr, /^a: FAILED: /m);
    // --parallel's default of 2: both ups had started before either ended.
    const lines = result.stderr.split("\n");
    const ended = lines.findIndex((line) => /^[ab]: (FAILED|renewed)/.test(line));
    for (const stack of ["a", "b"])
      assert.ok(
        lines.slice(0, ended).some((line) => line.startsWith(`${stack}: renewing`)),
        `${stack} started late`,
      );
    assert.ok(result.stderr.includes(PROGRAM_FAILURE), result.stderr);
    assert.equal(await expiresAt("a"), expiry.a);
    assert.notEqual(await expiresAt("b"), expiry.b);
    const after = await run(["status", "--all"], { clockSeconds: 105 * MINUTE });
    assert.equal(after.status, 2, after.output);
    assert.match(after.stdout, /^a +session +due now/m);
  });

  it("leaves the stack that was selected selected, though renew selected others to update them", async () => {
    assert.deepEqual(
      (await status([], 105 * MINUTE)).stacks.map((s) => s.stack),
      ["c"],
    );
  });

  it("never printed a token", () => {
    const everything = printed.join("\n");
    assert.ok(project.standIn.issuedTokens.length >= 5);
    for (const token of project.standIn.issuedTokens) assert.ok(!everything.includes(token), "a token was printed");
  });
});
