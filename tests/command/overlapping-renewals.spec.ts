/**
 * Overlapping renewals of one stack under the REAL Pulumi CLI and its file backend, which locks a
 * stack during an update: two `renew` together, a `renew` while a person's `pulumi up` runs, a
 * `renew --within` that read the state before the first update ended, and a lock held past
 * `--wait`. The order is made, never slept for: the EMR stand-in holds the first update's mint (so
 * it holds the lock) until the second command has shown it is waiting, and a `pulumi` on `PATH`
 * holds the second command's `up` until the first has ended. The clock is moved with faketime.
 * Each scenario has a stack of its own, and ends with exactly one token minted for its one due
 * credential, a clean state and `pulumi up --expect-no-changes` passing.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as path from "node:path";
import { gatedPulumi } from "../support/gated-pulumi";
import { clockMovedBy } from "../support/moved-clock";
import { CREDENTIALS_TYPE } from "../../provider/dynamic/type-token";
import { pulumiBinDir, type CliResult } from "../support/pulumi-cli";
import { startRenewalProject, type CommandRun, type RenewalProject } from "../support/renewal-project";

/** One credential each, renewAt 40 minutes after it is minted; a long timeout so a held mint is not cut off. */
const stack = (name: string) => ({ name, durationInSeconds: 3600, renewBeforeSeconds: 1200, timeoutSeconds: 600 });
const STACKS = ["together", "person", "within", "held"].map(stack);
/** Past every renewAt. */
const LATE = 45 * 60;
/** 15 minutes before every renewAt: due within 20 minutes, not now. */
const EARLY = 25 * 60;

interface RenewJson {
  stacks: { stack: string; outcome: string; credentials: { name: string; urn: string }[]; error?: string }[];
}

/** Pulumi's advice for a lock, which `renew` must never pass on. */
const CANCEL_ADVICE = /delete the lock file with `pulumi cancel`/;

