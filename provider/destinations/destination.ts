import { callLimits } from "../aws/call-limits";
import type { AwsCallSettings } from "../aws/call-settings";
import { callErrorFacts, credentialsRemedy, resourceLabel, throttlingRemedy } from "../aws/errors";
import { THROTTLED_BEFORE_SENDING } from "../aws/retry-strategy";

/** A place the token is delivered to, for one resource's inputs. */
export interface Destination {
  /** How messages name it, such as `SSM parameter "/emr/token"`. */
  readonly label: string;
  /** Writes `token` as the destination's new current value; resolves to the version that holds it. */
  put(token: string): Promise<string>;
  /**
   * Reads what the destination holds now, never the value: `undefined` while `version` is still
   * its current one, else what it found instead (another version, no destination at all).
   */
  lost(version: string): Promise<string | undefined>;
}

/** The SDK's variables that point a service's calls elsewhere, as messages name them. */
export interface DestinationService {
  /** The service's name in messages, such as `SSM`. */
  name: string;
  /** Its own endpoint variable, such as `AWS_ENDPOINT_URL_SSM`. */
  endpointVariable: string;
}

/**
 * Turns a failed call to a destination into an error naming the resource, the destination and its
 * region, the AWS error code and request id, and what to do: `remedy(code, message)` where the
 * destination knows better (a missing secret, a refused KMS key), else what is true of every AWS
 * call (denied, throttled, unreachable, bad credentials). It never contains a token.
 */
export function describeDestinationError(
  error: unknown,
  inputs: AwsCallSettings,
  destination: { label: string; service: DestinationService; iamAction: string; resourceArn: string },
  operation: string,
  waitedMs: number,
  remedy: (code: string, message: string) => string | undefined,
): Error {
  const { code, attempts, facts, message } = callErrorFacts(error);
  const { service } = destination;
  const reach =
    `Check the network, the region and where the SDK sends ${service.name} calls ` +
    `(${service.endpointVariable}, AWS_ENDPOINT_URL, or endpoint_url in the profile), then run the update again`;
  const common = (): string => {
    switch (code) {
      case "AccessDeniedException":
      case "AccessDenied":
        return `Allow the caller \`${destination.iamAction}\` on ${destination.resourceArn}.`;
      case THROTTLED_BEFORE_SENDING:
      case "ThrottlingException":
        return throttlingRemedy(code, inputs, service.name, attempts, waitedMs, "");
      case "timeout":
        return (
          `${service.name} did not answer: waited ${(waitedMs / 1000).toFixed(1)} s over ${attempts} attempts. ` +
          `${reach}; raise \`timeoutSeconds\` (now ${callLimits(inputs).timeoutMs / 1000} s) if it is only slow.`
        );
      case "network":
        return `${reach}.`;
      default:
        return credentialsRemedy(code) ?? "See the message above; run the update again once the cause is fixed.";
    }
  };
  return new Error(
    `${resourceLabel(inputs)}: ${operation} failed for ${destination.label} in ${inputs.region} (${facts}): ` +
      `${message.replace(/\.$/, "")}. ${remedy(code, message) ?? common()}`,
  );
}

/**
 * `sending`, resolved to `undefined` instead of rejecting when the service answers `notFound`
 * (such as `ParameterNotFound`): for reads that find a destination gone.
 */
export function orAbsent<T>(sending: Promise<T>, notFound: string): Promise<T | undefined> {
  return sending.catch((error: unknown) => {
    if ((error as { name?: string }).name === notFound) return undefined;
    throw error;
  });
}
