/**
 * The provider plugin's schema (provider/plugin/schema.json) against what it is read off and what
 * it must agree with: the TypeScript declarations users read (regenerated, it is the same file),
 * the lifecycle's own names (every input `check` accepts, the required ones, the outputs and the
 * secret ones), and the plugin's package (name, version).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { packageFacts, schemaText, SCHEMA_FILE } from "../../codegen/generate";
import { packageSchema } from "../../codegen/schema";
import { checkInputs } from "../../provider/lifecycle/check";
import { OUTPUT_NAMES, SECRET_OUTPUTS, SETTINGS_INPUTS, TOKEN_SHAPING_INPUTS } from "../../provider/lifecycle/inputs";
import { PLUGIN_CREDENTIALS_TYPE } from "../../provider/plugin/type-token";
import { REPO_ROOT } from "../support/packed-package";

interface Property {
  type?: string;
  $ref?: string;
  description?: string;
  secret?: boolean;
}
interface Resource {
  description: string;
  inputProperties: Record<string, Property>;
  requiredInputs: string[];
  properties: Record<string, Property>;
  required: string[];
}

const schema = JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as {
  name: string;
  version: string;
  resources: Record<string, Resource>;
  types: Record<string, { properties: Record<string, Property>; required: string[] }>;
};
const resource = schema.resources[PLUGIN_CREDENTIALS_TYPE] as Resource;

describe("the provider plugin's schema", () => {
  it("is exactly what the TypeScript declarations say: regenerating gives provider/plugin/schema.json byte for byte", () => {
    assert.equal(readFileSync(SCHEMA_FILE, "utf8"), schemaText(), "run npm run generate and commit the result");
  });

  it("has as inputs exactly the names check accepts from a program, and requires those check requires", () => {
    const accepted = [...TOKEN_SHAPING_INPUTS, ...SETTINGS_INPUTS].filter((name) => name !== "resourceName");
    assert.deepEqual(Object.keys(resource.inputProperties).sort(), [...accepted].sort());
    const required = checkInputs({}, { env: {} })
      .failures.filter((failure) => failure.reason === "is required")
      .map((failure) => failure.property);
    assert.deepEqual([...resource.requiredInputs].sort(), required.sort());
  });

  it("has as outputs the resource's public outputs, secret exactly where the lifecycle says, each described", () => {
    const outputs: readonly string[] = OUTPUT_NAMES;
    for (const name of Object.keys(resource.properties)) assert.ok(outputs.includes(name), `${name} is no output`);
    const secret = Object.entries(resource.properties).filter(([, property]) => property.secret === true);
    assert.deepEqual(
      secret.map(([name]) => name),
      [...SECRET_OUTPUTS],
    );
    for (const [name, property] of [
      ...Object.entries(resource.inputProperties),
      ...Object.entries(resource.properties),
      ...Object.values(schema.types).flatMap((type) => Object.entries(type.properties)),
    ]) {
      assert.ok((property.description ?? "").length > 10, `${name} has no description`);
    }
    assert.deepEqual([...resource.required].sort(), ["expiresAt", "renewAt"]);
  });

  it("takes its descriptions, types and optionality from the TSDoc and types of ManagedEndpointSessionCredentialsArgs", () => {
    assert.equal(
      resource.inputProperties["durationInSeconds"]?.description,
      "How long a token lives, in seconds: 1 to 43200. Default 900.",
    );
    assert.equal(resource.inputProperties["durationInSeconds"]?.type, "integer");
    assert.equal(resource.inputProperties["renewBeforeSeconds"]?.type, "number");
    assert.equal(resource.inputProperties["describeEndpoint"]?.type, "boolean");
    assert.deepEqual(resource.inputProperties["triggers"], {
      type: "object",
      additionalProperties: { type: "string" },
      description: "Arbitrary values; any change mints a new token.",
    });
    assert.equal(resource.inputProperties["deliverTo"]?.$ref, "#/types/emr-session-credentials:index:DeliverTo");
    assert.deepEqual(schema.types["emr-session-credentials:index:SsmParameter"]?.required, ["name"]);
  });

  it("is the package's own: its name, and the version of package.json and of the plugin's directory", () => {
    assert.equal(schema.name, "emr-session-credentials");
    assert.equal(schema.version, packageFacts().version);
    const pluginDir = JSON.parse(readFileSync(path.join(REPO_ROOT, "pulumi-plugin", "package.json"), "utf8")) as {
      version: string;
      main: string;
      dependencies?: unknown;
    };
    assert.equal(pluginDir.version, packageFacts().version);
    assert.equal(pluginDir.dependencies, undefined, "npm install in the plugin's directory must install nothing");
    assert.equal(
      path.normalize(path.join("pulumi-plugin", pluginDir.main)),
      path.join("dist", "provider", "plugin", "serve.js"),
    );
  });

  it("refuses a declaration it cannot map, rather than write a wrong schema", () => {
    const unmappable = path.join(REPO_ROOT, "tests", "fixtures", "unmappable-resource.ts");
    assert.throws(
      () => packageSchema(packageFacts(), unmappable),
      /ManagedEndpointSessionCredentialsArgs\.notBefore: the schema generator cannot map the type Date/,
    );
  });
});
