// The provider plugin's Pulumi schema, read off the TypeScript declarations users read: the
// inputs' names, types, optionality and TSDoc from `ManagedEndpointSessionCredentialsArgs` (and the
// types it names), the outputs' from the resource class, which outputs every state holds from the
// lifecycle's `SessionCredentialsOutputs`, and the secret ones from `SECRET_OUTPUTS`.
import * as path from "node:path";
import ts from "typescript";
import { SECRET_OUTPUTS } from "../provider/lifecycle/inputs";
import { PLUGIN_CREDENTIALS_TYPE, PLUGIN_PACKAGE } from "../provider/plugin/type-token";

/** A property of the schema (`propertySpec`), as far as this package uses one. */
export interface PropertySpec {
  type?: "string" | "number" | "integer" | "boolean" | "object";
  $ref?: string;
  additionalProperties?: PropertySpec;
  description?: string;
  secret?: true;
}

/** An object type of the schema: a resource's inputs or outputs, or a type under `types`. */
interface ObjectSpec {
  properties: Record<string, PropertySpec>;
  required: string[];
}

/** The package's schema (`pkg/codegen/schema`), as far as this package uses it. */
export type PackageSchema = Record<string, unknown> & { resources: Record<string, Record<string, unknown>> };

/** What the schema says of the package beside the resource: its version and words about it. */
export interface PackageFacts {
  version: string;
  description: string;
  keywords: string[];
  license: string;
}

const REPO_ROOT = path.resolve(__dirname, "..", "..");
/** Where the resource's public declarations are: the dynamic face's TypeScript, which users read. */
const RESOURCE_FILE = path.join(REPO_ROOT, "provider", "dynamic", "resource.ts");
const INPUTS_FILE = path.join(REPO_ROOT, "provider", "lifecycle", "inputs.ts");

/** The schema token of a type the resource's inputs name (`SsmParameterArgs` → `<pkg>:index:SsmParameter`). */
function typeToken(name: string): string {
  return `${PLUGIN_PACKAGE}:index:${name.replace(/Args$/, "")}`;
}

/** Reads declarations of the provider's source with the TypeScript compiler. */
class Declarations {
  private readonly program: ts.Program;
  private readonly checker: ts.TypeChecker;
  /** Object types met in the inputs, by schema token, to go under `types`. */
  readonly types = new Map<string, ObjectSpec>();

  /** @param resourceFile the file declaring the resource, its inputs and the types they name. */
  constructor(private readonly resourceFile: string) {
    this.program = ts.createProgram([resourceFile, INPUTS_FILE], {
      strict: true,
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      target: ts.ScriptTarget.ES2022,
      skipLibCheck: true,
    });
    this.checker = this.program.getTypeChecker();
  }

  private declaration<T extends ts.Statement & { name?: ts.Node }>(
    file: string,
    name: string,
    is: (node: ts.Node) => node is T,
  ): T {
    const found = this.program
      .getSourceFile(file)
      ?.statements.find((node): node is T => is(node) && node.name?.getText() === name);
    if (!found) throw new Error(`${path.relative(REPO_ROOT, file)} declares no ${name}`);
    return found;
  }

  private description(node: ts.Node): string {
    const symbol = this.checker.getSymbolAtLocation((node as { name?: ts.Node }).name ?? node);
    const text = ts.displayPartsToString(symbol?.getDocumentationComment(this.checker) ?? []);
    return text.replace(/\s*\n\s*/g, " ").trim();
  }

  /** The schema property for a member's declared type, `pulumi.Input<...>` and `pulumi.Output<...>` seen through. */
  private property(type: ts.TypeNode | undefined, where: string): PropertySpec {
    if (type === undefined) throw new Error(`${where} has no declared type`);
    if (ts.isUnionTypeNode(type)) {
      const defined = type.types.filter((member) => member.kind !== ts.SyntaxKind.UndefinedKeyword);
      if (defined.length === 1) return this.property(defined[0], where);
    }
    if (type.kind === ts.SyntaxKind.StringKeyword) return { type: "string" };
    if (type.kind === ts.SyntaxKind.NumberKeyword) return { type: "number" };
    if (type.kind === ts.SyntaxKind.BooleanKeyword) return { type: "boolean" };
    if (ts.isTypeReferenceNode(type)) {
      const name = type.typeName.getText();
      const [argument] = type.typeArguments ?? [];
      if (name === "pulumi.Input" || name === "pulumi.Output") return this.property(argument, where);
      if (name === "Integer") return { type: "integer" };
      if (name === "Record" && type.typeArguments?.[0]?.kind === ts.SyntaxKind.StringKeyword) {
        return { type: "object", additionalProperties: this.property(type.typeArguments[1], where) };
      }
      return { $ref: `#/types/${this.objectType(name, where)}` };
    }
    throw new Error(`${where}: the schema generator cannot map the type ${type.getText()}`);
  }

