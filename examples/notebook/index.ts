// Notebook: an execution role and a virtual cluster from @pulumi/aws, session credentials for a
// managed (Jupyter Enterprise Gateway) endpoint in that cluster, and a Secrets Manager secret
// holding what a self-hosted notebook needs: JUPYTER_GATEWAY_URL and JUPYTER_GATEWAY_AUTH_TOKEN.
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
});

const gateway = new aws.secretsmanager.Secret("notebook-gateway", {
  description: "Jupyter Enterprise Gateway URL and token of an EMR on EKS managed endpoint",
});
new aws.secretsmanager.SecretVersion("notebook-gateway", {
  secretId: gateway.id,
  secretString: pulumi.jsonStringify({
    JUPYTER_GATEWAY_URL: credentials.serverUrl,
    JUPYTER_GATEWAY_AUTH_TOKEN: credentials.token,
  }),
});

export const gatewaySecretArn = gateway.arn;
export const serverUrl = credentials.serverUrl;
export const renewAt = credentials.renewAt;
