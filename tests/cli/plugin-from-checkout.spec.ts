/**
 * The plugin as `pulumi package add <git URL of the repository>/pulumi-plugin` gets it: a checkout
 * of the committed repository, with no compiled JavaScript, whose plugin directory Pulumi
 * npm-installs before it first runs the plugin. Pulumi clones git URLs itself (an HTTPS client of
 * its own), which nothing here can serve, so the test takes what comes after the clone: a fresh
 * clone of this repository, and the real CLI generating the Python SDK from its plugin directory.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { requireCodegenHosts, sdkTree } from "../support/generated-sdks";
import { REPO_ROOT } from "../support/packed-package";
import { offlineCliEnv, pulumiBinDir } from "../support/pulumi-cli";

describe("the plugin from a git checkout of the repository, as pulumi package add <git URL> fetches it", function () {
  this.timeout(600_000);
  let scratch: string;
  before(() => {
    scratch = mkdtempSync(path.join(os.tmpdir(), "plugin-checkout-"));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it("builds the package when Pulumi npm-installs the plugin's directory, then serves its schema: the SDK generated from it is sdk/python", function () {
    const binDir = pulumiBinDir();
    requireCodegenHosts(this, binDir);
    const checkout = path.join(scratch, "checkout");
    execFileSync("git", ["clone", "--quiet", "--depth", "1", `file://${REPO_ROOT}`, checkout]);
    const serve = path.join(checkout, "dist", "provider", "plugin", "serve.js");
    assert.ok(!existsSync(serve), "a checkout has no compiled JavaScript");

    const out = path.join(scratch, "sdk");
    const args = ["package", "gen-sdk", path.join(checkout, "pulumi-plugin"), "--language", "python", "--out", out];
    execFileSync(path.join(binDir, "pulumi"), args, {
      env: offlineCliEnv(path.join(scratch, "home"), binDir),
      stdio: ["ignore", "pipe", "pipe"],
    });
    assert.ok(existsSync(serve), "the plugin directory's npm install built the package");
    assert.deepEqual(sdkTree(path.join(out, "python")), sdkTree(path.join(REPO_ROOT, "sdk", "python")));
  });
});
