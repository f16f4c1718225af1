// What the tests of the generated SDKs share: reading an SDK's files, and making sure the language
// hosts at hand generate what the committed SDKs were generated with.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { CODEGEN_HOSTS_VERSION, languageHostVersion, SDK_LANGUAGES } from "../../codegen/generate";
import { UNDER_CI } from "./compat-cache";

/** Every file under `dir`, by path relative to it (sorted), with its text. */
export function sdkTree(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => {
        const file = path.join(entry.parentPath, entry.name);
        return [path.relative(dir, file), readFileSync(file, "utf8")] as const;
      })
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

/**
 * In a mocha test: when a language host of `binDir` is not of the release that generated the
 * committed SDKs (`CODEGEN_HOSTS_VERSION`; another writes other text), fails under `CI=true` and
 * skips the test elsewhere, saying why.
 */
export function requireCodegenHosts(context: Mocha.Context, binDir: string): void {
  for (const language of SDK_LANGUAGES) {
    const version = languageHostVersion(binDir, language);
    if (version === CODEGEN_HOSTS_VERSION) continue;
    const why = `the SDKs come from the ${CODEGEN_HOSTS_VERSION} language hosts; ${binDir} has ${language}'s ${version}`;
    if (UNDER_CI) assert.fail(why);
    console.log(`      skipped (under CI=true this fails): ${why}`);
    context.skip();
  }
}
