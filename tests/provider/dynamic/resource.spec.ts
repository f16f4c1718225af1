import assert from "node:assert/strict";
import type * as SerializeClosure from "@pulumi/pulumi/runtime/closure/serializeClosure";
import { ManagedEndpointSessionCredentials } from "../../../provider";
import { serializedProviderOf, type SerializedRegistration } from "../../support/serialized-provider";
import { validInputs } from "../../fixtures/session-inputs";

/** The most `__provider` may take in each resource's state. */
const MAX_PROVIDER_BYTES = 1536;

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

  it("serializes the provider as the shim alone: no client object, none of the package's code, under 1.5 KB", () => {
    assert.match(registration.provider, /exports\.handler = /);
    assert.ok(registration.provider.includes('"pulumi-emr-session-credentials/dist/provider/hosted-provider.js"'));
    assert.doesNotMatch(registration.provider, /@aws-sdk|must be a whole number from|SessionCredentialsProvider/);
    assert.ok(registration.provider.length <= MAX_PROVIDER_BYTES, `${registration.provider.length} bytes`);
  });

  it("shares one provider object between resources, so Pulumi serializes it at most once per program", async () => {
    const closure = require("@pulumi/pulumi/runtime/closure/serializeClosure") as typeof SerializeClosure;
    const serializeFunction = closure.serializeFunction;
    let serializations = 0;
    closure.serializeFunction = (...args) => {
      serializations += 1;
      return serializeFunction(...args);
    };
    try {
      const registrations = await Promise.all(
        ["first", "second", "third"].map((name) =>
          serializedProviderOf(() => new ManagedEndpointSessionCredentials(name, validInputs() as never)),
        ),
      );
      for (const { provider } of registrations) assert.equal(provider, registration.provider);
    } finally {
      closure.serializeFunction = serializeFunction;
    }
    assert.ok(serializations <= 1, `serialized ${serializations} times for 3 resources`);
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
