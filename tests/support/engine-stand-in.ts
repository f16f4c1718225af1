// A stand-in for the Pulumi engine's own gRPC service (EngineService), which provider plugins call
// back: it records what they log, as the engine would show it to the user.
import * as grpc from "@grpc/grpc-js";
import { EngineService } from "@pulumi/pulumi/proto/engine_grpc_pb";
import type { LogRequest } from "@pulumi/pulumi/proto/engine_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";

/** One message a plugin logged. */
export interface LoggedMessage {
  /** The severity's name, such as `INFO` or `WARNING`. */
  severity: string;
  /** The resource it was logged under; empty for none. */
  urn: string;
  message: string;
}

/** A running engine stand-in. */
export interface EngineStandIn {
  /** Its address, `127.0.0.1:<port>`, to hand a plugin as the engine's. */
  readonly address: string;
  /** Every message logged so far, in order. */
  readonly logged: LoggedMessage[];
  /** Stops listening. */
  close(): Promise<void>;
}

const SEVERITY = ["DEBUG", "INFO", "WARNING", "ERROR"];

/** Starts an engine stand-in on a free port of 127.0.0.1, answering `Log` (other calls: UNIMPLEMENTED). */
export async function startEngineStandIn(): Promise<EngineStandIn> {
  const logged: LoggedMessage[] = [];
  const server = new grpc.Server();
  server.addService(EngineService, {
    log(call: grpc.ServerUnaryCall<LogRequest, Empty>, callback: grpc.sendUnaryData<Empty>) {
      const request = call.request;
      logged.push({
        severity: SEVERITY[request.getSeverity()] ?? String(request.getSeverity()),
        urn: request.getUrn(),
        message: request.getMessage(),
      });
      callback(null, new Empty());
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    address: `127.0.0.1:${port}`,
    logged,
    close: () => new Promise((resolve) => server.tryShutdown(() => resolve())),
  };
}
