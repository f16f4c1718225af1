import type * as pulumi from "@pulumi/pulumi";

// Neither constant is exported: an exported one would be read through `exports`, and the closure
// serializer would then copy this whole module into `__provider`.
const HOSTED_PROVIDER_MODULE = "pulumi-emr-session-credentials/dist/provider/hosted-provider.js";
const DELEGATED_METHODS = ["check", "diff", "create", "read", "update", "delete"] as const;

type HostedProviderModule = typeof import("./hosted-provider");
type DelegatedMethods = Pick<Required<pulumi.dynamic.ResourceProvider>, (typeof DELEGATED_METHODS)[number]>;

/**
 * The provider object every `ManagedEndpointSessionCredentials` registers: one object, so Pulumi
 * serializes it once per program, into a `__provider` of about 1 KB that holds none of the
 * package's code in any install layout. Its only method, `configure`, which the host calls once
 * when it loads `__provider` and before any other method, requires `hostedProvider` by package
 * name from the program's directory (the package's own name resolves there too, inside a
 * checkout of this repository) and takes over its `check`, `diff`, `create`, `read`, `update`
 * and `delete`. Resources therefore run the package version installed beside the program, and
 * fail with Node's "Cannot find module" when it is not installed there. (Typed as a whole
 * ResourceProvider for `pulumi.dynamic.Resource`, which the host makes it in `configure`.)
 */
export const providerShim = {
  async configure(this: DelegatedMethods, req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    const requireFromProgram = (require("node:module") as typeof import("node:module")).createRequire(
      `${process.cwd()}/`,
    );
    const { hostedProvider } = requireFromProgram(HOSTED_PROVIDER_MODULE) as HostedProviderModule;
    for (const method of DELEGATED_METHODS) {
      Object.assign(this, { [method]: hostedProvider[method].bind(hostedProvider) });
    }
    return hostedProvider.configure(req);
  },
} satisfies Pick<pulumi.dynamic.ResourceProvider, "configure"> as pulumi.dynamic.ResourceProvider;