describe("emr-session-credentials renew: overlapping renewals under the real Pulumi CLI", function () {
  this.timeout(600_000);
  let project: RenewalProject;

  before(async function () {
    this.timeout(600_000);
    project = await startRenewalProject(STACKS);
  });
  after(async () => {
    await project?.dispose();
  });

  const tokens = (): number => project.standIn.issuedTokens.length;
  const renew = (name: string, args: string[], run: CommandRun): Promise<CliResult> =>
    project.command(["renew", "--stack", name, "--json", ...args], { passphrase: true, ...run });
  /** `run` watching standard error for `pattern`, and a promise that resolves once it shows. */
  const stderrShowing = (pattern: RegExp, run: CommandRun): { run: CommandRun; shown: Promise<void> } => {
    let shown = (): void => undefined;
    const promise = new Promise<void>((resolve) => (shown = resolve));
    return { run: { ...run, watchStderr: (stderr) => pattern.test(stderr) && shown() }, shown: promise };
  };
  /** `awaited`, unless one of `running` ends first: then fails with what that command printed. */
  const ahead = async <T>(awaited: Promise<T>, ...running: Promise<CliResult>[]): Promise<T> =>
    Promise.race([
      awaited,
      ...running.map((done) =>
        done.then((result) => {
          throw new Error(`a command ended (exit ${result.status}) before the step awaited:\n${result.output}`);
        }),
      ),
    ]);
  const summary = (result: CliResult): [string, string, string[]][] =>
    (JSON.parse(result.stdout) as RenewJson).stacks.map((s) => [s.stack, s.outcome, s.credentials.map((c) => c.name)]);
  const waitingLine = (name: string) =>
    new RegExp(`^${name}: another update holds the stack \\(\\S+@\\S+, pid \\d+, since \\S+\\); waiting up to `, "m");

  /**
   * The stack is clean: no pending operation, one credentials resource (no old copy left), its
   * consumer holding the last token minted, and `pulumi up --expect-no-changes` passing at `clockSeconds`.
   */
  async function assertClean(name: string, clockSeconds: number): Promise<void> {
    const cli = project.stacks[name]!;
    const state = await cli.exportState();
    assert.deepEqual(state.deployment.pending_operations ?? [], [], "no pending operations");
    const credentials = (state.deployment.resources ?? []).filter((r) => r.type === CREDENTIALS_TYPE);
    assert.deepEqual(
      credentials.map((r) => [path.basename(r.urn.replaceAll("::", "/")), r.delete ?? false]),
      [["session", false]],
    );
    const last = project.standIn.issuedTokens.at(-1) ?? "";
    assert.equal(
      (await project.outputsOf(name, "consumer"))["tokenDigest"],
      createHash("sha256").update(last).digest("hex"),
    );
    await cli.run(["up", "--yes", "--skip-preview", "--expect-no-changes", "--stack", name], {
      env: clockMovedBy(clockSeconds),
    });
  }

  it("two renews together: one renews, the other waits for it and finds it already renewed; one token", async () => {
    const minted = tokens();
    const held = project.standIn.hold();
    const first = renew("together", [], { clockSeconds: LATE });
    await ahead(held.arrived(1), first); // the first's up is minting: it holds the stack's lock
    const second = stderrShowing(waitingLine("together"), { clockSeconds: LATE });
    const secondDone = renew("together", [], second.run);
    await ahead(second.shown, secondDone); // the second was locked out and is waiting
    held.release();
    const [a, b] = await Promise.all([first, secondDone]);
    assert.equal(a.status, 0, a.output);
    assert.equal(b.status, 0, b.output);
    assert.deepEqual(summary(a), [["together", "renewed", ["session"]]]);
    assert.deepEqual(summary(b), [["together", "already renewed", ["session"]]]);
    assert.match(b.stderr, /^together: already renewed by another update in /m);
    assert.doesNotMatch(a.output + b.output, CANCEL_ADVICE);
    assert.equal(tokens(), minted + 1, "one token for the one due credential");
    await assertClean("together", LATE);
  });

  it("a renew started while a person's pulumi up runs waits for it, and finds the credential already renewed", async () => {
    const minted = tokens();
    const held = project.standIn.hold();
    const person = project.stacks["person"]!.start(["up", "--yes", "--skip-preview", "--stack", "person"], {
      env: clockMovedBy(LATE),
    });
    await ahead(held.arrived(1), person.done);
    const waiting = stderrShowing(waitingLine("person"), { clockSeconds: LATE });
    const renewal = renew("person", [], waiting.run);
    await ahead(waiting.shown, renewal, person.done);
    held.release();
    const [up, result] = await Promise.all([person.done, renewal]);
    assert.equal(up.status, 0, up.output);
    assert.equal(result.status, 0, result.output);
    assert.deepEqual(summary(result), [["person", "already renewed", ["session"]]]);
    assert.doesNotMatch(result.output, CANCEL_ADVICE);
    assert.equal(tokens(), minted + 1);
    await assertClean("person", LATE);
  });

  it("renew --within that read the state before the first update ended decides under the lock and replaces nothing", async () => {
    const minted = tokens();
    const history = await project.historyLength("within");
    const gate = gatedPulumi(path.join(pulumiBinDir(), "pulumi"));
    try {
      const held = project.standIn.hold();
      const first = renew("within", ["--within", "20m"], { clockSeconds: EARLY });
      await ahead(held.arrived(1), first);
      // The second reads the state now, while the first is minting, and finds the credential due.
      const second = renew("within", ["--within", "20m"], { clockSeconds: EARLY, pathFirst: gate.dir });
      await ahead(gate.upHeld(), second);
      held.release();
      const a = await first;
      assert.equal(a.status, 0, a.output);
      assert.deepEqual(summary(a), [["within", "renewed", ["session"]]]);
      gate.open(); // its up starts only now, from the state the first left
      const b = await second;
      assert.equal(b.status, 0, b.output);
      assert.deepEqual(summary(b), [["within", "already renewed", ["session"]]]);
      assert.match(b.stderr, /^within: renewing session \(full up, horizon 20m\)$/m);
      assert.doesNotMatch(b.stderr, /another update holds the stack/, "the second's up found the stack free");
    } finally {
      gate.remove();
    }
    assert.equal(await project.historyLength("within"), history + 2, "both ran an update");
    assert.equal(tokens(), minted + 1, "the second update replaced nothing");
    await assertClean("within", EARLY);
  });

  it("a lock held past --wait: busy, exit 1, naming the holder and warning off pulumi cancel; the holder still renews", async () => {
    const minted = tokens();
    const held = project.standIn.hold();
    const first = renew("held", [], { clockSeconds: LATE });
    await ahead(held.arrived(1), first);
    const second = await renew("held", ["--wait", "3s"], { clockSeconds: LATE });
    assert.equal(second.status, 1, second.output);
    const json = JSON.parse(second.stdout) as RenewJson;
    assert.deepEqual(summary(second), [["held", "busy", ["session"]]]);
    assert.match(
      json.stacks[0]?.error ?? "",
      /^another update holds the stack: \S+@\S+, pid \d+, since \S+; still held after waiting 3s \(--wait\)\. Do not run pulumi cancel while that update is alive/,
    );
    assert.match(second.stderr, /^held: BUSY: another update holds the stack: /m);
    assert.doesNotMatch(second.output, CANCEL_ADVICE);
    assert.equal(tokens(), minted, "nothing minted while the first is held");
    held.release();
    const a = await first;
    assert.equal(a.status, 0, a.output);
    assert.deepEqual(summary(a), [["held", "renewed", ["session"]]]);
    assert.equal(tokens(), minted + 1);
    await assertClean("held", LATE);
  });
});
