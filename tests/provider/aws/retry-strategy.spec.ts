import assert from "node:assert/strict";
import type { RetryErrorInfo, RetryStrategyV2 } from "@smithy/types";
import { callLimits } from "../../../provider/aws/call-limits";
import { forgetRateLimiters, retryingClientConfig } from "../../../provider/aws/retry-strategy";

/** What the SDK's retry middleware hands the strategy for a RequestThrottledException. */
const THROTTLE: RetryErrorInfo = {
  errorType: "THROTTLING",
  error: Object.assign(new Error("Rate exceeded"), {
    name: "RequestThrottledException",
    $metadata: { httpStatusCode: 400 },
  }) as RetryErrorInfo["error"],
};

function strategy(region: string, timeoutSeconds: number, service?: string): RetryStrategyV2 {
  return retryingClientConfig({ region, endpoint: "https://emr.example" }, callLimits({ timeoutSeconds }), service)
    .retryStrategy;
}

/** How long, in ms, `strategy` makes a new call wait before its first attempt. */
async function firstAttemptWait(s: RetryStrategyV2): Promise<number> {
  const started = performance.now();
  await s.acquireInitialRetryToken("");
  return performance.now() - started;
}

describe("retryingClientConfig", () => {
  afterEach(forgetRateLimiters);

  it("bounds a call by the SDK's maxAttempts for a failing service, and by timeoutSeconds for throttling unless maxAttempts is set", () => {
    const inputs = { region: "us-west-2" };
    assert.equal(retryingClientConfig(inputs, callLimits({})).maxAttempts, 3);
    assert.equal(callLimits({}).throttlingUntilTimeout, true);
    assert.equal(callLimits({ timeoutSeconds: 30 }).attemptTimeoutMs, 10_000);
    assert.equal(retryingClientConfig(inputs, callLimits({ maxAttempts: 5 })).maxAttempts, 5);
    assert.equal(callLimits({ maxAttempts: 5 }).throttlingUntilTimeout, false);
  });

  it("shares one rate limiter between the clients of one service, account and region, whatever their limits, and only theirs", async () => {
    const throttled = strategy("us-west-2", 60);
    const sameRegion = strategy("us-west-2", 30);
    const otherRegion = strategy("eu-west-1", 60);
    const otherService = strategy("us-west-2", 60, "ssm");
    assert.ok((await firstAttemptWait(sameRegion)) < 200, "no wait before any throttle");
    // The limiter hears throttles once it has measured a whole half-second window: within a second.
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const token = await throttled.acquireInitialRetryToken("");
    const retry = throttled.refreshRetryTokenForRetry(token, THROTTLE);

    assert.ok((await firstAttemptWait(otherRegion)) < 200, "another region's limiter is not slowed down");
    assert.ok((await firstAttemptWait(otherService)) < 200, "another service's limiter is not slowed down");
    const wait = await firstAttemptWait(sameRegion);
    assert.ok(wait >= 1_000, `a client with other limits waits behind the throttle: ${wait} ms`);
    await retry;
  });
});
