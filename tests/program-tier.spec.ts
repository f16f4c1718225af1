// The program tier: the quickstart (examples/quickstart), a real Pulumi program, run through
// Pulumi's own `cmd/run` and dynamic-provider host by the engine harness (tests/support/engine),
// against the local EMR stand-in. It follows one stack through its whole life, as a user would
// see it: first up, a quiet second up, a preview and an up once renewal is due; then a failing
// service and bad config on fresh stacks. Each run starts the program and the provider host as
// real processes (about 2 s).

import * as assert from "node:assert/strict";
import * as path from "node:path";
import { Engine, TimingLog, SECRET_SIG, SIG_KEY, isSecret, type RunResult } from "./support/engine";
import type { EmrServiceStandIn } from "./support/emr-service-stand-in";
import {
  CREDENTIALS_TYPE,
  OFFLINE_AWS_ENV,
  ageCredentials,
  localStack,
  startStandInFor,
  type LocalStack,
} from "./support/local-stack";

const repoRoot = path.resolve(__dirname, "..", "..");
const quickstartDir = path.join(repoRoot, "examples", "quickstart");
const PARAMETER_TYPE = "aws:ssm/parameter:Parameter";
const ENDPOINT_ID = "ep0123456789abcdefghij";
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** `"<op> <resource name>"` for each step, e.g. `"create notebook-session"`. */
const ops = (result: RunResult): string[] => result.steps.map((s) => `${s.op} ${s.urn.split("::").pop()}`);

const credentialsRequests = (standIn: EmrServiceStandIn) =>
  standIn.requests.filter((r) => r.operation === "GetManagedEndpointSessionCredentials");

const timings = new TimingLog();

