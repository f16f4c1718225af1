#!/usr/bin/env node
// `pulumi-resource-emr-session-credentials`: the provider plugin as an executable, for `PATH` (npm
// links it into `node_modules/.bin`) and for `pulumi plugin install resource emr-session-credentials
// <version> --file <this file>`, which copies it alone into Pulumi's plugin cache. It needs nothing
// but Node: it serves the plugin of the package beside it, or, copied away from it, of the package
// installed in the Pulumi project's directory, where the engine starts plugins.
import { createRequire } from "node:module";
import * as path from "node:path";

const PACKAGE_SERVE = "pulumi-emr-session-credentials/dist/provider/plugin/serve.js";

function isMissing(error: unknown, module: string): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return code === "MODULE_NOT_FOUND" && (message ?? "").includes(module);
}

try {
  require("./serve");
} catch (error) {
  if (!isMissing(error, "./serve")) throw error;
  try {
    createRequire(path.join(process.cwd(), "package.json"))(PACKAGE_SERVE);
  } catch (inProject) {
    if (!isMissing(inProject, PACKAGE_SERVE)) throw inProject;
    console.error(
      `pulumi-resource-emr-session-credentials: the package pulumi-emr-session-credentials is not installed in ` +
        `${process.cwd()}: run \`npm install pulumi-emr-session-credentials\` there (Node 20 or later).`,
    );
    process.exitCode = 1;
  }
}
