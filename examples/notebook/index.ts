// Notebook: an execution role and a virtual cluster from @pulumi/aws, session credentials for a
// managed (Jupyter Enterprise Gateway) endpoint in that cluster, and what a self-hosted notebook
// needs: JUPYTER_GATEWAY_AUTH_TOKEN in a Secrets Manager secret, which the credentials fill
// themselves (`deliverTo`), so the token is never in the stack's state; JUPYTER_GATEWAY_URL, which
// is not secret, in an SSM String parameter.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ManagedEndpointSessionCredentials } from "pulumi-emr-session-credentials";

const config = new pulumi.Config();

const executionRole = new aws.iam.Role("notebook-execution", {
  assumeRolePolicy: JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Principal: { Service: "elasticmapreduce.amazonaws.com" }, Action: "sts:AssumeRole" },
    ],
  }),
});

const cluster = new aws.emrcontainers.VirtualCluster("notebooks", {
  name: "notebooks",
  containerProvider: {
    id: config.require("eksClusterName"),
    type: "EKS",
    info: { eksInfo: { namespace: config.get("namespace") ?? "emr-notebooks" } },
  },
});

// The secret holds the token alone, as its current value: the credentials write each new token
// into it (PutSecretValue); nothing else writes a version.
const gatewayToken = new aws.secretsmanager.Secret("notebook-gateway", {
  description: "JUPYTER_GATEWAY_AUTH_TOKEN of an EMR on EKS managed endpoint, renewed by `pulumi up`",
});

// No Pulumi or Terraform resource creates managed endpoints yet: create it once with
// `aws emr-containers create-managed-endpoint --virtual-cluster-id <id> ...` and name it here.
const credentials = new ManagedEndpointSessionCredentials("notebook-session", {
  virtualClusterIdentifier: cluster.id,
  endpointIdentifier: config.require("endpointId"),
  executionRoleArn: executionRole.arn,
  durationInSeconds: 12 * 3600,
  renewBeforeSeconds: 4 * 3600,
  logContext: "self-hosted-notebook",
  describeEndpoint: true,
  endpoint: config.get("apiEndpoint"),
  deliverTo: { secretsManagerSecret: { secretId: gatewayToken.id } },
});

const gatewayUrl = new aws.ssm.Parameter("notebook-gateway-url", {
  name: `/emr/${pulumi.getStack()}/notebook-gateway-url`,
  type: aws.ssm.ParameterType.String,
  value: credentials.serverUrl.apply((url) => url ?? ""),
  description: "JUPYTER_GATEWAY_URL of an EMR on EKS managed endpoint",
});

export const gatewayTokenSecretArn = gatewayToken.arn;
export const gatewayUrlParameter = gatewayUrl.name;
export const serverUrl = credentials.serverUrl;
export const deliveredVersion = credentials.deliveredVersion;
export const renewAt = credentials.renewAt;
