import type * as pulumi from "@pulumi/pulumi";

// Neither constant is exported: an exported one would be read through `exports`, and the closure
// serializer would then copy this whole module into `__provider`.
const HOSTED_PROVIDER_MODULE = "pulumi-emr-session-credentials/dist/provider/hosted-provider.js";
const DELEGATED_METHODS = ["check", "diff", "create", "read", "update", "delete"] as const;

type DelegatedMethod = (typeof DELEGATED_METHODS)[number];
/** `hostedProvider` as the shim calls it. */
type HostedProvider = Record<DelegatedMethod | "configure", (...args: unknown[]) => Promise<unknown>>;

/**
 * The provider object every `ManagedEndpointSessionCredentials` registers: one object, so Pulumi
 * serializes it once per program, into a `__provider` of about 1.2 KB that holds none of the
 * package's code in any install layout. Its only method, `configure`, which the host calls once
 * when it loads `__provider` and before any other method, puts `check`, `diff`, `create`, `read`,
 * `update` and `delete` on the shim, each calling `hostedProvider`, which it requires by package
 * name from the program's directory (the package's own name resolves there too, inside a
 * checkout of this repository). Resources therefore run the package version installed beside
 * the program; where none is, `configure` and every method fail with Node's "Cannot find
 * module". (Typed as a whole ResourceProvider for `pulumi.dynamic.Resource`, which `configure`
 * makes it.)
 */
export const providerShim = {
  async configure(this: Partial<HostedProvider>, req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    let loaded: HostedProvider | undefined;
    const hosted = (): HostedProvider => {
      if (!loaded) {
        const nodeModule = require("node:module") as typeof import("node:module");
        const requireFromProgram = nodeModule.createRequire(`${process.cwd()}/`);
        loaded = (requireFromProgram(HOSTED_PROVIDER_MODULE) as { hostedProvider: HostedProvider }).hostedProvider;
      }
      return loaded;
    };
    for (const method of DELEGATED_METHODS) this[method] = (...args) => hosted()[method](...args);
    await hosted().configure(req);
  },
} satisfies Pick<pulumi.dynamic.ResourceProvider, "configure"> as pulumi.dynamic.ResourceProvider;
