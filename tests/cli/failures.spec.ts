/**
 * What a user sees under the REAL Pulumi CLI when inputs are wrong, when the service fails, and
 * when `pulumi up` itself is killed while the service is slow to answer; and that the next `up`
 * after the fault succeeds. The quickstart installed from the npm tarball, its EMR calls answered
 * by the local stand-in. The tests run in order, on one stack. Throttling, which is retried until
 * `timeoutSeconds`, has its own spec: throttling.spec.ts.
 */
import assert from "node:assert/strict";
import { exampleStackForSuite } from "../support/example-stack";
import { CREDENTIALS_TYPE } from "../support/local-stack";

const PROJECT = "emr-session-quickstart";
const INTERNAL_ERROR = {
  status: 500,
  errorType: "InternalServerException",
  message: "We encountered an internal error",
};
const NOT_FOUND = { status: 400, errorType: "ResourceNotFoundException", message: "The endpoint does not exist" };

describe("failures under the real Pulumi CLI", function () {
  this.timeout(240_000);
  const example = exampleStackForSuite("quickstart");

  const mints = (): number =>
    example().standIn.requests.filter((r) => r.operation === "GetManagedEndpointSessionCredentials").length;

  it("fails the preview with a message per bad input, sending no request", async () => {
    const good = { ...example().cli.options.config };
    await example().cli.setConfig({
      [`${PROJECT}:executionRoleArn`]: "arn:aws:iam::123456789012:user/not-a-role",
      [`${PROJECT}:durationInSeconds`]: "50000",
    });
    try {
      const { status, output } = await example().cli.run(["preview"], { allowFailure: true });
      assert.notEqual(status, 0);
      assert.match(output, /executionRoleArn.*must be an IAM role ARN/);
      assert.match(output, /durationInSeconds.*must be a whole number from 1 to 43200, got 50000/);
      assert.deepEqual(example().standIn.requests, []);
    } finally {
      await example().cli.setConfig(good);
    }
  });

  for (const [fault, failures, code] of [
    ["an unknown endpoint", [NOT_FOUND], "ResourceNotFoundException"],
    ["500s past the retries", [INTERNAL_ERROR, INTERNAL_ERROR, INTERNAL_ERROR], "InternalServerException"],
  ] as const) {
    it(`fails the up on ${fault} with the provider's message, leaving no credentials`, async () => {
      example().standIn.failNext(...failures);
      const before = mints();
      const { status, output } = await example().cli.run(["up", "--yes", "--skip-preview"], { allowFailure: true });
      assert.notEqual(status, 0);
      assert.match(output, new RegExp(`ManagedEndpointSessionCredentials "notebook-session": .*\\(${code}, HTTP`));
      assert.match(output, /request id [0-9a-f-]{36}/);
      assert.match(output, new RegExp(`${failures.length} attempts?\\)`));
      assert.equal(mints() - before, failures.length, "every attempt reached the service");
      assert.deepEqual(await example().cli.resources(CREDENTIALS_TYPE), []);
      assert.equal(example().standIn.issuedTokens.length, 0);
    });
  }

  it("succeeds on the next up once the fault has cleared", async () => {
    await example().cli.run(["up", "--yes", "--skip-preview"]);
    assert.equal(example().standIn.issuedTokens.length, 1);
    assert.equal((await example().cli.resources(CREDENTIALS_TYPE)).length, 1);
  });

  describe("`pulumi up` killed while the service is slow to answer", () => {
    before(async () => {
      await example().cli.run(["destroy", "--yes"]);
      example().standIn.reset();
    });

    it("leaves a lock and a pending create: `pulumi cancel`, `up` mints one token, `refresh --clear-pending-creates` clears", async () => {
      example().standIn.failNext({ neverAnswer: true });
      const up = example().cli.start(["up", "--yes", "--skip-preview"], { allowFailure: true });
      while (example().standIn.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
      up.kill();
      await up.done;
      // SIGKILL takes effect at once, but a process may take a moment to be gone.
      for (let waited = 0; example().cli.processes().length > 0 && waited < 5000; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.deepEqual(example().cli.processes(), [], "no process of the killed up runs on");

      const locked = await example().cli.run(["up", "--yes", "--skip-preview"], { allowFailure: true });
      assert.notEqual(locked.status, 0);
      assert.match(locked.output, /the stack is currently locked/);
      assert.deepEqual(
        (await example().cli.exportState()).deployment.pending_operations?.map((op) => [op.type, op.resource.type]),
        [["creating", CREDENTIALS_TYPE]],
      );

      await example().cli.run(["cancel", "--yes"]);
      const recovered = await example().cli.run(["up", "--yes", "--skip-preview"]);
      assert.match(recovered.output, /notebook-session, interrupted while creating/);
      assert.equal(example().standIn.issuedTokens.length, 1);
      assert.equal((await example().cli.resources(CREDENTIALS_TYPE)).length, 1);

      await example().cli.run(["refresh", "--yes", "--clear-pending-creates"]);
      assert.equal((await example().cli.exportState()).deployment.pending_operations?.length ?? 0, 0);
      const quiet = await example().cli.run(["up", "--yes", "--expect-no-changes"]);
      assert.doesNotMatch(quiet.output, /pending operations/);
    });
  });
});
