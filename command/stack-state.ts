import { CREDENTIALS_TYPE } from "../provider/dynamic/type-token";
import { PLUGIN_CREDENTIALS_TYPE } from "../provider/plugin/type-token";
import { CommandFailure } from "./failure";
import { runPulumi, type PulumiProject } from "./pulumi-project";

/** The types credentials are stored under: by the dynamic provider (TypeScript) and by the provider plugin (other languages). */
const CREDENTIALS_TYPES: readonly unknown[] = [CREDENTIALS_TYPE, PLUGIN_CREDENTIALS_TYPE];

/** A resource's name: the last part of its URN. */
export function nameOfUrn(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

/** Whether a resource of type `type` is credentials, of either face. */
export function isCredentialsType(type: unknown): boolean {
  return CREDENTIALS_TYPES.includes(type);
}

/** A credentials resource as a stack's stored state holds it: what the due rule needs, no token. */
export interface StoredCredentials {
  /** The resource's name: the last part of its URN. */
  name: string;
  urn: string;
  /** RFC 3339 on the service's clock; empty when the state has none readable. */
  expiresAt: string;
  /** RFC 3339 on the clock of the machine that minted; empty when the state has none readable. */
  renewAt: string;
}

/** A resource in `pulumi stack export`'s output, as far as the command reads it. */
interface ExportedResource {
  urn?: unknown;
  type?: unknown;
  outputs?: Record<string, unknown>;
  delete?: unknown;
}

/**
 * The credentials resources in a stack's exported state (`{deployment: {resources}}`), of either
 * face's type, in state
 * order, skipping the old copies awaiting deletion (`delete: true`). An output that is not a plain
 * string (such as a value made secret, still ciphertext) reads as empty.
 */
export function storedCredentials(state: unknown): StoredCredentials[] {
  const resources = (state as { deployment?: { resources?: ExportedResource[] } } | null)?.deployment?.resources ?? [];
  const text = (value: unknown): string => (typeof value === "string" ? value : "");
  return resources
    .filter((resource) => isCredentialsType(resource.type) && resource.delete !== true)
    .map((resource) => {
      const urn = text(resource.urn);
      return {
        name: nameOfUrn(urn),
        urn,
        expiresAt: text(resource.outputs?.["expiresAt"]),
        renewAt: text(resource.outputs?.["renewAt"]),
      };
    });
}

/**
 * Reads the credentials of `stack` from its stored state with `pulumi stack export --stack NAME`,
 * without `--show-secrets`: secrets stay ciphertext, so no secrets provider (passphrase, KMS) is
 * needed and no token is ever in memory. Throws a `CommandFailure` naming the stack when the CLI
 * fails (an unknown stack, a backend it cannot reach) or prints something that is not a state.
 */
export async function readStoredCredentials(project: PulumiProject, stack: string): Promise<StoredCredentials[]> {
  let exported: string;
  try {
    exported = await runPulumi(project, ["stack", "export", "--stack", stack]);
  } catch (error) {
    throw new CommandFailure(`stack ${stack}: ${(error as Error).message}`);
  }
  try {
    return storedCredentials(JSON.parse(exported));
  } catch {
    throw new CommandFailure(`stack ${stack}: pulumi stack export printed no state`);
  }
}