describe("program tier: the quickstart through the engine harness", function () {
  this.timeout(60_000);
  let stack: LocalStack;
  let standIn: EmrServiceStandIn;
  const env = OFFLINE_AWS_ENV;

  before(async () => {
    stack = localStack(quickstartDir);
    standIn = await startStandInFor(stack);
  });

  after(async () => {
    await standIn?.close();
    timings.print("quickstart run timings");
  });

  const newEngine = (config: Record<string, string> = stack.config): Engine =>
    new Engine({ programDir: quickstartDir, project: stack.project, stack: "local", config, env });

  // One stack through its life: each `it` is the next command a user would run, so they share
  // the engine (and its state) and run in order.
  describe("one stack, from the first token to its renewal", () => {
    let engine: Engine;
    /** Every run of this stack, for the leak check at the end. */
    const runs: RunResult[] = [];
    let firstToken: string;

    before(() => {
      standIn.reset();
      engine = newEngine();
    });

    async function run(label: string, kind: "up" | "preview"): Promise<RunResult> {
      const result = timings.record(label, kind === "up" ? await engine.up() : await engine.preview());
      runs.push(result);
      assert.ok(result.ok, `${label} failed: ${result.error}\n${result.log}`);
      return result;
    }

    it("mints exactly one token on the first up and hands it out only as a secret", async () => {
      const result = await run("quickstart first up", "up");
      assert.equal(standIn.issuedTokens.length, 1);
      assert.equal(credentialsRequests(standIn).length, 1);
      firstToken = standIn.issuedTokens[0]!;

      const token = result.outputs["token"] as Record<string, unknown>;
      assert.equal(token[SIG_KEY], SECRET_SIG, "the stack output `token` is secret");
      assert.equal(token["value"], firstToken);
      assert.ok(result.secretOutputNames.includes("token"));
      assert.ok(!result.secretOutputNames.includes("expiresAt"), "expiresAt is a plain output");

      const [parameter] = engine.state.ofType(PARAMETER_TYPE);
      assert.ok(parameter, "the SSM parameter is in state");
      assert.ok(parameter.secretOutputs.includes("value"), "the parameter's value is stored as a secret");
      assert.ok(isSecret(parameter.inputs["value"]), "the parameter's value input is a secret");
      assert.equal(parameter.outputs["value"], firstToken);
      assert.equal(parameter.outputs["type"], "SecureString");
      assert.equal(result.outputs["parameterName"], "/emr/local/session-token");
    });

    it("exports expiresAt and renewAt in RFC 3339, renewAt a third of the duration (1200 s) before expiry", () => {
      const [credentials] = engine.state.ofType(CREDENTIALS_TYPE);
      assert.ok(credentials, "the credentials are in state");
      const outputs = runs[0]!.outputs;
      const expiresAt = String(outputs["expiresAt"]);
      const renewAt = String(outputs["renewAt"]);
      assert.match(expiresAt, RFC3339);
      assert.match(renewAt, RFC3339);
      assert.equal(Date.parse(expiresAt) - Date.parse(renewAt), 1200_000);
      // The stand-in's clock is this machine's: the token lives 3600 s from about now.
      const lifeLeft = (Date.parse(expiresAt) - Date.now()) / 1000;
      assert.ok(lifeLeft > 3500 && lifeLeft <= 3600, `expiresAt ${expiresAt} is ${lifeLeft} s away, not about 3600`);
      assert.equal(credentials.outputs["expiresAt"], expiresAt);
      assert.deepEqual(credentials.secretOutputs, ["token"]);
    });

    it("changes nothing and calls nothing on a second up at once", async () => {
      const requestsBefore = standIn.requests.length;
      const result = await run("quickstart second up", "up");
      assert.deepEqual([...new Set(result.steps.map((s) => s.op))], ["same"], ops(result).join(", "));
      assert.equal(standIn.requests.length, requestsBefore, "no request reached the stand-in");
      assert.equal(standIn.issuedTokens.length, 1);
      assert.equal((result.outputs["token"] as Record<string, unknown>)["value"], firstToken);
    });

    it("previews a replacement once renewAt has passed, minting nothing", async () => {
      ageCredentials(engine.state, 2400 + 60); // renewAt (now + 2400 s) a minute in the past
      const before = JSON.stringify(engine.state);
      const requestsBefore = standIn.requests.length;
      const result = await run("quickstart preview, renewal due", "preview");
      const steps = ops(result);
      assert.deepEqual(
        steps.filter((s) => s.endsWith(" notebook-session")),
        ["create-replacement notebook-session", "replace notebook-session", "delete-replaced notebook-session"],
      );
      assert.ok(
        steps.includes("update notebook-session-token"),
        `the parameter would take the new token: ${steps.join(", ")}`,
      );
      assert.equal(standIn.requests.length, requestsBefore, "a preview calls nothing");
      assert.equal(standIn.issuedTokens.length, 1);
      assert.equal(result.timings.host["create"], undefined);
      assert.equal(JSON.stringify(engine.state), before, "a preview keeps the state");
    });

    it("replaces the credentials create-before-delete on the next up and puts the new token in the parameter", async () => {
      const result = await run("quickstart up, renewal due", "up");
      const steps = ops(result);
      const created = steps.indexOf("create-replacement notebook-session");
      const deleted = steps.indexOf("delete-replaced notebook-session");
      assert.ok(created >= 0 && deleted > created, `create-replacement before delete-replaced: ${steps.join(", ")}`);
      assert.ok(steps.includes("update notebook-session-token"), steps.join(", "));

      assert.equal(standIn.issuedTokens.length, 2, "a second token was minted");
      assert.equal(credentialsRequests(standIn).length, 2);
      const newToken = standIn.issuedTokens[1]!;
      assert.notEqual(newToken, firstToken);

      const [parameter] = engine.state.ofType(PARAMETER_TYPE);
      assert.equal(parameter?.outputs["value"], newToken, "the parameter holds the new token");
      assert.ok(parameter?.secretOutputs.includes("value"));
      assert.deepEqual(result.outputs["token"], { [SIG_KEY]: SECRET_SIG, value: newToken });
      const renewAt = Date.parse(String(result.outputs["renewAt"]));
      assert.ok(renewAt > Date.now() + 2300_000, "the new token's renewAt is about 2400 s ahead again");
      assert.equal(engine.state.ofType(CREDENTIALS_TYPE).length, 1, "the replaced credentials are gone");
    });

    it("never shows a minted token in clear: not in what the program, engine and host printed, nor in __provider", () => {
      assert.equal(runs.length, 4);
      const tokens = standIn.issuedTokens;
      assert.equal(tokens.length, 2);
      for (const result of runs) {
        // The log carries the provider host's output: it starts with the port the host printed.
        assert.match(result.log, /--- provider host ---\n\d+(\n|$)/, "the run log includes the provider host's output");
        assert.match(result.log, /--- program \(exit 0\) ---/);
        const printed = [result.log, result.error ?? "", JSON.stringify(result.steps)].join("\n");
        for (const token of tokens)
          assert.ok(!printed.includes(token), `a token appears in a run's output:\n${result.log}`);
      }
      const [credentials] = engine.state.ofType(CREDENTIALS_TYPE);
      for (const serialized of [credentials?.inputs["__provider"], credentials?.outputs["__provider"]]) {
        assert.equal(typeof serialized, "string", "the state keeps the serialized provider");
        for (const token of tokens) assert.ok(!String(serialized).includes(token), "__provider holds a token");
        assert.doesNotMatch(String(serialized), /emrsess-[0-9a-f]{40}/, "__provider holds a token-shaped string");
      }
      assert.ok(!("token" in (credentials?.inputs ?? {})), "the token is no input");
    });
  });

  describe("on a fresh stack", () => {
    beforeEach(() => standIn.reset());

    it("fails the up on a service error, naming the endpoint and the error code, and keeps no credentials", async () => {
      standIn.failNext({
        status: 400,
        errorType: "ResourceNotFoundException",
        message: `Managed endpoint ${ENDPOINT_ID} does not exist.`,
      });
      const engine = newEngine();
      const result = timings.record("quickstart up, service error", await engine.up());
      assert.equal(result.ok, false);
      const error = result.error ?? "";
      assert.match(error, /ManagedEndpointSessionCredentials "notebook-session"/);
      assert.match(error, new RegExp(`endpoint ${ENDPOINT_ID}\\b`));
      assert.match(error, /ResourceNotFoundException, HTTP 400, request id [0-9a-f-]{36}/);
      assert.match(
        error,
        new RegExp(`at ${standIn.endpoint.replace(/[.]/g, "\\.")}`),
        "the message names the URL called",
      );
      assert.doesNotMatch(error, /emrsess-/);
      assert.doesNotMatch(result.log, /emrsess-/);
      assert.equal(standIn.issuedTokens.length, 0);
      assert.equal(credentialsRequests(standIn).length, 1, "one call: a 400 is not retried");
      assert.deepEqual(engine.state.ofType(CREDENTIALS_TYPE), [], "no credentials in state");
      assert.deepEqual(engine.state.ofType(PARAMETER_TYPE), [], "nothing consumed a token that never came");
    });

    it("fails the preview and the up on bad config with a check failure naming the property, calling nothing", async () => {
      const engine = newEngine({ ...stack.config, [`${stack.project}:durationInSeconds`]: "50000" });
      const preview = timings.record("quickstart preview, bad config", await engine.preview());
      const up = timings.record("quickstart up, bad config", await engine.up());
      for (const result of [preview, up]) {
        assert.equal(result.ok, false);
        assert.match(
          result.error ?? "",
          /resource 'notebook-session': property durationInSeconds has a problem: .*43200/,
        );
        assert.equal(result.timings.host["create"], undefined);
      }
      assert.equal(standIn.requests.length, 0, "no request reached the stand-in");
      assert.deepEqual(engine.state.ofType(CREDENTIALS_TYPE), []);
    });
  });
});
