// What it costs to learn which tokens are due: `emr-session-credentials status` of a project's
// stacks (one command, reading each stack's stored state) against what a schedule without it
// pays to learn the same, a `pulumi preview` of each stack (its program and providers run).

import { startRenewalProject, type RenewalProject } from "../tests/support/renewal-project";
import { median, timed } from "./statistics";

/** Median ms of `status` of every stack, listed (`--all`) or named, and of a `pulumi preview` of each in turn. */
export interface StatusCost {
  stacks: number;
  /** `status --all`: `pulumi stack ls` lists the stacks. */
  statusAll: number;
  /** `status --stack NAME` for each stack: states read with no Automation API loaded. */
  statusNamed: number;
  previews: number;
}

/** Runs the installed command's `status --json` with `args`; throws unless it exits 0 listing `stacks` stacks. */
async function status(project: RenewalProject, args: string[], stacks: number): Promise<void> {
  const result = await project.command(["status", "--json", ...args]);
  const listed = (JSON.parse(result.stdout) as { stacks: unknown[] }).stacks.length;
  if (result.status !== 0 || listed !== stacks) throw new Error(`unexpected status:\n${result.output}`);
}

/**
 * Makes a project of `stacks` stacks (the tests' renewal project: one token, its consumer and one
 * other resource each, the package installed from its tarball, minting at the local stand-in),
 * then times, `rounds` times after one warm-up, alternating: the installed command's `status
 * --all --json` and `status --json --stack NAME...` with no passphrase set, and `pulumi preview`
 * of each stack in turn. Throws if status does not exit 0 listing every stack, or a preview plans
 * any change.
 */
export async function statusCost(stacks: number, rounds: number): Promise<StatusCost> {
  const names = Array.from({ length: stacks }, (_, i) => `stack-${i}`);
  const project = await startRenewalProject(
    names.map((name) => ({ name, durationInSeconds: 3600, renewBeforeSeconds: 1200 })),
  );
  try {
    const samples = { statusAll: [] as number[], statusNamed: [] as number[], previews: [] as number[] };
    for (let round = 0; round <= rounds; round++) {
      const statusAll = await timed(() => status(project, ["--all"], stacks));
      const statusNamed = await timed(() =>
        status(
          project,
          names.flatMap((name) => ["--stack", name]),
          stacks,
        ),
      );
      const previews = await timed(async () => {
        for (const name of names) {
          const { output } = await project.stacks[name]!.run(["preview", "--stack", name]);
          if (!/\b4 unchanged\b/.test(output)) throw new Error(`unexpected preview:\n${output}`);
        }
      });
      if (round > 0) {
        samples.statusAll.push(statusAll);
        samples.statusNamed.push(statusNamed);
        samples.previews.push(previews);
      }
    }
    return {
      stacks,
      statusAll: median(samples.statusAll),
      statusNamed: median(samples.statusNamed),
      previews: median(samples.previews),
    };
  } finally {
    await project.dispose();
  }
}
