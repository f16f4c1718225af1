import type { Clock } from "../provider/lifecycle/renewal";
import { applyDueRule, type CredentialStatus } from "./due";
import { ExitCode } from "./exit-code";
import { mapLimited } from "./map-limited";
import { stackNames, type PulumiProject, type StackSelection } from "./pulumi-project";
import { readStoredCredentials } from "./stack-state";

/** How many `pulumi stack export` run at once. */
const EXPORTS_AT_ONCE = 4;

/** The flags `status` and `renew` share: which stacks, and the horizon. */
export interface DueOptions extends StackSelection {
  /** `--within`: count a credential due when its `renewAt` is at most this many seconds away. */
  withinSeconds: number;
}

/** A stack's credentials with the due rule applied. */
export interface StackCredentials {
  stack: string;
  credentials: CredentialStatus[];
}

/**
 * The credentials of every stack `options` selects, read from the stored state without the
 * secrets provider (a few stacks at a time), the due rule applied at one reading of `clock` and
 * `options.withinSeconds` ahead. Throws a `CommandFailure` for the first stack that cannot be read.
 */
export async function stacksDue(
  project: PulumiProject,
  options: DueOptions,
  clock: Clock,
): Promise<StackCredentials[]> {
  const stacks = await stackNames(project, options);
  const now = clock();
  return mapLimited(stacks, EXPORTS_AT_ONCE, async (stack) => ({
    stack,
    credentials: applyDueRule(await readStoredCredentials(project, stack), now, options.withinSeconds),
  }));
}

/** `status`'s exit code: `Due` when any credential of any stack is due within the horizon, else `Ok`. */
export function statusExitCode(stacks: readonly StackCredentials[]): ExitCode {
  return stacks.some((stack) => stack.credentials.some((credentials) => credentials.due)) ? ExitCode.Due : ExitCode.Ok;
}
