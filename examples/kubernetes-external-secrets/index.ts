// Kubernetes with the External Secrets Operator: session credentials for an EMR on EKS managed
// endpoint deliver each token straight into a Secrets Manager secret (`deliverTo`), so no token
// is ever in the stack's state; the operator syncs that secret into a Kubernetes Secret, which a
// Jupyter notebook Deployment reads as an environment variable. The gateway URL is not secret and
// goes into the pod template as is. Each renewal writes a new secret version, whose id
// (`deliveredVersion`) makes the operator sync at once and rolls the pods to read the new token.
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ManagedEndpointSessionCredentials } from "pulumi-emr-session-credentials";

const config = new pulumi.Config();
const namespace = config.get("namespace") ?? "default";
const renewBeforeSeconds = config.requireNumber("renewBeforeSeconds");

const gatewayToken = new aws.secretsmanager.Secret("notebook-gateway-token", {
  name: config.get("secretName") ?? `emr/${pulumi.getStack()}/notebook-gateway-token`,
  description: "JUPYTER_GATEWAY_AUTH_TOKEN of an EMR on EKS managed endpoint, renewed by `pulumi up`",
});

const credentials = new ManagedEndpointSessionCredentials("notebook-session", {
  virtualClusterIdentifier: config.require("virtualClusterId"),
  endpointIdentifier: config.require("endpointId"),
  executionRoleArn: config.require("executionRoleArn"),
  durationInSeconds: config.requireNumber("durationInSeconds"),
  renewBeforeSeconds,
  logContext: "kubernetes-notebook",
  // Fills serverUrl, and refuses an endpoint that is not ACTIVE.
  describeEndpoint: true,
  // Optional: a custom EMR API URL, such as the local stand-in of the `local` stack.
  endpoint: config.get("apiEndpoint"),
  deliverTo: { secretsManagerSecret: { secretId: gatewayToken.name } },
});

// The operator reads Secrets Manager as this service account, whose IAM role (IRSA) may
// secretsmanager:GetSecretValue and DescribeSecret on the secret.
const reader = new k8s.core.v1.ServiceAccount("notebook-secrets-reader", {
  metadata: { namespace, annotations: { "eks.amazonaws.com/role-arn": config.require("secretsReaderRoleArn") } },
});

const store = new k8s.apiextensions.CustomResource("secrets-manager", {
  apiVersion: "external-secrets.io/v1",
  kind: "SecretStore",
  metadata: { namespace },
  spec: {
    provider: {
      aws: {
        service: "SecretsManager",
        region: new pulumi.Config("aws").require("region"),
        auth: { jwt: { serviceAccountRef: { name: reader.metadata.name } } },
      },
    },
  },
});

const TOKEN_SECRET = "notebook-gateway-token";
const TOKEN_KEY = "JUPYTER_GATEWAY_AUTH_TOKEN";
const tokenSync = new k8s.apiextensions.CustomResource("notebook-gateway-token", {
  apiVersion: "external-secrets.io/v1",
  kind: "ExternalSecret",
  metadata: {
    namespace,
    // A changed annotation makes the operator sync at once: each delivery is read within seconds.
    annotations: { "force-sync": credentials.deliveredVersion.apply((version) => version ?? "") },
  },
  spec: {
    // Well inside the renewal window, so that a missed sync is caught long before the token lapses.
    refreshInterval: `${Math.max(60, Math.floor(renewBeforeSeconds / 4))}s`,
    secretStoreRef: { name: store.metadata.name, kind: "SecretStore" },
    target: { name: TOKEN_SECRET, creationPolicy: "Owner" },
    data: [{ secretKey: TOKEN_KEY, remoteRef: { key: gatewayToken.name } }],
  },
});

const labels = { app: "notebook" };
const notebook = new k8s.apps.v1.Deployment(
  "notebook",
  {
    metadata: { namespace },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: {
          labels,
          // A new version with every token (not secret): the pods restart and read it.
          annotations: {
            "emr-session-credentials/delivered-version": credentials.deliveredVersion.apply((v) => v ?? ""),
          },
        },
        spec: {
          containers: [
            {
              name: "notebook",
              image: config.get("image") ?? "quay.io/jupyter/base-notebook:python-3.12",
              ports: [{ containerPort: 8888 }],
              // Jupyter Server's gateway client reads both variables when it starts.
              env: [
                { name: "JUPYTER_GATEWAY_URL", value: credentials.serverUrl.apply((url) => url ?? "") },
                { name: TOKEN_KEY, valueFrom: { secretKeyRef: { name: TOKEN_SECRET, key: TOKEN_KEY } } },
              ],
            },
          ],
        },
      },
    },
  },
  // The operator is told of the new version before the pods roll, and syncs within seconds; a pod
  // that started sooner would keep the previous token, which lapses within the renewal window. To
  // roll on the Kubernetes Secret's change itself, add stakater Reloader's annotation
  // `secret.reloader.stakater.com/reload: notebook-gateway-token` to the Deployment.
  { dependsOn: [tokenSync] },
);

export const tokenSecretName = gatewayToken.name;
export const deploymentName = notebook.metadata.name;
export const deliveredVersion = credentials.deliveredVersion;
export const serverUrl = credentials.serverUrl;
export const renewAt = credentials.renewAt;
