// A test stand-in for the Pulumi engine ("program tier"): it runs a real program
// with `@pulumi/pulumi/cmd/run`, as the language host does, serves the
// ResourceMonitor and Engine it talks to, sends dynamic resources to the real
// dynamic-provider host, fakes all other resources, and keeps state between runs.
//
// Known gaps against the real engine:
// - Non-dynamic resources (AWS, providers, components) are faked like mocks:
//   outputs = inputs (+ a fake `arn`, IAM's in AWS's form), diffed by deep
//   equality, only ever updated, never replaced; no provider plugin runs. Invokes
//   are faked for getResource, getCallerIdentity, getRegion and getPartition;
//   anything else answers `{}`.
// - Steps run as registrations arrive; deletions run after the program exits, in
//   reverse registration order, not by the dependency graph. No parallelism limit.
// - Resource options ignored: ignoreChanges, replaceOnChanges, protect,
//   retainOnDelete, aliases, import, customTimeouts, dependsOn ordering of deletes.
//   The SDK is told the monitor supports only `secrets`, so transforms, hooks,
//   deletedWith, replaceWith, parameterization and output values are refused or
//   fall back as with an old CLI; resource references are sent as ids/URNs.
// - Secretness is tracked per top-level property: a nested secret makes the whole
//   property secret. Secret config (`PULUMI_CONFIG_SECRET_KEYS`) is not supported.
// - No refresh, no pending operations, no partial-create (init failure) records:
//   a failed create leaves nothing in state. If the program fails, resources it
//   did not register are kept, but replaced ones are still deleted (the real
//   engine keeps them as pending deletes).
// - The program path is always passed absolute. The language host passes "." when
//   Pulumi.yaml has no `main`, and then cmd/run takes the entry point from the
//   nearest package.json (for tests/fixtures/* that is /work/main's `exports`!).
// - The stack config is passed whole to the dynamic provider's configure.
// - Like the engine for providers without preview support, a preview answers a
//   create/update/replace with the checked inputs: provider-computed outputs stay
//   unknown. A failed step is answered UNAVAILABLE as the engine does, so the
//   program exits quietly (code 0) and the error is the harness's to report.

import { startProviderHost, type ProviderHost } from "../provider-host";
import { Deployment, type Step } from "./deployment";
import { serveMonitor } from "./monitor";
import { runProgram } from "./run-program";
import { StackState } from "./state";
import { wrapSecrets, type Props } from "./values";

/** A stack to run: its program, config, environment and starting state. */
export interface EngineOptions {
  /** The directory holding the program's `Pulumi.yaml`. */
  programDir: string;
  project: string;
  stack: string;
  /** The stack config with fully qualified keys, e.g. `{ "aws:region": "us-west-2" }`. */
  config: Record<string, string>;
  /** Extra environment for the program and the provider host. */
  env?: NodeJS.ProcessEnv;
  /** Entry point relative to `programDir`; default "." (its index.ts or index.js). */
  program?: string;
  /** State to start from (e.g. `StackState.load(file)`); default empty. */
  state?: StackState;
}

/** What one up or preview did, returned, printed and cost. */
export interface RunResult {
  /** What was done (or, in a preview, planned), in order. */
  steps: Step[];
  /** The stack outputs, in wire form: secrets still wrapped, unknowns as `UNKNOWN`. */
  outputs: Props;
  secretOutputNames: string[];
  /** Everything the program, the harness and the provider host printed. */
  log: string;
  ok: boolean;
  error?: string;
  timings: {
    totalMs: number;
    programMs: number;
    /** The provider host's per-call times (`start`, `check`, `create`, ...); empty if none was started. */
    host: Record<string, number[]>;
  };
}

/**
 * Plays the Pulumi engine for one stack. `up` and `preview` each run the program
 * once; `state` carries over between runs and may be edited by tests. `config` and
 * `env` may be changed between runs.
 */
export class Engine {
  readonly programDir: string;
  readonly project: string;
  readonly stack: string;
  readonly program: string;
  config: Record<string, string>;
  env: NodeJS.ProcessEnv;
  state: StackState;

  constructor(opts: EngineOptions) {
    this.programDir = opts.programDir;
    this.project = opts.project;
    this.stack = opts.stack;
    this.program = opts.program ?? ".";
    this.config = { ...opts.config };
    this.env = { ...opts.env };
    this.state = opts.state ?? new StackState();
  }

  /** Runs the program and applies the changes; the new state replaces `state`. */
  up(): Promise<RunResult> {
    return this.run(false);
  }

  /** Runs the program with `--dry-run`: checks and diffs, never creates, updates or deletes; `state` is kept. */
  preview(): Promise<RunResult> {
    return this.run(true);
  }

  private async run(dryRun: boolean): Promise<RunResult> {
    const started = performance.now();
    const config = { ...this.config };
    const env = { ...this.env, PULUMI_CONFIG: JSON.stringify(config) };
    const deployment = new Deployment({
      prior: this.state,
      dryRun,
      project: this.project,
      stack: this.stack,
      config,
      startHost: async () => {
        const host = await startProviderHost({
          programDir: this.programDir,
          project: this.project,
          stack: this.stack,
          env,
        });
        await host.configure(config).catch(async (err: unknown) => {
          await host.stop();
          throw err;
        });
        return host;
      },
    });
    const server = await serveMonitor(deployment);
    let program = { code: null as number | null, output: "", ms: 0 };
    let host: ProviderHost | undefined;
    try {
      program = await runProgram({
        address: server.address,
        project: this.project,
        stack: this.stack,
        programDir: this.programDir,
        program: this.program,
        config,
        dryRun,
        env: this.env,
      });
      const succeeded = program.code === 0 && deployment.errors.length === 0 && deployment.programErrors.length === 0;
      await deployment.finish(succeeded).catch((err: unknown) => {
        deployment.errors.push(`deleting failed: ${err instanceof Error ? err.message : String(err)}`);
      });
    } finally {
      await server.stop();
      host = await deployment.close();
    }
    if (!dryRun) this.state = deployment.finalState();

    const stackResource = (dryRun ? deployment.next : this.state).ofType("pulumi:pulumi:Stack")[0];
    const problems = [...new Set([...deployment.errors, ...deployment.programErrors])];
    const ok = program.code === 0 && problems.length === 0;
    const log = [
      `--- program (exit ${program.code}) ---`,
      program.output.trimEnd(),
      "--- engine ---",
      ...deployment.log,
      ...deployment.steps.map((s) => `${dryRun ? "plan" : "step"}: ${s.op} ${s.urn}`),
      ...(host ? ["--- provider host ---", host.output().trimEnd()] : []),
    ].join("\n");
    return {
      steps: deployment.steps,
      outputs: stackResource ? wrapSecrets(stackResource.outputs, stackResource.secretOutputs) : {},
      secretOutputNames: stackResource?.secretOutputs ?? [],
      log,
      ok,
      ...(ok ? {} : { error: problems.join("\n") || `program exited with code ${program.code}` }),
      timings: { totalMs: performance.now() - started, programMs: program.ms, host: host?.timings ?? {} },
    };
  }
}
