/**
 * Renewal on a schedule: the examples that run `pulumi up` on a cron (a GitHub Actions workflow and
 * a Pulumi Deployments schedule) fire at least twice per renewal window of the stack they renew,
 * the window read from that stack's configuration (`renewBeforeSeconds`: its stack file, else the
 * project's default), so that one late or failed run still leaves time to renew.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { load } from "js-yaml";
import { longestCronGapSeconds } from "./support/cron-gaps";
import { REPO_ROOT } from "./support/packed-package";

const EXAMPLES = path.join(REPO_ROOT, "examples");

/** The renewal window, in seconds, of `stack` of the project in `projectDir`. */
function renewalWindowSeconds(projectDir: string, stack: string): number {
  const readYaml = (file: string): unknown => load(readFileSync(path.join(projectDir, file), "utf8"));
  const project = readYaml("Pulumi.yaml") as {
    name: string;
    config?: Record<string, { default?: unknown }>;
  };
  let stackConfig: Record<string, unknown> = {};
  try {
    stackConfig = (readYaml(`Pulumi.${stack}.yaml`) as { config?: Record<string, unknown> }).config ?? {};
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  const window = Number(
    stackConfig[`${project.name}:renewBeforeSeconds`] ?? project.config?.renewBeforeSeconds?.default,
  );
  assert.ok(Number.isInteger(window) && window > 0, `no renewBeforeSeconds for stack ${stack} in ${projectDir}`);
  return window;
}

/** Asserts that `cron` fires at least twice per renewal window of `stack` in `projectDir`. */
function assertRenewsInTime(cron: string, projectDir: string, stack: string): void {
  const gap = longestCronGapSeconds(cron);
  const window = renewalWindowSeconds(projectDir, stack);
  assert.ok(gap * 2 <= window, `"${cron}" leaves up to ${gap} s between ups; the renewal window is ${window} s`);
}

describe("renewal on a schedule", () => {
  it("reads cron expressions as GitHub and Pulumi do: the longest gap between firings", () => {
    assert.equal(longestCronGapSeconds("17 * * * *"), 3600);
    assert.equal(longestCronGapSeconds("*/15 * * * *"), 900);
    assert.equal(longestCronGapSeconds("0 6,18 * * 1-5"), 60 * 3600);
    assert.throws(() => longestCronGapSeconds("17 * * *"), /4 fields/);
    assert.throws(() => longestCronGapSeconds("0 17 * * * *"), /6 fields/);
    assert.throws(() => longestCronGapSeconds("61 * * * *"));
  });

  describe("the GitHub Actions workflow", () => {
    interface Workflow {
      on: { schedule?: { cron: string }[] };
      jobs: Record<string, { steps: { uses?: string; with?: Record<string, string> }[] }>;
    }
    const workflow = load(
      readFileSync(path.join(EXAMPLES, "schedule", "github-actions", "renew-credentials.yml"), "utf8"),
    ) as Workflow;
    const up = Object.values(workflow.jobs)
      .flatMap((job) => job.steps)
      .find((step) => step.uses?.startsWith("pulumi/actions@"));

    it("runs pulumi up for a stack of an example in this repository", () => {
      assert.equal(up?.with?.command, "up");
      assert.ok(up?.with?.["stack-name"]);
      assert.equal(up?.with?.["work-dir"], "examples/kubernetes");
    });

    it("fires on a cron at least twice per renewal window of that stack", () => {
      const crons = workflow.on.schedule?.map((s) => s.cron) ?? [];
      assert.equal(crons.length, 1);
      assertRenewsInTime(
        crons[0] ?? "",
        path.join(REPO_ROOT, up?.with?.["work-dir"] ?? ""),
        up?.with?.["stack-name"] ?? "",
      );
    });
  });

  describe("the Pulumi Deployments schedule", () => {
    /** What the program registered: each resource's type and inputs. */
    const registered: { type: string; inputs: Record<string, unknown> }[] = [];

    before(async () => {
      await pulumi.runtime.setMocks(
        {
          newResource: (args) => {
            const inputs = args.inputs as Record<string, unknown>;
            registered.push({ type: args.type, inputs });
            return { id: `${args.name}-id`, state: { ...inputs, scheduleId: `${args.name}-schedule` } };
          },
          call: (args) => args.inputs as Record<string, unknown>,
        },
        "emr-session-renewal-schedule",
        "dev",
        false,
        "example-org",
      );
      const program = require("../examples/schedule/pulumi-deployments/index.js") as {
        scheduleId: pulumi.Output<string>;
      };
      await new Promise((resolve) => program.scheduleId.apply(resolve));
    });

    it("schedules pulumi up for the kubernetes example's stack, with deployment settings for it", () => {
      const schedule = registered.find((r) => r.type === "pulumiservice:index:DeploymentSchedule");
      const settings = registered.find((r) => r.type === "pulumiservice:index:DeploymentSettings");
      assert.equal(schedule?.inputs.pulumiOperation, "update");
      assert.equal(schedule?.inputs.project, "emr-session-kubernetes");
      for (const key of ["organization", "project", "stack"])
        assert.equal(settings?.inputs[key], schedule?.inputs[key], key);
    });

    it("fires on a cron at least twice per renewal window of that stack", () => {
      const schedule = registered.find((r) => r.type === "pulumiservice:index:DeploymentSchedule");
      assertRenewsInTime(
        String(schedule?.inputs.scheduleCron),
        path.join(EXAMPLES, "kubernetes"),
        String(schedule?.inputs.stack),
      );
    });
  });
});
