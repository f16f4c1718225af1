import type { CheckFailure } from "@pulumi/pulumi/provider";

/** The longest name SSM accepts: 2048 less the 1037 characters it reserves for internal use. */
export const MAX_SSM_PARAMETER_NAME = 1011;
/** The deepest SSM parameter hierarchy. */
export const MAX_SSM_HIERARCHY_LEVELS = 15;

const SSM_NAME_CHARACTERS = /^[a-zA-Z0-9_.\-/]+$/;
const SSM_RESERVED_PREFIX = /^\/?(aws|ssm)/i;
const KMS_KEY_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
const KMS_ALIAS = /^alias\/[a-zA-Z0-9/_-]{1,250}$/;
const KMS_ARN = /^arn:aws[a-zA-Z0-9-]*:kms:[a-z0-9-]+:\d{12}:(key\/(.+)|(alias\/.+))$/;
const SECRET_NAME = /^[a-zA-Z0-9/_+=.@-]{1,512}$/;
const SECRET_ARN = /^arn:aws[a-zA-Z0-9-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[a-zA-Z0-9/_+=.@-]+$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function ssmParameterName(name: string): string | undefined {
  if (name.length < 1 || name.length > MAX_SSM_PARAMETER_NAME) {
    return `must be 1 to ${MAX_SSM_PARAMETER_NAME} characters long (SSM reserves 1037 of the 2048), got ${name.length}`;
  }
  if (!SSM_NAME_CHARACTERS.test(name)) return "may hold only a-z, A-Z, 0-9, '_', '.', '-' and '/'";
  if (SSM_RESERVED_PREFIX.test(name)) return 'must not begin with "aws" or "ssm" (any case): SSM reserves them';
  if (!name.includes("/")) return undefined;
  if (!name.startsWith("/")) return "must begin with '/' when it is a hierarchy, as /team/app/token";
  const levels = name.slice(1).split("/");
  if (levels.some((level) => level === "")) return "must not have an empty level ('//' or a trailing '/')";
  if (levels.length > MAX_SSM_HIERARCHY_LEVELS) {
    return `must be at most ${MAX_SSM_HIERARCHY_LEVELS} levels deep, got ${levels.length}`;
  }
  return undefined;
}

function kmsKeyId(id: string): string | undefined {
  if (id.length < 1 || id.length > 256) return `must be 1 to 256 characters long, got ${id.length}`;
  const arn = KMS_ARN.exec(id);
  if (
    KMS_KEY_ID.test(id) ||
    KMS_ALIAS.test(id) ||
    (arn && (arn[3] ? KMS_ALIAS.test(arn[3]) : KMS_KEY_ID.test(arn[2]!)))
  ) {
    return undefined;
  }
  return (
    "must be a KMS key id (1234abcd-12ab-34cd-56ef-1234567890ab or mrk-...), an alias (alias/name), " +
    "a key ARN (arn:aws:kms:<region>:<account>:key/<id>) or an alias ARN (arn:aws:kms:<region>:<account>:alias/<name>)"
  );
}

function secretId(id: string): string | undefined {
  if (id.length < 1 || id.length > 2048) return `must be 1 to 2048 characters long, got ${id.length}`;
  return SECRET_NAME.test(id) || SECRET_ARN.test(id)
    ? undefined
    : "must be a secret's name (1 to 512 of a-z, A-Z, 0-9 and /_+=.@-) or its ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)";
}

type MemberRule = (value: string) => string | undefined;

/** Each destination's members: the rule of each, and which are required. */
const DESTINATIONS: Record<string, { rules: Record<string, MemberRule>; required: string[] }> = {
  ssmParameter: { rules: { name: ssmParameterName, kmsKeyId }, required: ["name"] },
  secretsManagerSecret: { rules: { secretId }, required: ["secretId"] },
};

/**
 * Checks `deliverTo` against AWS's own constraints (SSM parameter names and hierarchies, KMS key
 * ids, Secrets Manager secret ids), failures named by their path (`deliverTo.ssmParameter.name`):
 * exactly one destination, every member known to it, the required ones given. Values not known
 * yet (a preview's, as `isUnknown` tells) are never failures. Makes no call.
 */
export function checkDeliverTo(value: unknown, isUnknown: (value: unknown) => boolean): CheckFailure[] {
  if (isUnknown(value)) return [];
  const failures: CheckFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });
  const kinds = Object.keys(DESTINATIONS).join(" or ");
  if (!isObject(value)) return [{ property: "deliverTo", reason: `must be an object with one of ${kinds}` }];
  const given = Object.entries(value).filter(([, v]) => v !== undefined && v !== null);
  if (given.length !== 1) fail("deliverTo", `must have exactly one of ${kinds}, got ${given.length}`);
  for (const [kind, destination] of given) {
    const path = `deliverTo.${kind}`;
    const shape = DESTINATIONS[kind];
    if (!shape) {
      fail(path, `is not a destination: use ${kinds}`);
      continue;
    }
    if (isUnknown(destination)) continue;
    if (!isObject(destination)) {
      fail(path, `must be an object with ${Object.keys(shape.rules).join(", ")}`);
      continue;
    }
    for (const member of shape.required) {
      if (destination[member] === undefined || destination[member] === null) fail(`${path}.${member}`, "is required");
    }
    for (const [member, memberValue] of Object.entries(destination)) {
      const rule = shape.rules[member];
      if (!rule) fail(`${path}.${member}`, `is not a member of ${kind}: use ${Object.keys(shape.rules).join(", ")}`);
      else if (isUnknown(memberValue) || memberValue === undefined || memberValue === null) continue;
      else if (typeof memberValue !== "string")
        fail(`${path}.${member}`, `must be a string, got ${typeof memberValue}`);
      else {
        const reason = rule(memberValue);
        if (reason) fail(`${path}.${member}`, `${reason}, got ${JSON.stringify(memberValue)}`);
      }
    }
  }
  return failures;
}
