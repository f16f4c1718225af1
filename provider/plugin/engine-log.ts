import { createRequire } from "node:module";
import type * as Grpc from "@grpc/grpc-js";
import type * as EngineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import type * as EngineProto from "@pulumi/pulumi/proto/engine_pb";

/** Says a line to the user about a resource; resolves once it is said. */
export type SayToUser = (urn: string, message: string) => Promise<void>;

/**
 * A `SayToUser` that shows each message as an info diagnostic of resource `urn` in the preview or
 * update, through the `Log` call of the engine at `engineAddress` (a provider plugin's own
 * standard error is hidden by the engine). Messages go in order, each once, and a message the
 * engine does not take goes to standard error; it resolves once the engine has answered. Without
 * an engine address (the plugin run by hand), they go to standard error.
 */
export function engineLog(engineAddress: string | undefined): SayToUser {
  if (engineAddress === undefined) return async (_urn, message) => console.error(message);
  // The engine's client and messages from the @pulumi/pulumi that serves the plugin, and the
  // gRPC library that very copy uses, so that the client and its credentials agree.
  const fromSdk = createRequire(require.resolve("@pulumi/pulumi"));
  const grpc = fromSdk("@grpc/grpc-js") as typeof Grpc;
  const { EngineClient } = require("@pulumi/pulumi/proto/engine_grpc_pb") as typeof EngineGrpc;
  const { LogRequest, LogSeverity } = require("@pulumi/pulumi/proto/engine_pb") as typeof EngineProto;
  const engine = new EngineClient(engineAddress, grpc.credentials.createInsecure());
  let previous = Promise.resolve();
  return (urn, message) => {
    const request = new LogRequest().setSeverity(LogSeverity.INFO).setUrn(urn).setMessage(message);
    previous = previous.then(
      () =>
        new Promise((resolve) =>
          engine.log(request, (error) => {
            if (error) console.error(message);
            resolve();
          }),
        ),
    );
    return previous;
  };
}
