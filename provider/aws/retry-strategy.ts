import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from "@smithy/types";
import type { CallLimits } from "./call-limits";
import type { AwsCallSettings } from "./call-settings";

type UtilRetry = typeof import("@smithy/util-retry");
type NodeHttpHandlerModule = typeof import("@smithy/node-http-handler");

/** The longest pause between two attempts of one call, besides its wait for the shared rate limiter. */
const MAX_BACKOFF_MS = 1_000;
/** The first retry's longest pause; each further retry may pause twice as long, up to `MAX_BACKOFF_MS`. */
const BACKOFF_BASE_MS = 100;

/** The retry and timeout fields of an AWS SDK client's configuration (see `retryingClientConfig`). */
export interface RetryingClientConfig {
  maxAttempts: number;
  retryStrategy: RetryStrategyV2;
  requestHandler: InstanceType<NodeHttpHandlerModule["NodeHttpHandler"]>;
}

/**
 * Where the process keeps its rate limiters: on `globalThis`, like the clients (see `client.ts`),
 * so that they are one per process and never serialized into `__provider`.
 */
const LIMITERS_KEY = "__pulumiEmrSessionCredentialsRateLimiters";

/**
 * The SDK's adaptive rate limiter, shared by concurrent calls (see `sharedRateLimiter`): `send`
 * waits for its leave and resolves with the time it was given, or with `undefined` at `deadline`
 * (a `performance.now()` time) if it has not been given by then (`afterThrottle`: for the retry of
 * a throttled attempt); `answered` tells it how an
 * attempt sent then was answered (what the SDK's retry middleware makes of the error, or nothing
 * for a success).
 */
interface SharedRateLimiter {
  send(deadline: number, afterThrottle?: boolean): Promise<number | undefined>;
  answered(sentAt: number, failure: RetryErrorInfo | undefined): void;
}

/**
 * The process's rate limiter for `service` in the account and region `inputs` call: one per
 * service, region, endpoint and profile, whatever the call's limits, because AWS throttles each API
 * with one token bucket per account and region, which every create of an up (all served by one
 * dynamic-provider host process) shares.
 */
function rateLimiterFor(
  service: string,
  inputs: Pick<AwsCallSettings, "region" | "endpoint" | "profile">,
): SharedRateLimiter {
  const global = globalThis as { [LIMITERS_KEY]?: Map<string, SharedRateLimiter> };
  const limiters = (global[LIMITERS_KEY] ??= new Map<string, SharedRateLimiter>());
  const key = JSON.stringify([service, inputs.region, inputs.endpoint, inputs.profile]);
  let limiter = limiters.get(key);
  if (limiter === undefined) {
    limiter = sharedRateLimiter();
    limiters.set(key, limiter);
  }
  return limiter;
}

/** Forgets the process's rate limiters, so that the next clients start from unthrottled ones. For tests. */
export function forgetRateLimiters(): void {
  (globalThis as { [LIMITERS_KEY]?: Map<string, SharedRateLimiter> })[LIMITERS_KEY]?.clear();
}

/**
 * `DefaultRateLimiter` (`@smithy/util-retry` 3), the SDK's adaptive limiter (off until the first
 * throttle, then a token bucket whose rate drops by `beta` on each throttle and grows back,
 * cubically, on each success), as many concurrent calls can share it. Four things it does not do
 * by itself:
 * - it takes a token only after its wait, so concurrent callers all compute the same wait and send
 *   together, in a burst as large as the number of creates in flight: callers queue, so that each
 *   waits from the previous one's token, and a caller whose deadline passes leaves the queue without
 *   using one;
 * - it looks for the throttle on the object it is given, while the SDK's `AdaptiveRetryStrategy`
 *   hands it a `RetryErrorInfo`, so it never sees one (smithy-typescript issue 1328): it is given
 *   the error itself;
 * - it slows down again for every throttle, even for attempts sent before it last slowed down,
 *   so that the throttles of the attempts in flight when the service first throttles take it to its
 *   floor at once: only an attempt sent after the last slowdown counts, once per round as TCP does;
 * - it measures the rate of answers in half-second windows, and its first window measures nothing,
 *   however fast answers come: a throttle then (the service's burst is spent in a few ms) would take
 *   it to its floor (0.5 a second), to climb back for seconds, so it hears throttles once it has
 *   measured a whole window, and slows down from the rate it measured; the retries of attempts
 *   throttled before then wait for it (at most a second), rather than hammer the service unheard.
 */