  /**
   * Puts the object type `name` (an interface, or a type alias of a union of object literals,
   * declared beside the resource) under `types`; `where` names the member whose type it is.
   */
  private objectType(name: string, where: string): string {
    const token = typeToken(name);
    if (this.types.has(token)) return token;
    const declared = this.program
      .getSourceFile(this.resourceFile)
      ?.statements.find(
        (node): node is ts.InterfaceDeclaration | ts.TypeAliasDeclaration =>
          (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) && node.name.text === name,
      );
    if (!declared) {
      throw new Error(
        `${where}: the schema generator cannot map the type ${name}: it maps strings, numbers, Integer, booleans, ` +
          "string maps, and the interfaces and unions of object types declared beside the resource",
      );
    }
    let spec: ObjectSpec & { description?: string };
    if (ts.isInterfaceDeclaration(declared)) {
      spec = this.members(declared.members, name);
    } else if (ts.isUnionTypeNode(declared.type) && declared.type.types.every(ts.isTypeLiteralNode)) {
      // Exactly one of the union's members, which the check enforces: in the schema each is optional.
      spec = this.members(
        declared.type.types.flatMap((member) => [...(member as ts.TypeLiteralNode).members]),
        name,
      );
      spec.required = [];
    } else {
      throw new Error(`${name}: the schema generator maps interfaces and unions of object types only`);
    }
    this.types.set(token, { ...spec, description: this.description(declared) } as ObjectSpec);
    return token;
  }

  /** The properties and required names of members (of an interface or an object literal type). */
  private members(members: readonly ts.TypeElement[], where: string): ObjectSpec {
    const properties: Record<string, PropertySpec> = {};
    const required: string[] = [];
    for (const member of members) {
      if (!ts.isPropertySignature(member)) throw new Error(`${where}: only properties are mapped`);
      const name = member.name.getText();
      properties[name] = { ...this.property(member.type, `${where}.${name}`), description: this.description(member) };
      if (!member.questionToken) required.push(name);
    }
    return { properties, required };
  }

  /** The resource's inputs: `ManagedEndpointSessionCredentialsArgs`. */
  inputs(): ObjectSpec {
    const args = this.declaration(
      this.resourceFile,
      "ManagedEndpointSessionCredentialsArgs",
      ts.isInterfaceDeclaration,
    );
    return this.members(args.members, args.name.text);
  }

  /**
   * The resource's outputs: the `declare readonly` members of its class (their names, types and
   * TSDoc), required when the lifecycle's `SessionCredentialsOutputs` has them in every state, and
   * secret as `SECRET_OUTPUTS` says.
   */
  outputs(): ObjectSpec & { description: string } {
    const resource = this.declaration(this.resourceFile, "ManagedEndpointSessionCredentials", ts.isClassDeclaration);
    const state = this.declaration(INPUTS_FILE, "SessionCredentialsOutputs", ts.isTypeAliasDeclaration);
    const stateType = this.checker.getTypeAtLocation(state.name);
    const secret: readonly string[] = SECRET_OUTPUTS;
    const properties: Record<string, PropertySpec> = {};
    const required: string[] = [];
    for (const member of resource.members) {
      if (!ts.isPropertyDeclaration(member)) continue;
      const name = member.name.getText();
      properties[name] = {
        ...this.property(member.type, `ManagedEndpointSessionCredentials.${name}`),
        description: this.description(member),
        ...(secret.includes(name) ? { secret: true as const } : {}),
      };
      const inState = stateType.getProperty(name);
      if (!inState) throw new Error(`the output ${name} is not in SessionCredentialsOutputs`);
      if (!(inState.flags & ts.SymbolFlags.Optional)) required.push(name);
    }
    return { properties, required, description: this.description(resource) };
  }
}

/**
 * The schema of the provider plugin `emr-session-credentials`: one resource,
 * `emr-session-credentials:index:ManagedEndpointSessionCredentials`, whose inputs, outputs and
 * descriptions are those of the TypeScript declarations, the object types its inputs name, the
 * plugin's config (`region`, `profile`), and the settings of the Python and Go SDKs.
 * Throws when a declaration has a type it cannot map. `resourceFile`: where the declarations are
 * (default `provider/dynamic/resource.ts`).
 */
export function packageSchema(facts: PackageFacts, resourceFile = RESOURCE_FILE): PackageSchema {
  const declarations = new Declarations(resourceFile);
  const inputs = declarations.inputs();
  const outputs = declarations.outputs();
  return {
    name: PLUGIN_PACKAGE,
    displayName: "EMR on EKS session credentials",
    version: facts.version,
    description: facts.description,
    keywords: facts.keywords,
    license: facts.license,
    // The SDKs carry their version (Python's `get_version`, the plugin's in pulumi-plugin.json) and Go's a go.mod.
    meta: { supportPack: true },
    config: {
      variables: {
        region: {
          type: "string",
          description:
            "The AWS region of the credentials that set no `region` and name no ARN; else `AWS_REGION` or `AWS_DEFAULT_REGION`.",
        },
        profile: {
          type: "string",
          description: "The named AWS profile of the credentials that set no `profile`; else the SDK's default chain.",
        },
      },
    },
    types: Object.fromEntries([...declarations.types].map(([token, spec]) => [token, { type: "object", ...spec }])),
    resources: {
      [PLUGIN_CREDENTIALS_TYPE]: {
        description: outputs.description,
        inputProperties: inputs.properties,
        requiredInputs: inputs.required,
        properties: outputs.properties,
        required: outputs.required,
      },
    },
    language: {
      python: {
        packageName: "pulumi_emr_session_credentials",
        respectSchemaVersion: true,
        pyproject: { enabled: true },
      },
      go: {
        importBasePath: "pulumi-emr-session-credentials/sdk/go/emrsessioncredentials",
        respectSchemaVersion: true,
      },
    },
  };
}
