// Captures what the SDK sends the engine when a program constructs a dynamic resource:
// above all the `__provider` input, the provider module as the SDK serialized it.

import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import type { RegisterResourceRequest } from "@pulumi/pulumi/proto/resource_pb";
import { isSecret, reveal, type Props } from "./wire";

/** The resource options that reach the engine with a registration (those a dynamic resource can use). */
export interface RegisteredOptions {
  additionalSecretOutputs: string[];
  ignoreChanges: string[];
  replaceOnChanges: string[];
  deleteBeforeReplace: boolean;
  protect: boolean;
  retainOnDelete: boolean;
  customTimeouts?: { create: string; update: string; delete: string };
}

/** One resource registration, as the engine would receive it. */
export interface SerializedRegistration {
  /** The `__provider` input: the provider's source exactly as the SDK serialized it. */
  provider: string;
  /**
   * All inputs, `__provider` included, with secrets unwrapped to plain values and
   * `undefined` inputs dropped: what the host hands the provider (it accepts no secrets).
   */
  inputs: Props;
  /** Top-level inputs that were secret (a secret nested deeper does not mark its parent). */
  secretInputs: string[];
  /** The resource's type token, e.g. `pulumi-nodejs:dynamic:Resource`. */
  type: string;
  /** The URN the mocks gave it, e.g. `urn:pulumi:stack::project::<type>::<name>`. */
  urn: string;
  options: RegisteredOptions;
}

/**
 * Constructs a resource with `construct` under Pulumi's mocks and returns its registration
 * as the engine would receive it. The mocks echo inputs back as state.
 *
 * Installs mocks with `pulumi.runtime.setMocks` (project and stack as given, defaults
 * "project" and "stack"; not a preview), replacing any mocks a test installed before:
 * reinstall yours afterwards if you need them.
 *
 * Rejects if registration fails, with the SDK's error (for example "arrow function
 * captured 'this'" when the provider cannot be serialized), or if the resource has no
 * `__provider` input (it is not a dynamic resource). While it waits, any unhandled
 * promise rejection in the process counts as a failed registration.
 */
export async function serializedProviderOf(
  construct: () => pulumi.Resource,
  options: { project?: string; stack?: string } = {},
): Promise<SerializedRegistration> {
  const installMocks = (): Promise<void> =>
    pulumi.runtime.setMocks(
      {
        newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs as Props }),
        call: (args) => args.inputs as Props,
      },
      options.project ?? "project",
      options.stack ?? "stack",
      false,
    );
  await installMocks();

  const requests = new Map<string, RegisterResourceRequest>();
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called back with `this` below, then restored
  const original = MockMonitor.prototype.registerResource;
  MockMonitor.prototype.registerResource = function (req: RegisterResourceRequest, callback) {
    return original.call(this, req, (err, res: { getUrn(): string } | undefined) => {
      if (!err && res) requests.set(res.getUrn(), req);
      callback(err, res);
    });
  };
  // The SDK leaves a provider that cannot be serialized ("arrow function captured 'this'")
  // as an unhandled rejection and never settles the URN; catch it here instead.
  let onUnhandled: (reason: unknown) => void = () => undefined;
  const unhandled = new Promise<never>((_, reject) => (onUnhandled = reject));
  process.on("unhandledRejection", onUnhandled);
  let urn: string;
  try {
    urn = await Promise.race([urnOf(construct()), unhandled]);
  } catch (err) {
    // Fresh mocks forget the failed registration's pending promises, which the SDK
    // would otherwise report as leaked when the process exits.
    await installMocks();
    throw err;
  } finally {
    process.removeListener("unhandledRejection", onUnhandled);
    MockMonitor.prototype.registerResource = original;
  }

  const req = requests.get(urn);
  const raw = req?.getObject()?.toJavaScript() ?? {};
  const provider = reveal(raw["__provider"]);
  if (req === undefined || typeof provider !== "string") {
    throw new Error(`${urn} was registered without a __provider input: it is not a dynamic resource`);
  }
  const timeouts = req.getCustomtimeouts();
  return {
    provider,
    inputs: reveal(raw) as Props,
    secretInputs: Object.keys(raw).filter((key) => isSecret(raw[key])),
    type: req.getType(),
    urn,
    options: {
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      ignoreChanges: req.getIgnorechangesList(),
      replaceOnChanges: req.getReplaceonchangesList(),
      deleteBeforeReplace: req.getDeletebeforereplace(),
      protect: req.getProtect() ?? false,
      retainOnDelete: req.getRetainondelete() ?? false,
      ...(timeouts && {
        customTimeouts: { create: timeouts.getCreate(), update: timeouts.getUpdate(), delete: timeouts.getDelete() },
      }),
    },
  };
}

/** Resolves with the resource's URN once its registration completed; rejects if it failed. */
function urnOf(resource: pulumi.Resource): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    // A failed registration rejects the resource's outputs; `apply` alone would never run.
    (resource.urn as unknown as { promise(): Promise<string> }).promise().then(resolve, reject);
  });
}
