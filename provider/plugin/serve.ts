// Serves `ManagedEndpointSessionCredentials` as the provider plugin `emr-session-credentials`: the
// module the plugin directory's package.json names (`pulumi-plugin/`), and what the executable
// `pulumi-resource-emr-session-credentials` runs. Its arguments are the engine's (its address last).
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { main } from "@pulumi/pulumi/provider";
import { engineLog } from "./engine-log";
import schema from "./schema.json";
import { SessionCredentialsPlugin } from "./session-credentials-plugin";

/** The engine's address: the first argument that is not one of the flags the engine adds. */
function engineAddress(args: readonly string[]): string | undefined {
  return args.filter((arg, index) => !arg.startsWith("-") && args[index - 1] !== "--tracing")[0];
}

const args = process.argv.slice(2);
const manifest = JSON.parse(readFileSync(path.join(__dirname, "..", "..", "..", "package.json"), "utf8")) as {
  version: string;
};
void main(
  new SessionCredentialsPlugin({
    version: manifest.version,
    schema: JSON.stringify(schema),
    // The engine hands a plugin its package's stack config as JSON, keys without the namespace.
    config: JSON.parse(process.env["PULUMI_CONFIG"] || "{}") as Record<string, string>,
    say: engineLog(engineAddress(args)),
  }),
  args,
);