function sharedRateLimiter(): SharedRateLimiter {
  const { DefaultRateLimiter } = require("@smithy/util-retry") as UtilRetry;
  const limiter = new DefaultRateLimiter();
  let queue: Promise<unknown> = Promise.resolve();
  // The second half-second boundary after it was made, on its own clock (s since the epoch): by
  // then it has measured a whole window.
  const measuresFrom = (Math.floor((Date.now() / 1000) * 2) + 2) / 2;
  let slowedDownAt = Number.NEGATIVE_INFINITY;
  /** A leave given to a caller whose deadline had passed by then: the next caller takes it. */
  let spare = false;
  return {
    async send(deadline, afterThrottle = false) {
      const unmeasuredMs = afterThrottle ? measuresFrom * 1000 - Date.now() : 0;
      if (unmeasuredMs > 0) {
        if (performance.now() + unmeasuredMs >= deadline) return undefined;
        await new Promise((resolve) => setTimeout(resolve, unmeasuredMs));
      }
      const turn = queue.then(async () => {
        if (performance.now() >= deadline) return undefined;
        if (spare) spare = false;
        else await limiter.getSendToken();
        if (performance.now() < deadline) return performance.now();
        spare = true;
        return undefined;
      });
      queue = turn;
      return beforeDeadline(turn, deadline);
    },
    answered(sentAt, failure) {
      const throttled = failure?.errorType === "THROTTLING";
      if (throttled && (sentAt < slowedDownAt || Date.now() / 1000 < measuresFrom)) return;
      limiter.updateClientSendingRate(failure?.error ?? {});
      if (throttled) slowedDownAt = performance.now();
    },
  };
}

/**
 * The pause before retry number `retry` (1 for the first): a random time up to
 * `BACKOFF_BASE_MS * 2^(retry - 1)`, as the SDK's standard strategy pauses after a 5xx, but at most
 * `MAX_BACKOFF_MS` rather than 20 s, since the rate limiter is what spaces throttled attempts out.
 */
function backoffDelay(retry: number): number {
  return Math.floor(Math.random() * Math.min(MAX_BACKOFF_MS, BACKOFF_BASE_MS * 2 ** (retry - 1)));
}

/** What `promise` resolves to, or `undefined` if it has not by `deadline` (a `performance.now()` time). */
async function beforeDeadline<T>(promise: Promise<T>, deadline: number): Promise<T | undefined> {
  if (deadline === Number.POSITIVE_INFINITY) return promise;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), Math.max(0, deadline - performance.now()));
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The name of the error of a call whose first attempt waited for the rate limiter past its deadline. */
export const THROTTLED_BEFORE_SENDING = "ThrottledBeforeSending";

/**
 * The error of a call that never sent: the service had throttled other calls of the process, and
 * its turn at the shared rate limiter did not come within `timeoutMs`.
 */
function throttledBeforeSending(limits: CallLimits): Error {
  return Object.assign(
    new Error(
      `the call waited ${limits.timeoutMs / 1000} s for its turn at this process's rate limiter, ` +
        "which the service's throttling of other calls had slowed down, and sent nothing",
    ),
    { name: THROTTLED_BEFORE_SENDING, $metadata: { attempts: 0 } },
  );
}

/** What the strategy keeps of one call across its tokens. */
interface CallRecord {
  /** `performance.now()` past which no attempt starts: the call's start plus `timeoutMs`. */
  deadline: number;
  /** Failed attempts other than throttled ones. */
  failures: number;
  /** When the limiter let the last attempt go. */
  sentAt: number;
  /** The SDK's strategy deciding this call's retries. */
  standard: RetryStrategyV2;
  /** The last attempt's error when the service throttled it; `undefined` after any other answer. */
  lastThrottle?: unknown;
}

/** The SDK's name for the error of an attempt cut off by the call's abort signal (its deadline). */
const CALL_CUT_OFF = "AbortError";

/** Each error of a call cut off at its deadline while retrying a throttle, with that throttle. */
const throttlesCutOff = new WeakMap<object, unknown>();

/**
 * The service's throttling answer behind `error`, when `error` is the SDK's error for a call that
 * its deadline cut off while it was retrying that throttle (the retry in flight, its answer not
 * yet read): the call failed of throttling, not of a silent service. `undefined` for any other error.
 */
export function throttleCutOff(error: unknown): unknown {
  return typeof error === "object" && error !== null ? throttlesCutOff.get(error) : undefined;
}

