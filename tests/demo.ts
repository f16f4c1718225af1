// `npm run demo`: the repository's root project (the quickstart) and its `local` stack, offline,
// under the real Pulumi CLI (the one on PATH, else the one `npm run setup:pulumi` builds): EMR
// calls go to the local stand-in on port 45997, the AWS provider is played by a recording
// stand-in, and the stack lives in a throwaway file backend. The token is asked for a 24 s life, so
// that it is due for renewal (renewAt: a third of its life before expiresAt) 16 s after it is
// minted. Three ups: the first token, one at once with nothing to do, and, once the wall clock has
// reached renewAt, one that renews the token. No clock is moved: nothing here needs root or
// faketime. Pulumi's own output is shown, the token masked as [secret] by Pulumi itself; the demo
// fails unless the third up replaced the token with exactly one new mint and said why.
import { startRootStack } from "./support/example-stack";
import { localStack } from "./support/local-stack";
import { REPO_ROOT } from "./support/packed-package";
import { pulumiBinDir, pulumiVersion } from "./support/pulumi-cli";

const PORT = 45997;
/** The token's life asked for, in seconds; the quickstart's default window renews it a third before. */
const LIFE_SECONDS = 24;
/** What the provider prints when it replaces a token that is due (see provider/diff.ts). */
const REASON = /replacing to mint a new token: renewAt \S+ has passed/;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  console.log("Finding or building the Pulumi CLI (npm run setup:pulumi; the first build takes minutes)...");
  console.log(`pulumi ${pulumiVersion()} from ${pulumiBinDir()}`);
  const { project } = localStack(REPO_ROOT);
  const config = { [`${project}:durationInSeconds`]: String(LIFE_SECONDS) };
  const demo = await startRootStack({ port: PORT, config }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "EADDRINUSE") throw error;
    console.log(`Port ${PORT} is in use (another demo?): the stand-in takes a free port instead.`);
    return startRootStack({ config });
  });
  console.log(`The local EMR on EKS stand-in listens on ${demo.standIn.endpoint}.`);
  const problems: string[] = [];
  const expect = (ok: boolean, problem: string): void => {
    if (!ok) problems.push(problem);
  };
  const printed: string[] = [];
  const up = async (title: string): Promise<string> => {
    console.log(`\n${title}\n`);
    const { output } = await demo.cli.run(["up", "--yes", "--skip-preview"]);
    console.log(output.trim());
    printed.push(output);
    return output;
  };
  try {
    await up(`[1/3] pulumi up: the first token, asked for a ${LIFE_SECONDS} s life`);
    expect(demo.standIn.issuedTokens.length === 1, "the first up did not mint exactly one token");

    await up("[2/3] pulumi up again, at once: nothing to do");
    expect(demo.standIn.issuedTokens.length === 1, "the second up minted a token");

    const renewAt = await demo.cli.output("renewAt");
    // A second past renewAt, so that the provider's clock has certainly reached it.
    const waitMs = Math.max(0, Date.parse(renewAt) - Date.now() + 1000);
    console.log(
      `\nWaiting ${Math.ceil(waitMs / 1000)} s, by the wall clock, for renewAt (${renewAt}): the token lives ` +
        `${LIFE_SECONDS} s and is renewed once less than a third of that remains. A real stack asks for hours ` +
        "and runs `pulumi up` on a schedule (examples/schedule).",
    );
    await sleep(waitMs);

    const output = await up("[3/3] pulumi up past renewAt: the token renews");
    expect(demo.standIn.issuedTokens.length === 2, "the third up did not mint exactly one new token");
    // The stand-in mints a different token each time: the stack now holds the second.
    const stored = await demo.cli.output("token", true);
    expect(stored === demo.standIn.issuedTokens[1], "the stack does not hold the new token");
    expect(REASON.test(output), "the third up did not print why it replaced the token");
    const leaked = demo.standIn.issuedTokens.some((token) => printed.join("\n").includes(token));
    expect(!leaked, "a token WAS printed");
    console.log(
      `\nThe stand-in minted ${demo.standIn.issuedTokens.length} tokens in 3 ups; ` +
        `${leaked ? "a token WAS printed" : "none was printed"}.`,
    );
  } finally {
    await demo.dispose();
  }
  if (problems.length > 0) throw new Error(problems.join("; "));
  console.log("The token renewed.");
}

main().catch((error: Error) => {
  console.error(`\ndemo failed: ${error.message}`);
  process.exitCode = 1;
});
