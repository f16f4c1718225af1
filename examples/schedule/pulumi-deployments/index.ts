// Renewal on a schedule with Pulumi Deployments: deployment settings for the kubernetes example's
// stack (its source, AWS through OIDC, the EKS kubeconfig) and a schedule that runs `pulumi up`
// for it at least twice per renewal window (renewBeforeSeconds: 4 h there), since a token is
// renewed only when an up runs. It runs a full up every time, due or not: a Deployments schedule
// can neither run `emr-session-credentials renew` first nor pass --target (see the README for when to
// choose the GitHub Actions workflow instead).
import * as pulumi from "@pulumi/pulumi";
import * as service from "@pulumi/pulumiservice";

const config = new pulumi.Config();
const organization = config.get("organization") ?? pulumi.getOrganization();
const project = "emr-session-kubernetes";
const stack = config.get("stack") ?? "prod";
const region = config.get("awsRegion") ?? "us-west-2";

const settings = new service.DeploymentSettings("renewal", {
  organization,
  project,
  stack,
  sourceContext: {
    git: {
      repoUrl: config.get("repoUrl") ?? "https://github.com/example/emr-notebooks.git",
      branch: "main",
      repoDir: "examples/kubernetes",
    },
  },
  operationContext: {
    oidc: {
      aws: {
        roleARN: config.get("awsRoleArn") ?? "arn:aws:iam::123456789012:role/pulumi-deployments",
        sessionName: "emr-session-renewal",
      },
    },
    environmentVariables: { AWS_REGION: region },
    preRunCommands: [
      `aws eks update-kubeconfig --name ${config.get("eksClusterName") ?? "analytics"} --region ${region}`,
    ],
  },
});

const schedule = new service.DeploymentSchedule(
  "renewal",
  {
    organization,
    project,
    stack,
    // Hourly, off the top of the hour.
    scheduleCron: "17 * * * *",
    pulumiOperation: service.PulumiOperation.Update,
  },
  { dependsOn: [settings] },
);

export const scheduleId = schedule.scheduleId;
