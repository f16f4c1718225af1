import type { AwsCallSettings } from "./call-settings";

/** Default `timeoutSeconds`: how long one call may take over all its attempts. */
export const DEFAULT_TIMEOUT_SECONDS = 60;
/** The SDK's default number of attempts per call, used for a failing service when `maxAttempts` is unset. */
export const DEFAULT_MAX_ATTEMPTS = 3;

/** How one call to the service is bounded. */
export interface CallLimits {
  /** Attempts per call, the first included, when the service fails (a 5xx, a silent attempt, a network error). */
  attempts: number;
  /**
   * Whether throttling is retried until `timeoutMs` whatever `attempts` says: true unless the user set
   * `maxAttempts`, which then bounds throttled attempts too.
   */
  throttlingUntilTimeout: boolean;
  /** The whole call's bound, in ms: `timeoutSeconds`. */
  timeoutMs: number;
  /** Each attempt's bound on connecting and on a silent response, in ms: the whole bound shared out between the attempts. */
  attemptTimeoutMs: number;
}

/** The bounds of one call for `inputs`' `maxAttempts` and `timeoutSeconds`, defaults applied. */
export function callLimits(inputs: Pick<AwsCallSettings, "maxAttempts" | "timeoutSeconds">): CallLimits {
  const attempts = inputs.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const timeoutMs = (inputs.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
  return {
    attempts,
    throttlingUntilTimeout: inputs.maxAttempts === undefined,
    timeoutMs,
    attemptTimeoutMs: Math.ceil(timeoutMs / attempts),
  };
}
