/**
 * The Python example's credentials through the provider plugin, under the REAL Pulumi CLI: the
 * package installed from its tarball into the project, `pulumi package add` of its plugin
 * directory generating the SDK and installing it into the project's virtualenv beside PyPI's
 * `pulumi`, as the README tells a Python user to.
 */
import { pluginLifecycleTests } from "./plugin-lifecycle";
import { pythonProgram } from "../support/programs/plugin-programs";

describe("the Python example's credentials through the provider plugin, under the real Pulumi CLI", function () {
  this.timeout(300_000);
  pluginLifecycleTests("Python", (context) => pythonProgram(context));
});
