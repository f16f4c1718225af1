/**
 * A platform's stack of many credentials under the REAL Pulumi CLI, at Pulumi's default
 * parallelism, against a stand-in of the service that throttles past 10 requests a second (bursts
 * of 10), as AWS does per account and region. With 3 quick attempts per call, an up of 30 failed
 * here with 19 created; now every create rides the throttling out through the host's one rate
 * limiter. The tests run in order, on one stack.
 */
import assert from "node:assert/strict";
import type { RecordedRequest } from "../support/emr-service-stand-in";
import type { CliProjectStack } from "../support/cli-project";
import { startFleetStack } from "../support/credentials-fleet";
import { CREDENTIALS_TYPE } from "../support/local-stack";
import { clockMovedBy } from "../support/moved-clock";

const COUNT = 30;
const RATE = { perSecond: 10, burst: 10 };
/** Past the default renewal time of a 900 s token (renewed 300 s before it expires). */
const PAST_RENEW_AT = 700;

/** The mint requests, grouped by SDK invocation (one `send()` and its retries each). */
function sends(requests: RecordedRequest[]): RecordedRequest[][] {
  const byInvocation = new Map<unknown, RecordedRequest[]>();
  for (const r of requests.filter((r) => r.operation === "GetManagedEndpointSessionCredentials")) {
    const id = r.headers["amz-sdk-invocation-id"];
    byInvocation.set(id, [...(byInvocation.get(id) ?? []), r]);
  }
  return [...byInvocation.values()];
}

describe("many credentials against a throttling service, under the real Pulumi CLI", function () {
  this.timeout(240_000);
  let fleet: CliProjectStack;

  before(async () => {
    fleet = await startFleetStack(COUNT, RATE);
  });
  after(async () => {
    await fleet?.dispose();
  });

  /** Asserts that the requests since `from` were `count` sends, each with one clientToken, and some throttled. */
  function assertOneSendPerCreate(from: number, count: number): void {
    const requests = fleet.standIn.requests.slice(from);
    const perCreate = sends(requests);
    assert.equal(perCreate.length, count, "one send per create");
    for (const attempts of perCreate)
      assert.equal(new Set(attempts.map((r) => r.body?.clientToken)).size, 1, "one clientToken per create");
    assert.ok(
      requests.some((r) => r.status === 400),
      "the service throttled some attempts",
    );
  }

  it(`creates all ${COUNT} credentials in one up at 10 requests a second, minting exactly ${COUNT} tokens`, async () => {
    await fleet.cli.run(["up", "--yes", "--skip-preview"]);

    assert.equal((await fleet.cli.resources(CREDENTIALS_TYPE)).length, COUNT);
    assert.equal(fleet.standIn.issuedTokens.length, COUNT);
    assertOneSendPerCreate(0, COUNT);
  });

  it(`renews all ${COUNT} credentials due at once in one up, minting exactly ${COUNT} new tokens`, async () => {
    const from = fleet.standIn.requests.length;

    await fleet.cli.run(["up", "--yes", "--skip-preview"], { env: clockMovedBy(PAST_RENEW_AT) });

    assert.equal(fleet.standIn.issuedTokens.length, 2 * COUNT);
    assert.equal((await fleet.cli.resources(CREDENTIALS_TYPE)).length, COUNT);
    assertOneSendPerCreate(from, COUNT);
  });

  it("fails past timeoutSeconds saying why and what to do, leaves nothing half-made, and the next up finishes", async () => {
    await fleet.cli.setConfig({ "fleet:count": String(COUNT + 10), "fleet:timeoutSeconds": "3" });
    fleet.standIn.throttle({ perSecond: 0.5, burst: 1 });
    const before = fleet.standIn.issuedTokens.length;

    const failed = await fleet.cli.run(["up", "--yes", "--skip-preview"], { allowFailure: true });

    assert.notEqual(failed.status, 0);
    assert.match(
      failed.output,
      /GetManagedEndpointSessionCredentials failed .*\((RequestThrottledException, HTTP 400, request id [0-9a-f-]{36}, \d+ attempts?|ThrottledBeforeSending, 0 attempts)\).*, as long as `timeoutSeconds` \(3\) allows; no token was handed out\. .*raise `timeoutSeconds`, lower `pulumi up --parallel`, or ask AWS for a higher rate/,
    );
    const created = (await fleet.cli.resources(CREDENTIALS_TYPE)).length;
    assert.ok(created < COUNT + 10, `some creates failed: ${created}`);
    assert.equal(
      fleet.standIn.issuedTokens.length - before,
      created - COUNT,
      "a token for every credential made, no other",
    );
    assert.equal((await fleet.cli.exportState()).deployment.pending_operations?.length ?? 0, 0);

    fleet.standIn.throttle(RATE);
    await fleet.cli.setConfig({ "fleet:timeoutSeconds": "60" });
    await fleet.cli.run(["up", "--yes", "--skip-preview"]);
    assert.equal((await fleet.cli.resources(CREDENTIALS_TYPE)).length, COUNT + 10);
    assert.equal(fleet.standIn.issuedTokens.length - before, 10);
  });
});
