// `npm run demo`: the quickstart's `local` stack, offline, against the EMR stand-in on port 45997.
// With a `pulumi` binary on PATH it runs the real CLI (a throwaway project in .test-work/, a
// local file backend in a temporary directory, a throwaway passphrase);
// otherwise the program tier of the tests plays the engine. Three runs: a first up, an up with
// nothing to do, and an up with the clock past `renewAt`, which renews the token.
import * as path from "node:path";
import { Engine, isSecret, reveal, type RunResult } from "./support/engine";
import {
  ageCredentials,
  CREDENTIALS_TYPE,
  localStack,
  OFFLINE_AWS_ENV,
  startStandInFor,
  type LocalStack,
} from "./support/local-stack";
import { cliStack, pulumiOnPath } from "./support/pulumi-cli";

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

function realCli(pulumi: string, stack: LocalStack): void {
  const cli = cliStack(pulumi, stack, path.join(ROOT, "examples", "quickstart", "index.ts"), OFFLINE_AWS_ENV);
  try {
    // The SSM parameter would need a real AWS account: the demo targets the credentials alone.
    const up = () => console.log(cli.run("up", "--yes", "--skip-preview", "--target", `**${CREDENTIALS_TYPE}**`));
    console.log("\n[1/2] pulumi up: the first token");
    up();
    console.log("\n[2/2] pulumi up again, at once: nothing to do");
    up();
    console.log("\nThe next up after renewAt renews the token; `npm test` shows it with the clock moved.");
  } finally {
    cli.dispose();
  }
}

async function main(): Promise<void> {
  const stack = localStack(ROOT);
  const standIn = await startStandInFor(stack, { port: PORT });
  console.log(`The local EMR on EKS stand-in listens on ${standIn.endpoint}.`);
  try {
    const pulumi = pulumiOnPath();
    if (pulumi) return realCli(pulumi, stack);
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
