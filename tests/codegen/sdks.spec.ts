/**
 * The SDKs in sdk/python and sdk/go against the schema they are generated from: `npm run generate`
 * run again gives them byte for byte, with the language hosts whose code generation made them
 * (another release writes other text; where this machine's differ, the test fails under CI and is
 * skipped elsewhere, saying why). The Python SDK builds into a wheel with pip; the Go SDK builds in
 * the Go example's test (tests/cli/go.spec.ts).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generateSdks, SCHEMA_FILE, SDK_LANGUAGES } from "../../codegen/generate";
import { requireCodegenHosts, sdkTree } from "../support/generated-sdks";
import { REPO_ROOT } from "../support/packed-package";
import { pulumiBinDir } from "../support/pulumi-cli";

describe("the generated SDKs", function () {
  this.timeout(120_000);
  let scratch: string;

  before(() => {
    scratch = mkdtempSync(path.join(os.tmpdir(), "sdks-"));
  });
  after(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it(`are what npm run generate makes of the schema: sdk/${SDK_LANGUAGES.join(" and sdk/")} regenerated give no diff`, function () {
    const binDir = pulumiBinDir();
    requireCodegenHosts(this, binDir);
    generateSdks(SCHEMA_FILE, scratch, binDir);
    for (const language of SDK_LANGUAGES) {
      assert.deepEqual(
        sdkTree(path.join(scratch, language)),
        sdkTree(path.join(REPO_ROOT, "sdk", language)),
        `sdk/${language} is not what the schema generates: run npm run generate and commit the result`,
      );
    }
  });

  it("builds the Python SDK into a wheel of pulumi_emr_session_credentials at the package's version, carrying the plugin's name and version", () => {
    const wheels = path.join(scratch, "wheels");
    const source = path.join(scratch, "python-source");
    execFileSync("cp", ["-r", path.join(REPO_ROOT, "sdk", "python"), source]);
    execFileSync("python3", ["-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", wheels, source], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    const wheel = path.join(wheels, `pulumi_emr_session_credentials-${version}-py3-none-any.whl`);
    const plugin = execFileSync(
      "python3",
      [
        "-c",
        "import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())",
        wheel,
        "pulumi_emr_session_credentials/pulumi-plugin.json",
      ],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    );
    assert.deepEqual(JSON.parse(plugin), { resource: true, name: "emr-session-credentials", version });
  });
});
