/**
 * `npm run demo` as a newcomer runs it: the real demo (dist/tests/demo.js, what `npm run demo` runs
 * once it has built) must pass, showing a renewal, without root, without faketime and without
 * writing outside its temporary directories. Under root (as CI runs), it runs in a mount namespace
 * of its own where faketime's directory is an empty tmpfs, as the unprivileged user `nobody` (see
 * `AS_NOBODY`); as any user, every process it starts is sampled while it runs and none may carry LD_PRELOAD or FAKETIME,
 * and no file of the repository may be written. Its own wait for renewAt makes it take about 20 s.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { lstatSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../support/packed-package";
import { processesWithEnv } from "../support/processes";

const DEMO = path.join(REPO_ROOT, "dist", "tests", "demo.js");
const FAKETIME_DIR = "/usr/lib/x86_64-linux-gnu/faketime";
/**
 * Run by root in a mount namespace of its own (`sh -c AS_NOBODY sh <repository> <node> <scratch>`,
 * scratch an empty directory): hides faketime's directory under an empty tmpfs, mounts a tmpfs on
 * the scratch directory holding the repository (bound, so that `nobody` reaches it wherever it was
 * cloned, /root included), a home and a TMPDIR, and runs the demo from there as `nobody` with no
 * capabilities, who can write to nothing but those and /tmp.
 */
const AS_NOBODY = `set -e
if [ -d ${FAKETIME_DIR} ]; then mount -t tmpfs tmpfs ${FAKETIME_DIR}; fi
mount -t tmpfs -o mode=755 tmpfs "$3"
mkdir "$3/repo" "$3/home" "$3/tmp" && chown 65534:65534 "$3/home" "$3/tmp" && mount --bind "$1" "$3/repo"
cd "$3/repo"
HOME="$3/home" TMPDIR="$3/tmp" exec setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all -- "$2" dist/tests/demo.js`;

/** The files and directories under `dir` (not following links, not `.git`) changed since `sinceMs`. */
function changedSince(dir: string, sinceMs: number): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === ".git") return [];
    const full = path.join(dir, name);
    const stat = lstatSync(full);
    const changed = stat.mtimeMs >= sinceMs ? [full] : [];
    return stat.isDirectory() ? [...changed, ...changedSince(full, sinceMs)] : changed;
  });
}

describe("npm run demo needs no root, no faketime and no write outside its temporary directories", function () {
  this.timeout(180_000);

  it("shows a renewal, and no process it starts carries LD_PRELOAD or FAKETIME", async () => {
    const marker = `EMR_SESSION_DEMO_RUN=${randomUUID()}`;
    const asRoot = process.getuid?.() === 0;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      [marker.split("=")[0] as string]: marker.split("=")[1],
      LD_PRELOAD: undefined,
      FAKETIME: undefined,
    };
    const scratch = mkdtempSync(path.join(os.tmpdir(), "demo-as-nobody-"));
    const [command, ...args] = asRoot
      ? [
          "unshare",
          "--mount",
          "--propagation",
          "private",
          "--",
          "sh",
          "-c",
          AS_NOBODY,
          "sh",
          REPO_ROOT,
          process.execPath,
          scratch,
        ]
      : [process.execPath, DEMO];

    const started = Date.now();
    const seen = new Map<string, string[]>();
    const child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const sampler = setInterval(() => {
      for (const { command, env } of processesWithEnv(marker)) {
        seen.set(
          command,
          ["LD_PRELOAD", "FAKETIME"].filter((name) => env.some((entry) => entry.startsWith(`${name}=`))),
        );
      }
    }, 100);
    const status = await new Promise<number | null>((resolve) => child.once("close", resolve)).finally(() => {
      clearInterval(sampler);
      rmSync(scratch, { recursive: true, force: true });
    });

    assert.equal(status, 0, `the demo failed:\n${output}`);
    assert.match(output, /replacing to mint a new token: renewAt \S+ has passed/);
    assert.match(output, /The stand-in minted 2 tokens in 3 ups; none was printed\.\nThe token renewed\./);
    // The sampling saw the demo's processes: the CLI and the dynamic-provider host at least.
    const commands = [...seen.keys()];
    assert.ok(
      commands.some((c) => /\/pulumi up /.test(c)) && commands.some((c) => c.includes("cmd/dynamic-provider")),
      `the sampling missed the demo's processes: ${commands.join("\n")}`,
    );
    const preloaded = [...seen].filter(([, carries]) => carries.length > 0);
    assert.deepEqual(preloaded, [], "no process of the demo carries LD_PRELOAD or FAKETIME");
    assert.deepEqual(changedSince(REPO_ROOT, started), [], "the demo wrote nothing into the repository");
  });
});
