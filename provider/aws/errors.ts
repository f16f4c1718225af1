import { callLimits } from "./call-limits";
import type { AwsCallSettings, EndpointCallSettings } from "./call-settings";
import { THROTTLED_BEFORE_SENDING, throttleCutOff } from "./retry-strategy";

/** What an error from the AWS SDK carries that a message can use. */
interface AwsErrorLike {
  name?: string;
  code?: string;
  message?: string;
  $fault?: string;
  $metadata?: { requestId?: string; httpStatusCode?: number; attempts?: number };
}

/** The URL the provider calls for `inputs`: the custom `endpoint`, else the regional one. */
export function serviceUrl(inputs: Pick<AwsCallSettings, "endpoint" | "region">): string {
  return inputs.endpoint ?? `https://emr-containers.${inputs.region}.amazonaws.com`;
}

// An array, not a Set: a Set does not survive serialization into `__provider`.
const NETWORK_CODES = ["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH"];
/** What the SDK names an attempt cut off by its timeout (`TimeoutError`) or by the call's deadline (`AbortError`). */
const TIMEOUT_NAMES = ["TimeoutError", "AbortError"];

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** What to do when the AWS credentials (the same for every service called) are at fault; `undefined` when not. */
export function credentialsRemedy(code: string): string | undefined {
  switch (code) {
    case "UnrecognizedClientException":
    case "InvalidSignatureException":
    case "ExpiredTokenException":
    case "InvalidClientTokenId":
      return "The AWS credentials were rejected: refresh them (`aws sso login`, new keys) or choose another `profile`.";
    case "CredentialsProviderError":
      return (
        "No AWS credentials were found: set `profile` or stack config `aws:profile`, or AWS_PROFILE, " +
        "or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."
      );
    default:
      return undefined;
  }
}

/**
 * What to do about a call that throttling stopped (`code` `ThrottledBeforeSending`: its turn at this
 * process's rate limiter never came; any other: the service's throttling answer), for every service
 * called (`service`, as messages name it): how long it was retried, within which bound
 * (`timeoutSeconds`, or a `maxAttempts` the user set), `outcome`, and what to do.
 */
export function throttlingRemedy(
  code: string,
  inputs: AwsCallSettings,
  service: string,
  attempts: number,
  waitedMs: number,
  outcome: string,
): string {
  const limits = callLimits(inputs);
  const bound = limits.throttlingUntilTimeout
    ? `as long as \`timeoutSeconds\` (${limits.timeoutMs / 1000}) allows`
    : `as many as \`maxAttempts\` (${limits.attempts}) allows`;
  const lead =
    code === THROTTLED_BEFORE_SENDING
      ? `${service} was throttling the other calls of this update: this one waited ${seconds(waitedMs)} for its turn`
      : `${service} was still throttling (rate exceeded) after ${plural(attempts, "attempt")} over ${seconds(waitedMs)}`;
  return (
    `${lead}, ${bound}${outcome}. The calls of this update share the request rate of the account in ${inputs.region} ` +
    "with every other caller: raise `timeoutSeconds`" +
    (limits.throttlingUntilTimeout ? "" : " and remove `maxAttempts`, so that throttling is retried until it is up") +
    ", lower `pulumi up --parallel`, or ask AWS for a higher rate; then run the update again, which creates what is missing."
  );
}

