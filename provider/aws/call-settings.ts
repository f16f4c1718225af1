/**
 * How one resource reaches AWS: the region and credentials of its calls, the EMR on EKS API's URL,
 * the bounds of each call, and the name messages give the resource. Every AWS call the provider
 * makes takes these; a resource's checked inputs carry them.
 */
export type AwsCallSettings = {
  /** The AWS region. */
  region: string;
  /** A custom EMR on EKS API URL (a VPC endpoint, a local stand-in); the other services' come from the SDK's own configuration. */
  endpoint?: string;
  /** A named profile for credentials; else the SDK's default chain. */
  profile?: string;
  /** Attempts per call; unset, 3 for a failing service and throttling retried until `timeoutSeconds`. */
  maxAttempts?: number;
  /** How long one call may take over all its attempts, in seconds (default `DEFAULT_TIMEOUT_SECONDS`). */
  timeoutSeconds?: number;
  /** The Pulumi resource's name, so that errors can name it. */
  resourceName?: string;
};

/** The settings of a call about one managed endpoint: the EMR on EKS calls name it in their errors. */
export type EndpointCallSettings = AwsCallSettings & {
  virtualClusterIdentifier: string;
  endpointIdentifier: string;
};
