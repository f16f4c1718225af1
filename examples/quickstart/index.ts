// Quickstart: session credentials for an existing EMR on EKS managed endpoint, the token stored
// as an SSM SecureString parameter for an application to read, and the renewal times exported.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ManagedEndpointSessionCredentials } from "pulumi-emr-session-credentials";

const config = new pulumi.Config();

const credentials = new ManagedEndpointSessionCredentials("notebook-session", {
  virtualClusterIdentifier: config.require("virtualClusterId"),
  endpointIdentifier: config.require("endpointId"),
  executionRoleArn: config.require("executionRoleArn"),
  durationInSeconds: config.getNumber("durationInSeconds") ?? 3600,
  // Optional: a custom API URL, such as the local stand-in of the `local` stack.
  endpoint: config.get("apiEndpoint"),
});

const parameter = new aws.ssm.Parameter("notebook-session-token", {
  name: config.get("parameterName") ?? `/emr/${pulumi.getStack()}/session-token`,
  type: aws.ssm.ParameterType.SecureString,
  value: credentials.token,
  description: "EMR on EKS managed endpoint session token, renewed by `pulumi up`",
});

export const parameterName = parameter.name;
export const token = credentials.token;
export const expiresAt = credentials.expiresAt;
export const renewAt = credentials.renewAt;