function remedy(
  code: string,
  inputs: EndpointCallSettings,
  attempts: number,
  operation: string,
  waitedMs: number,
): string {
  switch (code) {
    case "timeout": {
      const limits = callLimits(inputs);
      return (
        `The service did not answer: waited ${seconds(waitedMs)} over ${plural(attempts, "attempt")} ` +
        `(each cut off after ${seconds(limits.attemptTimeoutMs)}, the call after ${seconds(limits.timeoutMs)}). ` +
        "Check the network, the region and `endpoint` (a VPC endpoint needs a route and a security group that let HTTPS through), " +
        "then run the update again; raise `timeoutSeconds` if the service is only slow."
      );
    }
    case "ValidationException":
      return "Fix the input the service names above; `executionRoleArn` must be a role the endpoint was created to use.";
    case "ResourceNotFoundException":
      return (
        `Check that the endpoint exists in virtual cluster ${inputs.virtualClusterIdentifier} in ${inputs.region}, ` +
        "in the account of your credentials (`aws emr-containers list-managed-endpoints --virtual-cluster-id <id>`)."
      );
    case THROTTLED_BEFORE_SENDING:
    case "RequestThrottledException":
      return throttlingRemedy(code, inputs, "The service", attempts, waitedMs, "; no token was handed out");
    case "InternalServerException":
      return `The service failed on ${plural(attempts, "attempt")}: run the update again later; no token was handed out.`;
    case "AccessDeniedException":
    case "AccessDenied":
      return (
        `Allow the caller \`emr-containers:${operation}\` on the endpoint ARN, ` +
        "and check that the execution role is one the endpoint accepts."
      );
    case "network":
      return "Check the network, the region and `endpoint`, then run the update again.";
    default:
      return credentialsRemedy(code) ?? "See the message above; run the update again once the cause is fixed.";
  }
}

/** How messages name the Pulumi resource. */
export function resourceLabel(inputs: Pick<AwsCallSettings, "resourceName">): string {
  return `ManagedEndpointSessionCredentials${inputs.resourceName ? ` "${inputs.resourceName}"` : ""}`;
}

/**
 * Turns a failed call (GetManagedEndpointSessionCredentials by default) into an error whose message names the
 * resource, the endpoint and virtual cluster, the URL, the AWS error code and request id, and what
 * to do; for a call cut off by its timeouts, how long it waited (`waitedMs`) and over how many
 * attempts. It never contains a token: none is known when a call fails.
 */
export function describeCallError(
  error: unknown,
  inputs: EndpointCallSettings,
  operation = "GetManagedEndpointSessionCredentials",
  waitedMs = 0,
): Error {
  const { code, attempts, facts, message } = callErrorFacts(error);
  return new Error(
    `${resourceLabel(inputs)}: ${operation} failed for endpoint ${inputs.endpointIdentifier} ` +
      `in virtual cluster ${inputs.virtualClusterIdentifier} at ${serviceUrl(inputs)} (${facts}): ` +
      `${message}. ${remedy(code, inputs, attempts, operation, waitedMs)}`,
  );
}

/** What a failed AWS call says of itself, as messages use it. */
export interface CallErrorFacts {
  /** The AWS error code, or `network` or `timeout`. */
  code: string;
  /** Attempts made, the first included. */
  attempts: number;
  /** The code, HTTP status, request id and attempts, as one parenthesis's text. */
  facts: string;
  /** The error's own message. */
  message: string;
}

/**
 * Reads the code, request id and attempts of a failed call's error (from the AWS SDK or the
 * network); of a call cut off at its deadline while retrying a throttle, the throttle's code,
 * request id and message, with every attempt counted.
 */
export function callErrorFacts(error: unknown): CallErrorFacts {
  const thrown = (typeof error === "object" && error !== null ? error : { message: String(error) }) as AwsErrorLike;
  const e = (throttleCutOff(error) ?? thrown) as AwsErrorLike;
  const network = e.code !== undefined && NETWORK_CODES.includes(e.code);
  const timedOut = !network && e.name !== undefined && TIMEOUT_NAMES.includes(e.name);
  const code = network ? "network" : timedOut ? "timeout" : (e.name ?? e.code ?? "Error");
  const meta = e.$metadata ?? {};
  const attempts = thrown.$metadata?.attempts ?? 1;
  const facts = [
    network ? `network error ${e.code}` : timedOut ? `timed out (${e.name})` : code,
    meta.httpStatusCode ? `HTTP ${meta.httpStatusCode}` : undefined,
    meta.requestId ? `request id ${meta.requestId}` : undefined,
    plural(attempts, "attempt"),
  ]
    .filter(Boolean)
    .join(", ");
  return { code, attempts, facts, message: e.message ?? "no message" };
}
