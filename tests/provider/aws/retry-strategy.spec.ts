import assert from "node:assert/strict";
import type { RetryErrorInfo, RetryStrategyV2 } from "@smithy/types";
import { callLimits } from "../../../provider/aws/call-limits";
import { describeCallError } from "../../../provider/aws/errors";
import { forgetRateLimiters, retryingClientConfig, throttleCutOff } from "../../../provider/aws/retry-strategy";

/** What the SDK's retry middleware hands the strategy for a RequestThrottledException. */
const THROTTLE: RetryErrorInfo = {
  errorType: "THROTTLING",
  error: Object.assign(new Error("Rate exceeded"), {
    name: "RequestThrottledException",
    $metadata: { httpStatusCode: 400, requestId: "throttled-request" },
  }) as RetryErrorInfo["error"],
};

/** What it hands the strategy for an attempt the call's abort signal (its deadline) cut off, and for one that timed out. */
const cutOff = (): RetryErrorInfo => ({
  errorType: "CLIENT_ERROR",
  error: Object.assign(new Error("Request aborted"), { name: "AbortError" }) as RetryErrorInfo["error"],
});
const SILENT: RetryErrorInfo = {
  errorType: "TRANSIENT",
  error: Object.assign(new Error("timed out"), { name: "TimeoutError" }) as RetryErrorInfo["error"],
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

  it("never retries a call its deadline cut off; cut off while retrying a throttle, it fails of that throttle", async () => {
    const s = strategy("us-west-2", 60);
    const whileThrottled = cutOff();
    const throttledRetry = await s.refreshRetryTokenForRetry(await s.acquireInitialRetryToken(""), THROTTLE);
    await assert.rejects(s.refreshRetryTokenForRetry(throttledRetry, whileThrottled), /cut off at the call's deadline/);
    assert.equal(throttleCutOff(whileThrottled.error), THROTTLE.error);
    Object.assign(whileThrottled.error as object, { $metadata: { attempts: 2 } });
    const inputs = { resourceName: "r", region: "us-west-2", virtualClusterIdentifier: "vc", endpointIdentifier: "ep" };
    const message = describeCallError(whileThrottled.error, inputs, undefined, 5_100).message;
    assert.match(
      message,
      /\(RequestThrottledException, HTTP 400, request id throttled-request, 2 attempts\): Rate exceeded\./,
    );
    assert.match(message, /still throttling \(rate exceeded\) after 2 attempts over 5\.1 s/);

    // Throttled, then silent: a call cut off after another answer than a throttle failed of its deadline.
    const afterSilence = cutOff();
    const throttledFirst = await s.refreshRetryTokenForRetry(await s.acquireInitialRetryToken(""), THROTTLE);
    const silentRetry = await s.refreshRetryTokenForRetry(throttledFirst, SILENT);
    await assert.rejects(s.refreshRetryTokenForRetry(silentRetry, afterSilence), /cut off/);
    assert.equal(throttleCutOff(afterSilence.error), undefined);
    assert.match(describeCallError(afterSilence.error, inputs).message, /timed out \(AbortError\)/);
  });
});
