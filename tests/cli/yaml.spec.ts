/**
 * The YAML example's credentials through the provider plugin, under the REAL Pulumi CLI: the package
 * installed from its tarball into the project and its executable installed into Pulumi's plugin
 * cache (`pulumi plugin install resource ... --file`), as the README tells a YAML user to.
 */
import { pluginLifecycleTests } from "./plugin-lifecycle";
import { yamlExample } from "../support/programs/plugin-programs";

describe("the YAML example's credentials through the provider plugin, under the real Pulumi CLI", function () {
  this.timeout(300_000);
  pluginLifecycleTests("YAML", yamlExample);
});