/**
 * The SDK's adaptive retry, for one client's `limits`, over `limiter`: every attempt, retries
 * included, waits for the shared limiter (the SDK's `AdaptiveRetryStrategy` 3 lets retries pass
 * it: smithy-typescript pull request 1974 adds the wait), and the SDK's `ConfiguredRetryStrategy`
 * decides the rest with this package's bounds:
 * - throttling is retried until no attempt can start before the call's deadline (`timeoutMs`),
 *   however many attempts that takes, unless the user set `maxAttempts` (`throttlingUntilTimeout`);
 * - a failing service (a 5xx, a silent attempt, a dropped connection) gets `attempts` attempts;
 * - pauses are short (`backoffDelay`), since the limiter spaces the attempts out.
 * A call that is not retried fails with its last error, whose `$metadata.attempts` counts them;
 * a call its deadline cuts off is not retried, and when it was retrying a throttle, that throttle
 * is what it failed of (`throttleCutOff`).
 *
 * Each call gets a `ConfiguredRetryStrategy` of its own, so that the standard strategy's retry
 * quota (500, 5 per throttled retry, 10 per other: 100 throttled retries make further retries fail
 * at once) bounds one call rather than every call of the process. Shared, it was spent within a
 * second by 64 creates throttled together, which then failed at once, well before `timeoutSeconds`;
 * the shared limiter is what slows the process down.
 */
function boundedAdaptiveStrategy(limiter: SharedRateLimiter, limits: CallLimits): RetryStrategyV2 {
  const { ConfiguredRetryStrategy } = require("@smithy/util-retry") as UtilRetry;
  const maxAttempts = async () => (limits.throttlingUntilTimeout ? Number.POSITIVE_INFINITY : limits.attempts);
  const calls = new WeakMap<RetryToken, CallRecord>();
  const noRetry = (why: string) => new Error(`not retried: ${why}`);
  return {
    async acquireInitialRetryToken(scope) {
      const deadline = performance.now() + limits.timeoutMs;
      const sentAt = await limiter.send(deadline);
      if (sentAt === undefined) throw throttledBeforeSending(limits);
      const standard = new ConfiguredRetryStrategy(maxAttempts, backoffDelay);
      const token = await standard.acquireInitialRetryToken(scope);
      calls.set(token, { deadline, failures: 0, sentAt, standard });
      return token;
    },
    async refreshRetryTokenForRetry(token, errorInfo) {
      const call = calls.get(token) as CallRecord;
      limiter.answered(call.sentAt, errorInfo);
      if (errorInfo.error?.name === CALL_CUT_OFF) {
        if (call.lastThrottle !== undefined) throttlesCutOff.set(errorInfo.error, call.lastThrottle);
        throw noRetry("cut off at the call's deadline");
      }
      const throttled = errorInfo.errorType === "THROTTLING";
      call.lastThrottle = throttled ? errorInfo.error : undefined;
      if (!throttled && ++call.failures >= limits.attempts) throw noRetry("attempts spent");
      const next = await call.standard.refreshRetryTokenForRetry(token, errorInfo);
      // A failing service's last attempt may run into the call's abort signal, as it always has; a
      // throttled call stops before, so that it fails with the throttle rather than an abort.
      const sendBy = throttled ? call.deadline - next.getRetryDelay() : Number.POSITIVE_INFINITY;
      const sentAt = await limiter.send(sendBy, throttled);
      if (sentAt === undefined) throw noRetry("past the deadline");
      call.sentAt = sentAt;
      calls.set(next, call);
      return next;
    },
    recordSuccess(token) {
      const call = calls.get(token) as CallRecord;
      limiter.answered(call.sentAt, undefined);
      call.standard.recordSuccess(token);
    },
  };
}

/**
 * The retry and timeout fields of the configuration of an AWS SDK client of `service` (its signing
 * name; default EMR on EKS's) for `inputs`' account and region (`region`, `endpoint`, `profile`) and
 * `limits`: `retryStrategy` (see `boundedAdaptiveStrategy`, over the process's shared limiter for
 * that service, account and region),
 * `maxAttempts` (what the `amz-sdk-request` header names as the maximum: `limits.attempts`), and a
 * request handler that cuts each attempt off after `limits.attemptTimeoutMs` to connect or while
 * silent. Make one per client, and keep the client: the limiter is shared either way.
 */
export function retryingClientConfig(
  inputs: Pick<AwsCallSettings, "region" | "endpoint" | "profile">,
  limits: CallLimits,
  service = "emr-containers",
): RetryingClientConfig {
  const { NodeHttpHandler } = require("@smithy/node-http-handler") as NodeHttpHandlerModule;
  return {
    maxAttempts: limits.attempts,
    retryStrategy: boundedAdaptiveStrategy(rateLimiterFor(service, inputs), limits),
    requestHandler: new NodeHttpHandler({
      connectionTimeout: limits.attemptTimeoutMs,
      requestTimeout: limits.attemptTimeoutMs,
    }),
  };
}
