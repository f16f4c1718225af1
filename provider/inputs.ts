/** A property bag as the host hands it to the provider. */
export type Props = Record<string, unknown>;

/** Where `create` writes the token, so that it is never an input or an output: exactly one member. */
export type DeliverTo =
  | {
      /** An SSM parameter, written as a SecureString (PutParameter with Overwrite): a new version each time. */
      ssmParameter: {
        /** The parameter's name, such as `/emr/notebooks/token`. */
        name: string;
        /** The KMS key that encrypts it (key id, key ARN, `alias/...` or alias ARN). Default: the account's `alias/aws/ssm`. */
        kmsKeyId?: string;
      };
      secretsManagerSecret?: never;
    }
  | {
      /** A Secrets Manager secret that exists, whose new current value it becomes (PutSecretValue). */
      secretsManagerSecret: {
        /** The secret's name or ARN. */
        secretId: string;
      };
      ssmParameter?: never;
    };

/**
 * The resource's inputs as the provider stores them after `check`: defaults applied, the region
 * resolved. Optional members are absent, never `undefined` (the engine cannot encode `undefined`).
 */
export type SessionCredentialsInputs = {
  virtualClusterIdentifier: string;
  endpointIdentifier: string;
  executionRoleArn: string;
  credentialType: string;
  durationInSeconds: number;
  logContext?: string;
  clientToken?: string;
  renewBeforeSeconds: number;
  triggers?: Record<string, string>;
  region: string;
  profile?: string;
  endpoint?: string;
  maxAttempts?: number;
  /** How long one call may take over all its attempts, in seconds (default `DEFAULT_TIMEOUT_SECONDS`). */
  timeoutSeconds?: number;
  /** Also read the endpoint's `serverUrl`, state and certificate (DescribeManagedEndpoint) before minting. */
  describeEndpoint?: boolean;
  /** The Pulumi resource's name, so that errors can name it. */
  resourceName?: string;
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
