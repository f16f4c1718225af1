// A stand-in for the Pulumi engine: it starts the SDK's real dynamic-provider host
// (`@pulumi/pulumi/cmd/dynamic-provider`, the program behind the `pulumi-resource-pulumi-nodejs`
// plugin), or any other provider plugin's server, as a child process and speaks its gRPC protocol
// the way the engine does. It knows nothing about any particular resource.

import { spawn } from "node:child_process";
import * as grpc from "@grpc/grpc-js";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as proto from "@pulumi/pulumi/proto/provider_pb";
import type { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb";
import { Status } from "@pulumi/pulumi/proto/status_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { fromStruct, toStruct, type Props } from "./wire";

/** A property bag as plain JSON-like values (what a `google.protobuf.Struct` carries). */
export { UNKNOWN, type Props } from "./wire";

/** One input the provider's `check` rejected: the property name and why. */
export interface CheckFailure {
  property: string;
  reason: string;
}

/**
 * The answer to Diff, as the engine reads it. `changes` is "unknown" when the provider
 * has no `diff` (the engine then compares inputs itself); `replaces` lists the
 * properties whose change forces a replacement.
 */
export interface HostDiff {
  changes: "some" | "none" | "unknown";
  replaces: string[];
  deleteBeforeReplace: boolean;
}

/**
 * Partial success reported by create/update: the provider threw an error carrying `id`
 * (and optionally `properties`, `reasons`), so the engine records the resource as
 * created but failed to initialize.
 */
export interface InitFailure {
  id: string;
  properties: Props;
  reasons: string[];
}

/**
 * A failed call. `message` is exactly the host's message (gRPC `details`), e.g. the
 * `message` of the Error the provider threw; `code` is the gRPC status code
 * (2 = UNKNOWN for anything a provider throws).
 */
export class ProviderHostError extends Error {
  constructor(
    message: string,
    readonly code: grpc.status,
    readonly initFailure?: InitFailure,
  ) {
    super(message);
    this.name = "ProviderHostError";
  }
}

/**
 * A running dynamic-provider host. Each method sends one request, exactly as the engine
 * would during `pulumi up`, and resolves with the decoded answer, or rejects with a
 * {@link ProviderHostError} whose message is the host's. Property bags must contain the
 * `__provider` string the SDK serialized (see `serializedProviderOf`), because the host
 * loads the provider from it on every call.
 *
 * Call `configure` before any other method: the host hands its stored config to the
 * provider's `configure` when it first loads a given `__provider`, and only then.
 */
export interface ProviderHost {
  /**
   * Sends Configure with `args` = `config` (fully qualified keys such as
   * `"aws:region"` or `"<project>:<key>"`, as the engine passes the stack's config to
   * dynamic providers) and `variables` = the same under the legacy
   * `pulumi-nodejs:config:<key>` spelling.
   */
  configure(config: Record<string, string>): Promise<void>;
  /** Sends Check (`olds`: the previous inputs, `{}` on create; `news`: the new inputs). */
  check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: CheckFailure[] }>;
  /**
   * Sends Diff. `olds` is the last recorded state (the outputs), which is what the
   * engine sends as `olds` and what a dynamic provider's `diff` receives; `news` are
   * the checked new inputs.
   */
  diff(id: string, urn: string, olds: Props, news: Props): Promise<HostDiff>;
  /** Sends Create (not a preview) with the checked inputs. */
  create(urn: string, props: Props): Promise<{ id: string; properties: Props }>;
  /**
   * Sends Read (a refresh) with the recorded state. `inputs` is present only when the
   * provider returned new inputs.
   */
  read(id: string, urn: string, props: Props): Promise<{ id: string; properties: Props; inputs?: Props }>;
  /** Sends Update (not a preview): `olds` is the recorded state, `news` the checked new inputs. */
  update(id: string, urn: string, olds: Props, news: Props): Promise<{ properties: Props }>;
  /** Sends Delete with the recorded state. */
  delete(id: string, urn: string, props: Props): Promise<void>;
  /** Sends GetSchema (version 0) and resolves with the schema's JSON text. */
  schema(): Promise<string>;
  /** Sends GetPluginInfo and resolves with the version the provider reports. */
  pluginVersion(): Promise<string>;
  /** The host's process id. */
  readonly pid: number;
  /** Everything the host process wrote to stdout and stderr so far. */
  output(): string;
  /**
   * Per-call wall times in ms, by method name (for the closing report, not for
   * assertions). `start` is the time from spawning the host to reading its port.
   */
  timings: Record<string, number[]>;
  /** Closes the client and kills the host; safe to call more than once. */
  stop(): Promise<void>;
}

