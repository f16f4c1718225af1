// `npm run demo`: the repository's root project (the quickstart) and its `local` stack, offline,
// under the real Pulumi CLI (the one on PATH, else the one `npm run setup:pulumi` builds): EMR
// calls go to the local stand-in on port 45997, the AWS provider is played by a recording
// stand-in, and the stack lives in a throwaway file backend. Three ups: the first token, one with
// nothing to do, and one with the clock of the Node processes moved past `renewAt`, which renews
// the token. Pulumi's own output is shown, the token masked as [secret] by Pulumi itself.
import { startRootStack } from "./support/example-stack";
import { clockMovedBy, pulumiBinDir, pulumiVersion, type RunOptions } from "./support/pulumi-cli";

const PORT = 45997;

async function main(): Promise<void> {
  console.log("Finding or building the Pulumi CLI (npm run setup:pulumi; the first build takes minutes)...");
  console.log(`pulumi ${pulumiVersion()} from ${pulumiBinDir()}`);
  const demo = await startRootStack(PORT);
  console.log(`The local EMR on EKS stand-in listens on ${demo.standIn.endpoint}.`);
  const up = async (title: string, options: RunOptions = {}): Promise<void> => {
    console.log(`\n${title}\n`);
    const { output } = await demo.cli.run(["up", "--yes", "--skip-preview"], options);
    console.log(output.trim());
  };
  try {
    await up("[1/3] pulumi up: the first token");
    await up("[2/3] pulumi up again, at once: nothing to do");
    const renewAt = Date.parse(await demo.cli.output("renewAt"));
    const ahead = Math.ceil((renewAt - Date.now()) / 1000) + 60;
    await up(
      `[3/3] pulumi up with the clock ${Math.round(ahead / 60)} min ahead, a minute past renewAt: the token renews`,
      {
        env: clockMovedBy(ahead),
      },
    );
    console.log(
      `\n(renewAt is on the clock of the machine that minted, here moved ${Math.round(ahead / 60)} min ahead of ` +
        "the service's; expiresAt is on the service's clock.)",
    );
    const leaked = demo.standIn.issuedTokens.some((token) => demo.cli.transcript.join("\n").includes(token));
    console.log(
      `\nThe stand-in minted ${demo.standIn.issuedTokens.length} tokens in 3 ups; ` +
        `${leaked ? "a token WAS printed" : "none was printed"}.`,
    );
    if (leaked) process.exitCode = 1;
  } finally {
    await demo.dispose();
  }
}

main().catch((error: Error) => {
  console.error(`\ndemo failed: ${error.message}`);
  process.exitCode = 1;
});
