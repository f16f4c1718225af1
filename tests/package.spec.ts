/**
 * The npm package as published: what `npm pack` puts in the tarball, and that `npm publish` accepts
 * it (dry run: nothing is published). Loading it from CommonJS and ES modules is checked in every
 * cell of the compatibility matrix, from a real install.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import * as path from "node:path";
import { packPackage, REPO_ROOT } from "./support/packed-package";

/** The compiled modules of a source folder and its subfolders: each ships as JavaScript and its type declarations. */
const compiledModules = (folder: string): string[] =>
  readdirSync(path.join(REPO_ROOT, folder), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .flatMap((file) => [
      `dist/${folder}/${file.replace(/\.ts$/, ".d.ts")}`,
      `dist/${folder}/${file.replace(/\.ts$/, ".js")}`,
    ]);

/** Every file under a folder of the repository, as paths from its root, but `.gitignore`s, which npm never packs. */
const filesUnder = (folder: string): string[] =>
  readdirSync(path.join(REPO_ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name !== ".gitignore")
    .map((entry) => path.relative(REPO_ROOT, path.join(entry.parentPath, entry.name)));

/**
 * Exactly what the tarball must hold: the compiled provider (with the plugin's schema) and
 * command, the plugin's directory, the generated SDKs, the manifest and the docs, no tests, no
 * source maps.
 */
const EXPECTED_FILES = [
  "CHANGELOG.md",
  "LICENSE",
  "README.md",
  "package.json",
  ...compiledModules("provider"),
  "dist/provider/plugin/schema.json",
  ...compiledModules("command"),
  ...filesUnder("pulumi-plugin"),
  ...filesUnder("sdk"),
].sort();

describe("the npm package", () => {
  it("packs exactly the compiled provider and command with their declarations, the plugin's directory and schema, the SDKs, package.json, README, LICENSE and CHANGELOG", () => {
    assert.deepEqual(packPackage().files, EXPECTED_FILES);
  });

  it("installs the command emr-session-credentials and the plugin's executable: bins in the tarball that start with a node shebang", () => {
    const { manifest, files, tarball } = packPackage();
    const bin = (manifest as { bin?: Record<string, string> }).bin ?? {};
    assert.deepEqual(Object.keys(bin), ["emr-session-credentials", "pulumi-resource-emr-session-credentials"]);
    for (const file of Object.values(bin)) {
      assert.ok(files.includes(file), `${file} is not in the tarball`);
      const text = execFileSync("tar", ["-xzOf", tarball, `package/${file}`], { encoding: "utf8" });
      assert.match(text, /^#!\/usr\/bin\/env node\n/);
    }
  });

  it("ships JavaScript that refers to no source map", () => {
    const { files } = packPackage();
    for (const file of files.filter((f) => f.endsWith(".js"))) {
      const text = execFileSync("tar", ["-xzOf", packPackage().tarball, `package/${file}`], { encoding: "utf8" });
      assert.doesNotMatch(text, /sourceMappingURL/, file);
    }
  });

  it("passes npm publish --dry-run, which would publish the same files and nothing else", function () {
    this.timeout(60_000);
    const stdout = execFileSync("npm", ["publish", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    const { manifest } = packPackage();
    // npm 11 keys the report by package name.
    const result = (JSON.parse(stdout) as Record<string, { id: string; files: { path: string }[] }>)[manifest.name];
    assert.equal(result?.id, `${manifest.name}@${manifest.version}`);
    assert.deepEqual(result.files.map((f) => f.path).sort(), EXPECTED_FILES);
  });
});
