// Proves the program-tier engine harness (tests/support/engine) with a tiny real
// program (tests/fixtures/echo-program): a dynamic resource with a random token as
// secret output, and a faked AWS-typed resource. Each run starts the program and
// the provider host as real processes (about 2 s).

import * as assert from "node:assert/strict";
import * as path from "node:path";
import { Engine, SECRET_SIG, SIG_KEY, StackState, UNKNOWN, type RunResult } from "./support/engine";

const programDir = path.resolve(__dirname, "..", "..", "tests", "fixtures", "echo-program");
const ECHO = "pulumi-nodejs:dynamic:Resource";

/** `"<op> <resource name>"` for each step, e.g. `"create echo"`. */
const ops = (result: RunResult): string[] => result.steps.map((s) => `${s.op} ${s.urn.split("::").pop()}`);

const runTimes: Record<string, number[]> = { up: [], preview: [] };

describe("engine harness (program tier)", function () {
  this.timeout(60_000);
  let engine: Engine;

  beforeEach(() => {
    engine = new Engine({
      programDir,
      project: "echo",
      stack: "dev",
      config: { "aws:region": "us-west-2", "echo:label": "first" },
    });
  });

  async function up(): Promise<RunResult> {
    const result = await engine.up();
    runTimes["up"]?.push(result.timings.totalMs);
    assert.ok(result.ok, `up failed: ${result.error}\n${result.log}`);
    return result;
  }

  async function preview(): Promise<RunResult> {
    const result = await engine.preview();
    runTimes["preview"]?.push(result.timings.totalMs);
    assert.ok(result.ok, `preview failed: ${result.error}\n${result.log}`);
    return result;
  }

  after(() => {
    const mean = (xs: number[]): string => (xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1)).toFixed(0);
    console.log(
      `      harness run times (mean ms): up ${mean(runTimes["up"] ?? [])}, preview ${mean(runTimes["preview"] ?? [])}`,
    );
  });

  it("creates the stack, default providers and both resources on the first up", async () => {
    const result = await up();
    assert.deepEqual(ops(result), [
      "create echo-dev",
      "create default",
      "create echo",
      "create default",
      "create label",
    ]);
    assert.deepEqual(result.timings.host["create"]?.length, 1, "the dynamic resource went through the host's create");
    assert.equal(result.outputs["echoLabel"], "first");
    assert.equal(result.outputs["parameterArn"], "arn:aws:ssm:us-west-2:123456789012:label");
  });

  it("returns an additionalSecretOutputs output to the program as a secret, which stays secret in the stack outputs", async () => {
    const result = await up();
    const token = result.outputs["token"] as Record<string, unknown>;
    assert.equal(token[SIG_KEY], SECRET_SIG);
    assert.match(String(token["value"]), /^[0-9a-f]{16}$/);
    assert.deepEqual(result.secretOutputNames, ["token"]);
    const [echo] = engine.state.ofType(ECHO);
    assert.deepEqual(echo?.secretOutputs, ["token"]);
  });

  it("leaves everything the same on a second up, also from state that went through JSON", async () => {
    const first = await up();
    engine.state = StackState.fromJSON(JSON.parse(JSON.stringify(engine.state)) as ReturnType<StackState["toJSON"]>);
    const second = await up();
    assert.deepEqual(new Set(second.steps.map((s) => s.op)), new Set(["same"]));
    assert.equal(second.timings.host["create"], undefined);
    assert.deepEqual(second.outputs, first.outputs);
  });

  it("replaces the dynamic resource create-before-delete when its input changes", async () => {
    const first = await up();
    const oldId = engine.state.ofType(ECHO)[0]?.id;
    engine.config["echo:label"] = "second";
    const second = await up();
    const steps = ops(second);
    assert.ok(steps.indexOf("create-replacement echo") < steps.indexOf("delete-replaced echo"), steps.join(", "));
    assert.equal(steps.at(-1), "delete-replaced echo", "the old one goes after the program finished");
    assert.ok(steps.includes("update label"));
    assert.equal(second.timings.host["delete"]?.length, 1);
    assert.notDeepEqual(second.outputs["token"], first.outputs["token"]);
    assert.notEqual(engine.state.ofType(ECHO)[0]?.id, oldId);
  });

  it("previews a replacement without creating, updating or deleting anything", async () => {
    await up();
    const before = JSON.stringify(engine.state);
    engine.config["echo:label"] = "second";
    const result = await preview();
    assert.deepEqual(
      ops(result).filter((s) => s.endsWith(" echo")),
      ["create-replacement echo", "replace echo", "delete-replaced echo"],
    );
    assert.deepEqual(Object.keys(result.timings.host).sort(), ["check", "configure", "diff", "start"]);
    assert.equal(result.outputs["token"], UNKNOWN, "the new token is not known before it is created");
    assert.equal(JSON.stringify(engine.state), before, "a preview keeps the state");
  });

  it("previews a first deployment without calling create", async () => {
    const result = await preview();
    assert.ok(ops(result).includes("create echo"));
    assert.equal(result.timings.host["create"], undefined);
    assert.equal(engine.state.list().length, 0);
  });

  it("gives the provider's diff the stored outputs, so a test can age them through state.update", async () => {
    await up();
    engine.state.update(ECHO, (outputs) => ({ ...outputs, label: "aged" }));
    const result = await up();
    assert.ok(ops(result).includes("create-replacement echo"), ops(result).join(", "));
  });

  it("deletes, through the provider host, a resource the program no longer declares", async () => {
    engine.config["echo:extra"] = "true";
    await up();
    delete engine.config["echo:extra"];
    const result = await up();
    assert.equal(ops(result).at(-1), "delete extra");
    assert.equal(result.timings.host["delete"]?.length, 1);
    assert.deepEqual(
      engine.state.ofType(ECHO).map((r) => r.urn.split("::").pop()),
      ["echo"],
    );
  });

  it("fails the run with the provider's check failure and creates nothing", async () => {
    engine.config["echo:label"] = "";
    const result = await engine.up();
    assert.equal(result.ok, false);
    assert.match(result.error ?? "", /property label has a problem: label must not be empty/);
    assert.equal(result.timings.host["create"], undefined);
  });
});
