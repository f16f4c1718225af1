/**
 * Renewal on a schedule: the examples that renew on a cron (a GitHub Actions workflow running
 * `emr-session-credentials renew` and then `status`, and a Pulumi Deployments schedule running
 * `pulumi up`) fire at least twice per renewal window of the stack they renew,
 * the window read from that stack's configuration (`renewBeforeSeconds`: its stack file, else the
 * project's default), so that one late or failed run still leaves time to renew.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { load } from "js-yaml";
import { parseDuration } from "../command/duration";
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
    interface Step {
      uses?: string;
      run?: string;
      "working-directory"?: string;
    }
    interface Job {
      needs?: string | string[];
      if?: string;
      permissions?: Record<string, string>;
      steps: Step[];
    }
    interface Workflow {
      on: { schedule?: { cron: string }[] };
      permissions?: Record<string, string>;
      jobs: Record<string, Job>;
    }
    const workflow = load(
      readFileSync(path.join(EXAMPLES, "schedule", "github-actions", "renew-credentials.yml"), "utf8"),
    ) as Workflow;
    const cron = (): string => {
      const crons = workflow.on.schedule?.map((s) => s.cron) ?? [];
      assert.equal(crons.length, 1);
      return crons[0] ?? "";
    };

    /** The job and step that run `emr-session-credentials <subcommand>`, with the flags it passes. */
    function commandStep(subcommand: string): { job: string; step: Step; flags: Map<string, string> } {
      for (const [job, { steps }] of Object.entries(workflow.jobs)) {
        for (const step of steps) {
          const words = step.run?.split(/\s+/) ?? [];
          const at = words.indexOf("emr-session-credentials");
          if (at < 0 || words[at + 1] !== subcommand) continue;
          const flags = new Map<string, string>();
          for (let i = at + 2; i < words.length; i++)
            if (words[i]?.startsWith("--"))
              flags.set(words[i] ?? "", words[i + 1]?.startsWith("--") ? "" : (words[i + 1] ?? ""));
          return { job, step, flags };
        }
      }
      assert.fail(`no step runs emr-session-credentials ${subcommand}`);
    }

    it("renews a stack of an example in this repository with the installed command", () => {
      const { step, flags } = commandStep("renew");
      assert.equal(step["working-directory"], "examples/kubernetes");
      assert.equal(flags.get("--stack"), "prod");
      assert.match(step.run ?? "", /^npx --no -- emr-session-credentials /, "the installed command, never one fetched");
    });

    it("fires on a cron at least twice per renewal window of that stack", () => {
      const { step, flags } = commandStep("renew");
      assertRenewsInTime(cron(), path.join(REPO_ROOT, step["working-directory"] ?? ""), flags.get("--stack") ?? "");
    });

    it("renews with a horizon longer than the cron's longest gap, so no run finds a token already due", () => {
      const horizon = parseDuration(commandStep("renew").flags.get("--within") ?? "");
      assert.ok(horizon > longestCronGapSeconds(cron()), `--within ${horizon} s`);
    });

    it("then runs status for that stack, even when renew failed, with no AWS access, and a horizon short of renew's", () => {
      const renew = commandStep("renew");
      const status = commandStep("status");
      const job = workflow.jobs[status.job];
      assert.notEqual(status.job, renew.job);
      assert.equal(job?.needs, renew.job);
      assert.match(job?.if ?? "", /always\(\)/);
      assert.equal(job?.permissions?.["id-token"] ?? workflow.permissions?.["id-token"], undefined, "no AWS role");
      assert.ok(!JSON.stringify(job).includes("configure-aws-credentials"));
      assert.equal(status.flags.get("--stack"), renew.flags.get("--stack"));
      assert.equal(status.step["working-directory"], renew.step["working-directory"]);
      const horizon = parseDuration(status.flags.get("--within") ?? "0");
      assert.ok(horizon < parseDuration(renew.flags.get("--within") ?? ""), "a healthy renewal leaves status green");
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