/** How long the host may take to print its port before start-up is abandoned. */
const START_TIMEOUT_MS = 30_000;
/** How long `stop` waits after SIGTERM before sending SIGKILL. */
const STOP_GRACE_MS = 2_000;
/**
 * The dynamic-provider host requires an engine address as its first argument but never dials it,
 * so an address nothing listens on will do.
 */
const UNUSED_ENGINE_ADDRESS = "127.0.0.1:1";

/**
 * Starts the dynamic-provider host the way the engine starts the
 * `pulumi-resource-pulumi-nodejs` plugin: `<node> <hostScript> <engine address>` (defaults: the
 * Node binary running this process and the repository's `@pulumi/pulumi/cmd/dynamic-provider`;
 * pass a stack's own to run its SDK under its Node), with the
 * working directory `programDir` (the host resolves the `require(...)` calls inside
 * `__provider` from there) and the environment `process.env` + `env`, plus
 * `PULUMI_NODEJS_PROJECT`/`PULUMI_PROJECT` from `project` (what the provider's
 * `getProject()` returns and what unqualified config keys are prefixed with; the host
 * falls back to "project") and `PULUMI_NODEJS_STACK`/`PULUMI_STACK` from `stack`
 * (the engine sets no stack for dynamic providers, so there `getStack()` is "stack").
 * Pass `env.PULUMI_CONFIG` (a JSON object of config) if the provider reads config
 * through `new pulumi.Config()` rather than `configure`, and `engineAddress` (default one nothing
 * listens on) for a provider that calls the engine back, such as to log.
 *
 * Resolves once the host listens. Rejects, with the host's output in the message,
 * if it exits or prints no port within 30 s; no process is left running then.
 */
