/**
 * An oracle of what the EMR containers service accepts, built from the service's own model as AWS
 * publishes it in botocore (`botocore/data/emr-containers/2020-10-01/service-2.json.gz`), never
 * from the provider's patterns: each member's type, `min`/`max` length or value, `pattern` and
 * `enum`, and the input's `required` members.
 *
 * The model's patterns are Java regular expressions, matched against the whole value, as the
 * service's validator matches them (the stricter reading: an unanchored match accepts more).
 * They are translated, not copied: Java's `.` excludes the line terminators `\n \r \u0085 \u2028
 * \u2029` (JavaScript's admits `\u0085`), and Java's `\s` is `[ \t\n\x0B\f\r]` (JavaScript's
 * also takes the Unicode spaces). A construct this translation does not know fails loudly.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

/** How to install the botocore release the oracle is pinned to (`npm test` runs it first). */
const BOTOCORE_INSTALL = "npm run setup:tools";

interface ShapeRef {
  shape: string;
}

interface Shape {
  type: string;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  required?: string[];
  members?: Record<string, ShapeRef>;
}

/** The parts of a botocore service model the oracle reads. */
export interface ServiceModel {
  metadata: { serviceId: string; apiVersion: string };
  operations: Record<string, { input?: ShapeRef }>;
  shapes: Record<string, Shape>;
}

/**
 * Judges a request: the constraints of the model it breaks, one line each; none when the service
 * accepts it. Carries the names of the operation's input members, and of the required ones.
 */
export type RequestOracle = ((request: Record<string, unknown>) => string[]) & {
  members: readonly string[];
  required: readonly string[];
};

/**
 * Loads the emr-containers model from the botocore that `python3` imports. Throws, saying how to
 * install it, when there is none: the oracle is never skipped.
 */
export function loadEmrContainersModel(): ServiceModel {
  let botocoreDir: string;
  try {
    botocoreDir = execFileSync("python3", ["-c", "import botocore,os;print(os.path.dirname(botocore.__file__))"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }).trim();
  } catch (error) {
    throw new Error(
      `botocore, whose model of the service is the oracle of these tests, cannot be imported by python3: run \`${BOTOCORE_INSTALL}\`. (${(error as Error).message.trim()})`,
    );
  }
  const file = join(botocoreDir, "data", "emr-containers", "2020-10-01", "service-2.json.gz");
  return JSON.parse(gunzipSync(readFileSync(file)).toString("utf8")) as ServiceModel;
}

const JAVA_LINE_TERMINATORS = "\\n\\r\\u0085\\u2028\\u2029";
const JAVA_SPACE = " \\t\\n\\x0B\\f\\r";
const UNTRANSLATED_ESCAPES = "pPAzZQEhHRXbBGkvV";

/** A Java pattern as a JavaScript RegExp that matches the values Java's `Pattern.matches` matches. */
export function javaPattern(source: string): RegExp {
  let out = "";
  let inClass = false;
  const unsupported = (what: string): never => {
    throw new Error(`the oracle cannot translate ${what} in the Java pattern ${source}`);
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === "\\") {
      const next = source[i + 1] ?? unsupported("a trailing backslash");
      if (next === "s" || next === "S") {
        if (inClass) unsupported(`\\${next} inside a character class`);
        out += next === "s" ? `[${JAVA_SPACE}]` : `[^${JAVA_SPACE}]`;
      } else if (UNTRANSLATED_ESCAPES.includes(next)) {
        unsupported(`\\${next}`);
      } else {
        out += c + next;
      }
      i++;
    } else if (inClass) {
      if (c === "&" && source[i + 1] === "&") unsupported("a class intersection");
      if (c === "[") unsupported("a nested class");
      if (c === "]") inClass = false;
      out += c;
    } else if (c === "[") {
      inClass = true;
      out += c;
    } else if (c === ".") {
      out += `[^${JAVA_LINE_TERMINATORS}]`;
    } else if ("*+?}".includes(c) && source[i + 1] === "+") {
      unsupported("a possessive quantifier");
    } else {
      out += c;
    }
  }
  return new RegExp(`^(?:${out})$`);
}

function memberViolations(name: string, shape: Shape, pattern: RegExp | undefined, value: unknown): string[] {
  const broken: string[] = [];
  if (shape.type === "string") {
    if (typeof value !== "string") return [`${name} must be a string`];
    if (shape.min !== undefined && value.length < shape.min) broken.push(`${name} is shorter than ${shape.min}`);
    if (shape.max !== undefined && value.length > shape.max) broken.push(`${name} is longer than ${shape.max}`);
    if (pattern && !pattern.test(value)) broken.push(`${name} does not match ${shape.pattern}`);
    if (shape.enum && !shape.enum.includes(value)) broken.push(`${name} is not one of ${shape.enum.join(", ")}`);
  } else if (shape.type === "integer") {
    if (typeof value !== "number" || !Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) {
      return [`${name} must be a 32-bit integer`];
    }
    if (shape.min !== undefined && value < shape.min) broken.push(`${name} is less than ${shape.min}`);
    if (shape.max !== undefined && value > shape.max) broken.push(`${name} is more than ${shape.max}`);
  }
  return broken;
}

/** The oracle of `operation`'s requests; throws if the model has a member type it does not judge. */
export function requestOracle(model: ServiceModel, operation: string): RequestOracle {
  const inputName = model.operations[operation]?.input?.shape;
  const input = inputName === undefined ? undefined : model.shapes[inputName];
  if (!input?.members) throw new Error(`the model has no input structure for ${operation}`);
  const members = Object.entries(input.members).map(([name, ref]) => {
    const shape = model.shapes[ref.shape];
    if (!shape || !["string", "integer"].includes(shape.type)) {
      throw new Error(`the oracle does not judge ${operation}.${name} of type ${shape?.type ?? "unknown"}`);
    }
    return { name, shape, pattern: shape.pattern === undefined ? undefined : javaPattern(shape.pattern) };
  });
  const required = input.required ?? [];
  const judge = (request: Record<string, unknown>): string[] => [
    ...required.filter((name) => request[name] === undefined || request[name] === null).map((n) => `${n} is required`),
    ...members.flatMap(({ name, shape, pattern }) =>
      request[name] === undefined ? [] : memberViolations(name, shape, pattern, request[name]),
    ),
  ];
  return Object.assign(judge, { members: members.map((m) => m.name), required });
}
