// Never in state: session credentials for an existing EMR on EKS managed endpoint whose token is
// written straight to where applications read it, an SSM SecureString parameter and an existing
// Secrets Manager secret, and never returned: the stack's state (and `pulumi stack export
// --show-secrets`) holds no token, only the version of each destination that holds it.
import * as pulumi from "@pulumi/pulumi";
import { ManagedEndpointSessionCredentials } from "pulumi-emr-session-credentials";

const config = new pulumi.Config();

const session = {
  virtualClusterIdentifier: config.require("virtualClusterId"),
  endpointIdentifier: config.require("endpointId"),
  executionRoleArn: config.require("executionRoleArn"),
  durationInSeconds: config.getNumber("durationInSeconds") ?? 3600,
  // Optional: a custom EMR API URL, such as the local stand-in of the `local` stack. SSM and
  // Secrets Manager are reached the SDK's own way (AWS_ENDPOINT_URL_SSM, a profile's endpoint_url).
  endpoint: config.get("apiEndpoint"),
};

const parameterName = config.get("parameterName") ?? `/emr/${pulumi.getStack()}/session-token`;

// PutParameter (SecureString, Overwrite): a new parameter version with each token.
const inParameter = new ManagedEndpointSessionCredentials("token-in-ssm", {
  ...session,
  deliverTo: { ssmParameter: { name: parameterName, kmsKeyId: config.get("kmsKeyId") } },
});

// PutSecretValue: the token becomes the secret's AWSCURRENT version. The secret must exist.
const inSecret = new ManagedEndpointSessionCredentials("token-in-secrets-manager", {
  ...session,
  deliverTo: { secretsManagerSecret: { secretId: config.require("secretId") } },
});

export { parameterName };
export const parameterVersion = inParameter.deliveredVersion;
export const secretVersion = inSecret.deliveredVersion;
export const renewAt = inParameter.renewAt;
