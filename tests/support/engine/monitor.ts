import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { EngineService, type IEngineServer } from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engineProto from "@pulumi/pulumi/proto/engine_pb";
import { InvokeResponse } from "@pulumi/pulumi/proto/provider_pb";
import { ResourceMonitorService, type IResourceMonitorServer } from "@pulumi/pulumi/proto/resource_grpc_pb";
import * as resourceProto from "@pulumi/pulumi/proto/resource_pb";
import type { Deployment } from "./deployment";
import { fromStruct, toStruct } from "../wire";

/**
 * The monitor features the harness claims. Only `secrets`: secrets then travel
 * wrapped both ways. Without `resourceReferences` and `outputValues` the SDK
 * sends resources as their id/URN and outputs as plain (or secret) values.
 * Everything else (transforms, hooks, deletedWith, parameterization, ...) makes
 * the SDK refuse the feature, as an old CLI would.
 */
const FEATURES = new Set(["secrets"]);

const SEVERITY: Record<number, string> = {
  [engineProto.LogSeverity.DEBUG]: "debug",
  [engineProto.LogSeverity.INFO]: "info",
  [engineProto.LogSeverity.WARNING]: "warning",
  [engineProto.LogSeverity.ERROR]: "error",
};

/** The gRPC server a program's `--monitor` and `--engine` point at. */
export interface MonitorServer {
  /** `127.0.0.1:<port>`; the ResourceMonitor and Engine services share it. */
  address: string;
  /** Messages the SDK logged at debug level (kept out of the run log). */
  debug: string[];
  stop(): Promise<void>;
}

type Handler<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => void;

/** The monitor's answer once a step failed: the real engine cancels and answers UNAVAILABLE. */
class MonitorShutDown extends Error {}

/**
 * Answers a unary call from an async function. A `MonitorShutDown` goes back as
 * gRPC UNAVAILABLE, anything else thrown as UNKNOWN (and into `deployment.errors`).
 */
function unary<Req, Res>(deployment: Deployment, handle: (req: Req) => Res | Promise<Res>): Handler<Req, Res> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => handle(call.request))
      .then(
        (res) => callback(null, res),
        (err: unknown) => {
          const message = err instanceof Error ? err.message : String(err);
          if (err instanceof MonitorShutDown) return callback({ code: grpc.status.UNAVAILABLE, details: message });
          deployment.errors.push(message);
          callback({ code: grpc.status.UNKNOWN, details: message });
        },
      );
  };
}

/**
 * Runs one resource step. As in the engine, a failed step is reported by the
 * engine (here: `deployment.errors`), and this and every later registration is
 * answered UNAVAILABLE, so the SDK stops quietly ("Resource monitor is terminating").
 */
async function step<T>(deployment: Deployment, run: () => Promise<T>): Promise<T> {
  if (deployment.errors.length > 0)
    throw new MonitorShutDown("resource monitor shut down while sending resource registration");
  try {
    return await run();
  } catch (err) {
    deployment.errors.push(err instanceof Error ? err.message : String(err));
    throw new MonitorShutDown("resource monitor shut down while waiting on step's done channel");
  }
}

/** Serves ResourceMonitor and Engine on a free 127.0.0.1 port, forwarding to `deployment`. */
export async function serveMonitor(deployment: Deployment): Promise<MonitorServer> {
  const debug: string[] = [];
  let rootUrn = "";

  const monitor: Partial<IResourceMonitorServer> = {
    supportsFeature: unary(deployment, (req: resourceProto.SupportsFeatureRequest) =>
      new resourceProto.SupportsFeatureResponse().setHassupport(FEATURES.has(req.getId())),
    ),
    registerResource: unary(deployment, async (req: resourceProto.RegisterResourceRequest) => {
      const done = await step(deployment, () =>
        deployment.register({
          type: req.getType(),
          name: req.getName(),
          parent: req.getParent(),
          custom: req.getCustom(),
          provider: req.getProvider(),
          version: req.getVersion(),
          inputs: fromStruct(req.getObject()),
          additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
          deleteBeforeReplace: req.getDeletebeforereplace(),
        }),
      );
      return new resourceProto.RegisterResourceResponse()
        .setUrn(done.urn)
        .setId(done.id)
        .setObject(toStruct(done.outputs))
        .setResult(resourceProto.Result.SUCCESS);
    }),
    registerResourceOutputs: unary(deployment, (req: resourceProto.RegisterResourceOutputsRequest) => {
      deployment.registerOutputs(req.getUrn(), fromStruct(req.getOutputs()));
      return new Empty();
    }),
    readResource: unary(deployment, async (req: resourceProto.ReadResourceRequest) => {
      const read = await step(deployment, () =>
        deployment.read(req.getType(), req.getName(), req.getParent(), req.getId(), fromStruct(req.getProperties())),
      );
      return new resourceProto.ReadResourceResponse().setUrn(read.urn).setProperties(toStruct(read.outputs));
    }),
    invoke: unary(deployment, (req: resourceProto.ResourceInvokeRequest) =>
      new InvokeResponse().setReturn(toStruct(deployment.invoke(req.getTok(), fromStruct(req.getArgs())))),
    ),
    // The SDK calls this from `beforeExit`; deletions happen once the program has exited.
    signalAndWaitForShutdown: unary(deployment, () => new Empty()),
  };

  const engine: Partial<IEngineServer> = {
    log: unary(deployment, (req: engineProto.LogRequest) => {
      const severity = SEVERITY[req.getSeverity()] ?? "log";
      const line = `${severity}: ${req.getUrn() ? `${req.getUrn()}: ` : ""}${req.getMessage()}`;
      (severity === "debug" ? debug : deployment.log).push(line);
      if (severity === "error") deployment.programErrors.push(req.getMessage());
      return new Empty();
    }),
    getRootResource: unary(deployment, () => new engineProto.GetRootResourceResponse().setUrn(rootUrn)),
    setRootResource: unary(deployment, (req: engineProto.SetRootResourceRequest) => {
      rootUrn = req.getUrn();
      return new engineProto.SetRootResourceResponse();
    }),
    requirePulumiVersion: unary(deployment, () => new engineProto.RequirePulumiVersionResponse()),
  };

  const server = new grpc.Server();
  // Methods left out answer UNIMPLEMENTED, which the SDK reads as "not supported".
  server.addService(ResourceMonitorService, monitor as grpc.UntypedServiceImplementation);
  server.addService(EngineService, engine as grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return {
    address: `127.0.0.1:${port}`,
    debug,
    stop: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 1000).unref();
      }),
  };
}