export async function startProviderHost(options: {
  programDir: string;
  node?: string;
  hostScript?: string;
  project?: string;
  stack?: string;
  env?: NodeJS.ProcessEnv;
  engineAddress?: string;
}): Promise<ProviderHost> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  if (options.project !== undefined) {
    env["PULUMI_NODEJS_PROJECT"] = env["PULUMI_PROJECT"] = options.project;
  }
  if (options.stack !== undefined) {
    env["PULUMI_NODEJS_STACK"] = env["PULUMI_STACK"] = options.stack;
  }

  const started = performance.now();
  const child = spawn(
    options.node ?? process.execPath,
    [
      options.hostScript ?? require.resolve("@pulumi/pulumi/cmd/dynamic-provider"),
      options.engineAddress ?? UNUSED_ENGINE_ADDRESS,
    ],
    { cwd: options.programDir, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const record = (chunk: string): void => {
    output += chunk;
  };
  child.stdout.setEncoding("utf8").on("data", record);
  child.stderr.setEncoding("utf8").on("data", record);
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  let exitNote: string | undefined;
  child.once("exit", (code, signal) => {
    exitNote = `provider host exited (${signal ?? `code ${code}`})`;
  });
  // Last resort if a test never calls stop(): the host must not outlive the test run.
  const killOnExit = (): void => {
    child.kill("SIGKILL");
  };
  process.once("exit", killOnExit);

  const kill = async (): Promise<void> => {
    process.removeListener("exit", killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }
  };

  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no port printed within ${START_TIMEOUT_MS} ms`)),
        START_TIMEOUT_MS,
      );
      // The first line on stdout is the port the host's gRPC server listens on.
      let stdout = "";
      const onData = (chunk: string): void => {
        stdout += chunk;
        const newline = stdout.indexOf("\n");
        if (newline < 0) return;
        clearTimeout(timer);
        child.stdout.removeListener("data", onData);
        const line = stdout.slice(0, newline).trim();
        if (/^\d+$/.test(line)) resolve(Number(line));
        else reject(new Error(`it printed ${JSON.stringify(line)} instead of its port`));
      };
      child.stdout.on("data", onData);
      child.once("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.once("exit", () => {
        clearTimeout(timer);
        reject(new Error(exitNote ?? "it exited"));
      });
    });
  } catch (err) {
    await kill();
    const reason = (err as Error).message;
    throw new Error(`provider host did not start in ${options.programDir}: ${reason}; its output:\n${output}`);
  }

  const timings: Record<string, number[]> = { start: [performance.now() - started] };
  const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());

  /** Sends one unary request, timing it and turning gRPC errors into ProviderHostErrors. */
  function call<Res>(
    method: string,
    send: (done: (err: grpc.ServiceError | null, res: Res) => void) => void,
  ): Promise<Res> {
    const begun = performance.now();
    return new Promise<Res>((resolve, reject) => {
      send((err, res) => {
        (timings[method] ??= []).push(performance.now() - begun);
        if (err === null) resolve(res);
        else if (exitNote !== undefined) {
          reject(new ProviderHostError(`${exitNote} during ${method}; its output:\n${output}`, err.code));
        } else reject(new ProviderHostError(err.details, err.code, initFailureOf(err)));
      });
    });
  }

  return {
    async configure(config) {
      const req = new proto.ConfigureRequest()
        .setArgs(toStruct(config))
        .setAcceptsecrets(true)
        .setAcceptresources(true)
        .setSendsOldInputs(true)
        .setSendsOldInputsToDelete(true);
      for (const [key, value] of Object.entries(config)) {
        req.getVariablesMap().set(`pulumi-nodejs:config:${key}`, value);
      }
      await call<proto.ConfigureResponse>("configure", (done) => client.configure(req, done));
    },

    async check(urn, olds, news) {
      const req = new proto.CheckRequest().setOlds(toStruct(olds)).setNews(toStruct(news));
      const res = await call<proto.CheckResponse>("check", (done) => client.check(named(req, urn), done));
      return {
        inputs: fromStruct(res.getInputs()),
        failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
      };
    },

    async diff(id, urn, olds, news) {
      const req = new proto.DiffRequest().setId(id).setOlds(toStruct(olds)).setNews(toStruct(news));
      const res = await call<proto.DiffResponse>("diff", (done) => client.diff(named(req, urn), done));
      const changes = {
        [proto.DiffResponse.DiffChanges.DIFF_SOME]: "some",
        [proto.DiffResponse.DiffChanges.DIFF_NONE]: "none",
        [proto.DiffResponse.DiffChanges.DIFF_UNKNOWN]: "unknown",
      } as const;
      return {
        changes: changes[res.getChanges()],
        replaces: res.getReplacesList(),
        deleteBeforeReplace: res.getDeletebeforereplace(),
      };
    },

    async create(urn, props) {
      const req = new proto.CreateRequest().setProperties(toStruct(props)).setPreview(false);
      const res = await call<proto.CreateResponse>("create", (done) => client.create(named(req, urn), done));
      return { id: res.getId(), properties: fromStruct(res.getProperties()) };
    },

    async read(id, urn, props) {
      const req = new proto.ReadRequest().setId(id).setProperties(toStruct(props));
      const res = await call<proto.ReadResponse>("read", (done) => client.read(named(req, urn), done));
      const result = { id: res.getId(), properties: fromStruct(res.getProperties()) };
      return res.hasInputs() ? { ...result, inputs: fromStruct(res.getInputs()) } : result;
    },

    async update(id, urn, olds, news) {
      const req = new proto.UpdateRequest().setId(id).setOlds(toStruct(olds)).setNews(toStruct(news)).setPreview(false);
      const res = await call<proto.UpdateResponse>("update", (done) => client.update(named(req, urn), done));
      return { properties: fromStruct(res.getProperties()) };
    },

    async delete(id, urn, props) {
      const req = new proto.DeleteRequest().setId(id).setProperties(toStruct(props));
      await call("delete", (done) => client.delete(named(req, urn), done));
    },

    async schema() {
      const req = new proto.GetSchemaRequest().setVersion(0);
      const res = await call<proto.GetSchemaResponse>("schema", (done) => client.getSchema(req, done));
      return res.getSchema();
    },

    async pluginVersion() {
      const res = await call<PluginInfo>("pluginVersion", (done) => client.getPluginInfo(new Empty(), done));
      return res.getVersion();
    },

    pid: child.pid ?? -1,
    output: () => output,
    timings,

    async stop() {
      client.close();
      await kill();
    },
  };
}

/** Fills in `urn`, and the `name` and `type` the engine derives from it. */
function named<Req extends { setUrn(v: string): Req; setName(v: string): Req; setType(v: string): Req }>(
  req: Req,
  urn: string,
): Req {
  // urn:pulumi:<stack>::<project>::<parent types $ ...>$<type>::<name>
  const [, , qualifiedType = "", ...name] = urn.split("::");
  return req
    .setUrn(urn)
    .setName(name.join("::"))
    .setType(qualifiedType.split("$").pop() ?? "");
}

/**
 * Decodes the `ErrorResourceInitFailed` detail the host attaches (in the
 * `grpc-status-details-bin` trailer) when a create/update error carries an `id`.
 */
function initFailureOf(err: grpc.ServiceError): InitFailure | undefined {
  const [bin] = err.metadata?.get("grpc-status-details-bin") ?? [];
  if (!(bin instanceof Buffer)) return undefined;
  for (const detail of Status.deserializeBinary(bin).getDetailsList()) {
    const failed = detail.unpack(
      (bytes) => proto.ErrorResourceInitFailed.deserializeBinary(bytes),
      "pulumirpc.ErrorResourceInitFailed",
    );
    if (failed !== null) {
      return {
        id: failed.getId(),
        properties: fromStruct(failed.getProperties()),
        reasons: failed.getReasonsList(),
      };
    }
  }
  return undefined;
}
