import type { AwsCallSettings } from "../aws/call-settings";
import type { DeliverTo } from "../destinations/deliver";

/** What every face calls the resource: the last part of its type token, and how messages name it. */
export const RESOURCE_TYPE_NAME = "ManagedEndpointSessionCredentials";

/** A property bag as the host hands it to the provider. */
export type Props = Record<string, unknown>;

/**
 * The resource's inputs as the provider stores them after `check`: defaults applied, the region
 * resolved, and how its AWS calls are made (`AwsCallSettings`). Optional members are absent, never
 * `undefined` (the engine cannot encode `undefined`).
 */
export type SessionCredentialsInputs = AwsCallSettings & {
  virtualClusterIdentifier: string;
  endpointIdentifier: string;
  executionRoleArn: string;
  credentialType: string;
  durationInSeconds: number;
  logContext?: string;
  clientToken?: string;
  renewBeforeSeconds: number;
  triggers?: Record<string, string>;
  /** Also read the endpoint's `serverUrl`, state and certificate (DescribeManagedEndpoint) before minting. */
  describeEndpoint?: boolean;
  /** Where to deliver the token instead of returning it as the `token` output. */
  deliverTo?: DeliverTo;
};

/** The provider's state: the inputs, plus what the service returned. */
export type SessionCredentialsOutputs = SessionCredentialsInputs & {
  /** The session token. A secret: never logged, never in an error. Absent with `deliverTo`. */
  token?: string;
  /** When the token expires (RFC 3339, the service's clock). */
  expiresAt: string;
  /** When a preview or up on the machine that minted replaces it (RFC 3339, that machine's clock). */
  renewAt: string;
  /** How far the service's clock was ahead of this machine's at mint, in ms. */
  serviceClockOffsetMs: number;
  /** The life the service granted, in seconds, when it granted less than asked (absent otherwise). */
  grantedSeconds?: number;
  /** With `describeEndpoint`: the endpoint's Jupyter Enterprise Gateway URL. */
  serverUrl?: string;
  /** With `describeEndpoint`: the endpoint's state when the token was minted (always ACTIVE). */
  endpointState?: string;
  /** With `describeEndpoint`: the endpoint's certificate (base64 PEM), where it has one. */
  certificateData?: string;
  /** With `deliverTo`: the version that holds the token (SSM parameter version, or Secrets Manager VersionId). */
  deliveredVersion?: string;
  /** Set by a refresh that found the destination no longer holding `deliveredVersion` as current: what it found. */
  deliveryLost?: string;
};

/** Inputs whose change needs a new create: the request's own parameters, `triggers`, `describeEndpoint`, `deliverTo`. */
export const TOKEN_SHAPING_INPUTS = [
  "virtualClusterIdentifier",
  "endpointIdentifier",
  "executionRoleArn",
  "credentialType",
  "durationInSeconds",
  "logContext",
  "clientToken",
  "triggers",
  "describeEndpoint",
  "deliverTo",
] as const;

/** Inputs that change only how the API is reached, or when to renew: no new token of themselves. */
export const SETTINGS_INPUTS = [
  "renewBeforeSeconds",
  "region",
  "profile",
  "endpoint",
  "maxAttempts",
  "timeoutSeconds",
  "resourceName",
] as const;

/** The outputs that are secret: stored encrypted, shown as `[secret]`. */
export const SECRET_OUTPUTS = ["token"] as const;

/** The output names that are not inputs. */
export const OUTPUT_NAMES = [
  "token",
  "expiresAt",
  "renewAt",
  "serviceClockOffsetMs",
  "grantedSeconds",
  "serverUrl",
  "endpointState",
  "certificateData",
  "deliveredVersion",
  "deliveryLost",
] as const;
