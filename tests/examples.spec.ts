// The other ways the package is run as a whole program: the notebook example (AWS resources
// faked by the engine harness, the EMR calls to the local stand-in), the repository's root
// Pulumi.yaml (the quickstart, run from the root as `npm run demo` does), and the quickstart
// under the real Pulumi CLI when one is installed. The quickstart's life through renewal is in
// program-tier.spec.ts.

import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { accessSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { dump, load } from "js-yaml";
import { Engine, SECRET_SIG, SIG_KEY, isSecret, type RunResult } from "./support/engine";
import type { EmrServiceStandIn } from "./support/emr-service-stand-in";
import { CREDENTIALS_TYPE, localStack, startStandInFor, type LocalStack } from "./support/local-stack";

const repoRoot = path.resolve(__dirname, "..", "..");
const notebookDir = path.join(repoRoot, "examples", "notebook");
const quickstartDir = path.join(repoRoot, "examples", "quickstart");
const ENDPOINT_ID = "ep0123456789abcdefghij";
const VIRTUAL_CLUSTER_TYPE = "aws:emrcontainers/virtualCluster:VirtualCluster";
const SECRET_VERSION_TYPE = "aws:secretsmanager/secretVersion:SecretVersion";

/**
 * Fake AWS credentials and no shared config or instance metadata, so the SDK in the provider host
 * signs with these and never looks beyond the machine.
 */
function offlineAwsEnv(): NodeJS.ProcessEnv {
  const nowhere = path.join(os.tmpdir(), `no-such-aws-${randomUUID()}`);
  return {
    AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
    AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_CONFIG_FILE: path.join(nowhere, "config"),
    AWS_SHARED_CREDENTIALS_FILE: path.join(nowhere, "credentials"),
  };
}

/** Per-run timings for the closing report (printed, not asserted). */
const timings: string[] = [];
function record(label: string, result: RunResult): RunResult {
  const host = Object.entries(result.timings.host)
    .map(([call, ms]) => `${call} ${ms.map((m) => m.toFixed(0)).join("/")}`)
    .join(", ");
  timings.push(
    `${label}: total ${result.timings.totalMs.toFixed(0)} ms, program ${result.timings.programMs.toFixed(0)} ms` +
      (host ? `; host: ${host}` : "; no host"),
  );
  return result;
}

/** The first `pulumi` executable on PATH, if any. */
function pulumiOnPath(): string | undefined {
  for (const dir of (process.env["PATH"] ?? "").split(path.delimiter)) {
    if (dir === "") continue;
    const candidate = path.join(dir, "pulumi");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

describe("examples as whole programs", function () {
  this.timeout(60_000);
  const env = offlineAwsEnv();

  after(() => {
    console.log("      example run timings:");
    for (const line of timings) console.log(`        ${line}`);
  });

  describe("the notebook example", () => {
    let stack: LocalStack;
    let standIn: EmrServiceStandIn;
    let virtualClusterId: string;

    before(async () => {
      stack = localStack(notebookDir);
      standIn = await startStandInFor(stack);
    });
    after(async () => {
      await standIn?.close();
    });

    const newEngine = (): Engine =>
      new Engine({ programDir: notebookDir, project: stack.project, stack: "local", config: stack.config, env });

    it("puts the endpoint's URL and the token, as a secret, into the Secrets Manager secret on up", async () => {
      const engine = newEngine();
      const result = record("notebook up", await engine.up());
      assert.ok(result.ok, `up failed: ${result.error}\n${result.log}`);
      assert.equal(standIn.issuedTokens.length, 1);
      const token = standIn.issuedTokens[0]!;

      const [cluster] = engine.state.ofType(VIRTUAL_CLUSTER_TYPE);
      assert.ok(cluster, "the virtual cluster is in state");
      virtualClusterId = cluster.id;
      const describes = standIn.requests.filter((r) => r.operation === "DescribeManagedEndpoint");
      assert.equal(describes.length, 1, "the endpoint was described once, at the stand-in");
      assert.equal(describes[0]?.virtualClusterIdentifier, virtualClusterId, "in the cluster the program created");
      assert.equal(describes[0]?.endpointIdentifier, ENDPOINT_ID);
      const mints = standIn.requests.filter((r) => r.operation === "GetManagedEndpointSessionCredentials");
      assert.equal(mints.length, 1);
      assert.equal(mints[0]?.virtualClusterIdentifier, virtualClusterId);
      assert.equal(mints[0]?.body?.["executionRoleArn"], engine.state.ofType("aws:iam/role:Role")[0]?.outputs["arn"]);
      assert.ok(
        standIn.requests.indexOf(describes[0]) < standIn.requests.indexOf(mints[0]),
        "described before minting",
      );

      const [version] = engine.state.ofType(SECRET_VERSION_TYPE);
      assert.ok(version, "the secret version is in state");
      assert.ok(isSecret(version.inputs["secretString"]), "secretString is a secret input");
      assert.ok(version.secretOutputs.includes("secretString"), "secretString is stored as a secret");
      const serverUrl = `https://${ENDPOINT_ID}.jeg.stand-in.invalid:18888`;
      assert.deepEqual(JSON.parse(String(version.outputs["secretString"])), {
        JUPYTER_GATEWAY_URL: serverUrl,
        JUPYTER_GATEWAY_AUTH_TOKEN: token,
      });
      assert.equal(result.outputs["serverUrl"], serverUrl);
      assert.equal(
        result.outputs["gatewaySecretArn"],
        engine.state.ofType("aws:secretsmanager/secret:Secret")[0]?.outputs["arn"],
      );
      assert.ok(!result.log.includes(token), "the token is not printed");
    });

    it("fails the up, saying CREATING and minting nothing, while the endpoint is still being created", async () => {
      assert.ok(virtualClusterId, "the previous test learned the virtual cluster's (deterministic) fake ID");
      standIn.reset();
      standIn.registerEndpoint({ virtualClusterId, id: ENDPOINT_ID, state: "CREATING" });
      const engine = newEngine();
      const result = record("notebook up, endpoint CREATING", await engine.up());
      assert.equal(result.ok, false);
      assert.match(
        result.error ?? "",
        new RegExp(`managed endpoint ${ENDPOINT_ID} in virtual cluster ${virtualClusterId} is CREATING, not ACTIVE`),
      );
      assert.match(result.error ?? "", /no token was minted/);
      assert.deepEqual(
        standIn.requests.map((r) => r.operation),
        ["DescribeManagedEndpoint"],
      );
      assert.equal(standIn.issuedTokens.length, 0);
      assert.deepEqual(engine.state.ofType(CREDENTIALS_TYPE), []);
      assert.deepEqual(engine.state.ofType(SECRET_VERSION_TYPE), [], "no secret version without a token");
    });
  });

  describe("the repository's root Pulumi.yaml", () => {
    it("runs the quickstart from the root (its `main`) and mints one token on up", async () => {
      const stack = localStack(repoRoot);
      const main = (load(readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8")) as { main: string }).main;
      assert.equal(main, "examples/quickstart/index.ts");
      const standIn = await startStandInFor(stack);
      try {
        const engine = new Engine({
          programDir: repoRoot,
          program: main,
          project: stack.project,
          stack: "local",
          config: stack.config,
          env,
        });
        const result = record("root Pulumi.yaml up", await engine.up());
        assert.ok(result.ok, `up failed: ${result.error}\n${result.log}`);
        assert.equal(standIn.issuedTokens.length, 1);
        assert.deepEqual(result.outputs["token"], { [SIG_KEY]: SECRET_SIG, value: standIn.issuedTokens[0] });
        assert.equal(engine.state.ofType(CREDENTIALS_TYPE).length, 1);
        assert.equal(result.outputs["parameterName"], "/emr/local/session-token");
      } finally {
        await standIn.close();
      }
    });
  });

  describe("the real Pulumi CLI", () => {
    it("previews the quickstart, credentials included, against the stand-in", async function () {
      const pulumi = pulumiOnPath();
      if (pulumi === undefined) {
        console.log("      skipped: no pulumi binary on PATH; the program tier above plays the engine instead");
        this.skip();
      }
      this.timeout(180_000);
      // A throwaway project under the gitignored .test-work/ (so node_modules resolve from the
      // repository) whose main is the quickstart; the CLI writes its stack file there, not into
      // examples/quickstart/Pulumi.local.yaml.
      mkdirSync(path.join(repoRoot, ".test-work"), { recursive: true });
      const projectDir = mkdtempSync(path.join(repoRoot, ".test-work", "cli-"));
      const stack = localStack(quickstartDir);
      const standIn = await startStandInFor(stack);
      try {
        writeFileSync(
          path.join(projectDir, "Pulumi.yaml"),
          dump({
            name: stack.project,
            runtime: "nodejs",
            main: path.relative(projectDir, path.join(quickstartDir, "index.ts")),
          }),
        );
        writeFileSync(
          path.join(projectDir, "tsconfig.json"),
          JSON.stringify({ extends: path.relative(projectDir, path.join(repoRoot, "examples", "tsconfig.json")) }),
        );
        const backend = mkdtempSync(path.join(os.tmpdir(), "pulumi-backend-"));
        const cliEnv = {
          ...process.env,
          ...env,
          PULUMI_BACKEND_URL: `file://${backend}`,
          PULUMI_CONFIG_PASSPHRASE: "program-tier",
          PULUMI_SKIP_UPDATE_CHECK: "true",
          PULUMI_NODEJS_TRANSPILE_ONLY: "true",
        };
        const cli = (...args: string[]) => {
          const run = spawnSync(pulumi, [...args, "--non-interactive"], {
            cwd: projectDir,
            env: cliEnv,
            encoding: "utf8",
            timeout: 150_000,
          });
          const output = `${run.stdout}\n${run.stderr}`;
          assert.equal(run.status, 0, `pulumi ${args.join(" ")} failed:\n${output}`);
          return output;
        };
        cli("stack", "init", "local");
        // The SSM parameter's provider only plans here: no AWS account is reached.
        const config: Record<string, string> = {
          ...stack.config,
          "aws:skipCredentialsValidation": "true",
          "aws:skipRequestingAccountId": "true",
          "aws:skipMetadataApiCheck": "true",
          "aws:skipRegionValidation": "true",
        };
        for (const [key, value] of Object.entries(config)) cli("config", "set", key, value);
        const output = cli("preview", "--diff");
        assert.match(output, /ManagedEndpointSessionCredentials/);
        assert.match(output, /notebook-session/);
        assert.equal(standIn.requests.length, 0, "a preview mints nothing");
        rmSync(backend, { recursive: true, force: true });
      } finally {
        await standIn.close();
        rmSync(projectDir, { recursive: true, force: true });
      }
    });
  });
});
