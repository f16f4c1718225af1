// Kubernetes: session credentials for an EMR on EKS managed endpoint, its gateway URL and token in
// a Kubernetes Secret, and a Jupyter notebook Deployment that reads both as environment variables.
// A renewal puts the new token into the Secret and rolls the notebook's pods, which read
// environment variables only when they start.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ManagedEndpointSessionCredentials } from "pulumi-emr-session-credentials";

const config = new pulumi.Config();
const namespace = config.get("namespace") ?? "default";

const credentials = new ManagedEndpointSessionCredentials("notebook-session", {
  virtualClusterIdentifier: config.require("virtualClusterId"),
  endpointIdentifier: config.require("endpointId"),
  executionRoleArn: config.require("executionRoleArn"),
  durationInSeconds: config.requireNumber("durationInSeconds"),
  renewBeforeSeconds: config.requireNumber("renewBeforeSeconds"),
  logContext: "kubernetes-notebook",
  // Fills serverUrl, and refuses an endpoint that is not ACTIVE.
  describeEndpoint: true,
  // Optional: a custom API URL, such as the local stand-in of the `local` stack.
  endpoint: config.get("apiEndpoint"),
});

const gateway = new k8s.core.v1.Secret("notebook-gateway", {
  metadata: { namespace },
  type: "Opaque",
  stringData: {
    JUPYTER_GATEWAY_URL: credentials.serverUrl.apply((url) => url ?? ""),
    JUPYTER_GATEWAY_AUTH_TOKEN: credentials.token,
  },
});

/** An environment variable read from the gateway Secret's key of the same name. */
const fromGateway = (name: string): k8s.types.input.core.v1.EnvVar => ({
  name,
  valueFrom: { secretKeyRef: { name: gateway.metadata.name, key: name } },
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
          // Changes with every new token, so the pods restart and read it from the Secret.
          annotations: { "emr-session-credentials/session-id": credentials.id },
        },
        spec: {
          containers: [
            {
              name: "notebook",
              image: config.get("image") ?? "quay.io/jupyter/base-notebook:python-3.12",
              ports: [{ containerPort: 8888 }],
              // Jupyter Server's gateway client reads both variables.
              env: [fromGateway("JUPYTER_GATEWAY_URL"), fromGateway("JUPYTER_GATEWAY_AUTH_TOKEN")],
            },
          ],
        },
      },
    },
  },
  // The Secret holds the new token before the pods roll to read it.
  { dependsOn: [gateway] },
);

export const secretName = gateway.metadata.name;
export const deploymentName = notebook.metadata.name;
export const serverUrl = credentials.serverUrl;
export const renewAt = credentials.renewAt;
