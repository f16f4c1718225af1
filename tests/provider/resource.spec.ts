import assert from "node:assert/strict";
import { ManagedEndpointSessionCredentials } from "../../provider";
import { serializedProviderOf, type SerializedRegistration } from "../support/serialized-provider";
import { validInputs } from "../fixtures/session-inputs";

describe("ManagedEndpointSessionCredentials registration", () => {
  let registration: SerializedRegistration;

  before(async () => {
    registration = await serializedProviderOf(
      () =>
        new ManagedEndpointSessionCredentials("notebook-creds", validInputs() as never, {
          additionalSecretOutputs: ["expiresAt"],
        }),
    );
    console.log(`      __provider: ${registration.provider.length} bytes`);
  });

  it("serializes the provider, with no AWS client object captured", () => {
    assert.match(registration.provider, /exports\.handler = /);
    assert.match(registration.provider, /require\("@aws-sdk\/client-emr-containers"\)/);
    assert.ok(registration.provider.length < 64 * 1024, `${registration.provider.length} bytes`);
  });

  it("declares the token a secret output, beside the caller's own additionalSecretOutputs", () => {
    assert.deepEqual(registration.options.additionalSecretOutputs.sort(), ["expiresAt", "token"]);
  });

  it("has a readable type token in the emr-containers module", () => {
    assert.equal(registration.type, "pulumi-nodejs:dynamic/emr-containers:ManagedEndpointSessionCredentials");
  });

  it("passes the resource's name for error messages, and no output as an input", () => {
    assert.equal(registration.inputs.resourceName, "notebook-creds");
    for (const output of ["token", "expiresAt", "renewAt"]) assert.equal(output in registration.inputs, false, output);
  });

  it("exposes the outputs on the resource object", () => {
    const resource = new ManagedEndpointSessionCredentials("shape", validInputs() as never);
    for (const output of ["token", "expiresAt", "renewAt", "id"] as const) assert.ok(resource[output], output);
  });
});
