// A `pulumi` for the front of `PATH` that holds every `pulumi up` until the test opens its gate,
// and runs every other command at once: so that a test knows a command has read a stack's state
// and is about to update it, and lets the update begin exactly when it wants.
import { existsSync, mkdtempSync, rmSync, watch, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The gated `pulumi`. */
export interface GatedPulumi {
  /** The directory holding it: put it first on `PATH`. */
  dir: string;
  /** Resolves once a `pulumi up` is being held at the gate. */
  upHeld(): Promise<void>;
  /** Lets every held and later `pulumi up` run. */
  open(): void;
  /** Removes it. */
  remove(): void;
}

/** A gated `pulumi` in front of `realPulumi` (its path), which every command it lets through runs. */
export function gatedPulumi(realPulumi: string): GatedPulumi {
  const dir = mkdtempSync(path.join(os.tmpdir(), "gated-pulumi-"));
  const held = path.join(dir, "up-held");
  const opened = path.join(dir, "gate-open");
  // Waits by polling a file every 50 ms: a gate, not a pause; nothing here lets time pass for a token.
  writeFileSync(
    path.join(dir, "pulumi"),
    [
      "#!/bin/sh",
      `if [ "$1" = up ]; then`,
      `  : > '${held}'`,
      `  while [ ! -e '${opened}' ]; do sleep 0.05; done`,
      "fi",
      `exec '${realPulumi}' "$@"`,
      "",
    ].join("\n"),
    { mode: 0o755 },
  );
  return {
    dir,
    upHeld: () =>
      new Promise<void>((resolve) => {
        const resolveOnceHeld = (): void => {
          if (!existsSync(held)) return;
          watcher.close();
          resolve();
        };
        const watcher = watch(dir, resolveOnceHeld);
        resolveOnceHeld();
      }),
    open: () => writeFileSync(opened, ""),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
