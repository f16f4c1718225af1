import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import type * as pulumi from "@pulumi/pulumi";
import { hostedProvider } from "../../../provider/dynamic/hosted-provider";
import { SessionCredentialsProvider } from "../../../provider/lifecycle/session-credentials-provider";
import { providerShim } from "../../../provider/dynamic/provider-shim";
import { validInputs } from "../../fixtures/session-inputs";

/** A configure request carrying `config` as the host's Config does. */
function configureRequest(config: Record<string, string>): pulumi.dynamic.ConfigureRequest {
  return { config: { get: (key: string) => config[key] } } as unknown as pulumi.dynamic.ConfigureRequest;
}

/** A fresh copy of the shim, as the host gets one from `__provider`, so the module's object stays untouched. */
function loadedShim(): pulumi.dynamic.ResourceProvider {
  return { ...providerShim };
}

describe("providerShim", () => {
  it("has configure alone before the host configures it", () => {
    assert.deepEqual(Object.keys(providerShim), ["configure"]);
  });

  it("takes over every method of the hosted SessionCredentialsProvider, configured, once configured", async () => {
    const shim = loadedShim();
    await shim.configure?.(configureRequest({ "aws:region": "eu-central-1" }));

    const methods = Object.getOwnPropertyNames(SessionCredentialsProvider.prototype).filter(
      (name) => name !== "constructor",
    );
    assert.deepEqual(Object.keys(shim).sort(), [...methods].sort());
    const { region: _region, ...withoutRegion } = validInputs();
    const checked = await shim.check?.({}, withoutRegion);
    assert.equal((checked?.inputs as Record<string, unknown> | undefined)?.region, "eu-central-1");
    assert.deepEqual(checked, await hostedProvider.check({}, withoutRegion));
  });

  it("fails configure and then every method with Node's 'Cannot find module' where the package is not installed beside the program", async () => {
    const programDir = process.cwd();
    const notFound = /Cannot find module 'pulumi-emr-session-credentials\/dist\/provider\/hosted-provider\.js'/;
    const shim = loadedShim();
    process.chdir(tmpdir());
    try {
      await assert.rejects(async () => shim.configure?.(configureRequest({})), notFound);
      // Not the host's defaults for a provider without them (inputs unchecked, update keeping nothing).
      await assert.rejects(async () => shim.check?.({}, validInputs()), notFound);
      await assert.rejects(async () => shim.update?.("id", {}, validInputs()), notFound);
    } finally {
      process.chdir(programDir);
    }
  });
});
