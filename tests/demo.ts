// `npm run demo`: the quickstart's `local` stack, offline, against the EMR stand-in on port 45997.
// With a `pulumi` binary on PATH it runs the real CLI (local file backend, throwaway passphrase);
// otherwise the program tier of the tests plays the engine. Three runs: a first up, an up with
// nothing to do, and an up with the clock past `renewAt`, which renews the token.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Engine, isSecret, reveal, type RunResult } from "./support/engine";
import { ageCredentials, CREDENTIALS_TYPE, localStack, OFFLINE_AWS_ENV, startStandInFor } from "./support/local-stack";

const ROOT = path.resolve(__dirname, "..", "..");
const PORT = 45997;

/** Prints a dot every half second until `work` settles, so that a wait never looks like a hang. */
async function withProgress<T>(label: string, work: Promise<T>): Promise<T> {
  process.stdout.write(`\n${label} `);
  const timer = setInterval(() => process.stdout.write("."), 500);
  try {
    return await work;
  } finally {
    clearInterval(timer);
    process.stdout.write("\n");
  }
}

const SYMBOLS: Record<string, string> = {
  create: "+",
  update: "~",
  replace: "+-",
  "create-replacement": "++",
  "delete-replaced": "--",
  delete: "-",
};

function report(result: RunResult): void {
  if (!result.ok) throw new Error(result.error);
  const changes = result.steps.filter((s) => s.op !== "same" && !s.type.startsWith("pulumi:"));
  if (changes.length === 0) console.log("  nothing to do: every resource is unchanged, no call was made");
  for (const step of changes) {
    console.log(
      `  ${(SYMBOLS[step.op] ?? step.op).padEnd(3)}${step.op.padEnd(19)}${step.type.split(":").pop()}  ${step.urn.split("::").pop()}`,
    );
  }
  for (const [name, value] of Object.entries(result.outputs)) {
    console.log(`  output ${name.padEnd(14)}${isSecret(value) ? "[secret]" : String(reveal(value))}`);
  }
  const renewAt = String(reveal(result.outputs.renewAt));
  const minutes = Math.round((Date.parse(renewAt) - Date.now()) / 60_000);
  console.log(`  the token renews at ${renewAt} (in ${minutes} min): run \`pulumi up\` before then`);
}

function realCli(): void {
  const home = mkdtempSync(path.join(tmpdir(), "emr-session-demo-"));
  const env = {
    ...process.env,
    ...OFFLINE_AWS_ENV,
    PULUMI_BACKEND_URL: `file://${home}`,
    PULUMI_CONFIG_PASSPHRASE: "throwaway-demo",
    PULUMI_HOME: home,
  };
  const pulumi = (...args: string[]) => {
    console.log(`\n$ pulumi ${args.join(" ")}`);
    const run = spawnSync("pulumi", args, { cwd: ROOT, env, stdio: "inherit" });
    if (run.status !== 0) throw new Error(`pulumi ${args[0]} failed`);
  };
  // The SSM parameter would need real AWS: the demo targets the credentials alone.
  const target = ["--target", `**${CREDENTIALS_TYPE}**`, "--yes", "--skip-preview"];
  pulumi("stack", "init", "local");
  pulumi("up", ...target);
  pulumi("up", ...target);
  console.log(
    "\nA third up renews once the clock passes renewAt; the program-tier demo (without a pulumi binary) shows it at once.",
  );
}

async function main(): Promise<void> {
  const stack = localStack(ROOT);
  const standIn = await startStandInFor(stack, { port: PORT });
  console.log(`The local EMR on EKS stand-in listens on ${standIn.endpoint}.`);
  try {
    if (spawnSync("pulumi", ["version"]).status === 0) return realCli();
    console.log(
      "No pulumi binary on PATH: Pulumi's own program runner and provider host play `pulumi up` (tests/support/engine).",
    );
    const engine = new Engine({
      ...stack,
      stack: "local",
      program: "examples/quickstart/index.ts",
      env: OFFLINE_AWS_ENV,
    });

    report(await withProgress("[1/3] pulumi up: the first token", engine.up()));
    report(await withProgress("[2/3] pulumi up again, at once", engine.up()));
    const renewAt = Date.parse(String(engine.state.ofType(CREDENTIALS_TYPE)[0]?.outputs.renewAt));
    ageCredentials(engine.state, Math.ceil((renewAt - Date.now()) / 1000) + 60);
    report(await withProgress("[3/3] pulumi up with the clock a minute past renewAt", engine.up()));
    console.log(`\nThe stand-in minted ${standIn.issuedTokens.length} tokens in 3 ups; none was printed.`);
  } finally {
    await standIn.close();
  }
}

main().catch((error: Error) => {
  console.error(`\ndemo failed: ${error.message}`);
  process.exitCode = 1;
});
