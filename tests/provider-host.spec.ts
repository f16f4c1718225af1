// Proves the engine stand-in against the SDK's real dynamic-provider host, using a
// trivial provider (tests/fixtures/echo-provider.ts), so that failures in provider
// tests can be trusted to come from the provider and not from the harness.

import * as assert from "node:assert/strict";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Echo, echoErrors } from "./fixtures/echo-provider";
import { ProviderHost, ProviderHostError, UNKNOWN, startProviderHost } from "./support/provider-host";
import { SerializedRegistration, serializedProviderOf } from "./support/serialized-provider";

/** The repository root: where node_modules is, as a program directory would have it. */
const programDir = path.resolve(__dirname, "..", "..");
const project = "echo-project";
const urn = `urn:pulumi:dev::${project}::pulumi-nodejs:dynamic/echo:Echo::greeter`;

describe("provider host harness", () => {
  let registration: SerializedRegistration;
  let host: ProviderHost;
  /** Inputs as a program would send them, with the SDK-serialized provider. */
  let inputs: (props: Record<string, unknown>) => Record<string, unknown>;

  before(async () => {
    registration = await serializedProviderOf(
      () =>
        new Echo(
          "greeter",
          { message: pulumi.secret("hello") },
          { additionalSecretOutputs: ["greeting"], deleteBeforeReplace: true },
        ),
      { project },
    );
    inputs = (props) => ({ ...props, __provider: registration.provider });
    host = await startProviderHost({ programDir, project, stack: "dev" });
    await host.configure({ "aws:region": "us-west-2", [`${project}:greeting`]: "hi there" });
  });

  after(async () => {
    await host?.stop();
    if (host) reportTimings(host.timings);
  });

  describe("serializedProviderOf", () => {
    it("captures the __provider module the SDK serialized", () => {
      assert.match(registration.provider, /exports\.handler = /);
      assert.equal(registration.inputs["__provider"], registration.provider);
    });

    it("captures inputs as the host receives them: secrets plain, output placeholders dropped", () => {
      assert.deepEqual(Object.keys(registration.inputs).sort(), ["__provider", "message"]);
      assert.equal(registration.inputs["message"], "hello");
      assert.deepEqual(registration.secretInputs, ["message"]);
    });

    it("rejects with the SDK's error when the provider cannot be serialized", async () => {
      await assert.rejects(
        serializedProviderOf(() => new Unserializable("broken")),
        /arrow function captured 'this'/,
      );
    });

    it("captures the type, URN and resource options", () => {
      assert.equal(registration.type, "pulumi-nodejs:dynamic/echo:Echo");
      assert.equal(registration.urn, `urn:pulumi:stack::${project}::pulumi-nodejs:dynamic/echo:Echo::greeter`);
      assert.deepEqual(registration.options.additionalSecretOutputs, ["greeting"]);
      assert.equal(registration.options.deleteBeforeReplace, true);
    });
  });

  it("returns checked inputs with __provider kept", async () => {
    const result = await host.check(urn, {}, inputs({ message: "hello" }));
    assert.deepEqual(result, { inputs: inputs({ message: "hello" }), failures: [] });
  });

  it("returns check failures as property and reason", async () => {
    const result = await host.check(urn, {}, inputs({ message: "" }));
    assert.deepEqual(result.failures, [{ property: "message", reason: echoErrors.check }]);
  });

  it("passes the engine's unknown sentinel through as a plain string", async () => {
    const result = await host.check(urn, {}, inputs({ message: UNKNOWN }));
    assert.equal(result.inputs["message"], UNKNOWN);
  });

  it("creates with the configured region and project-scoped config", async () => {
    const result = await host.create(urn, inputs({ message: "hello" }));
    assert.deepEqual(result, {
      id: "echo-hello",
      properties: inputs({ message: "hello", region: "us-west-2", greeting: "hi there", reads: 0 }),
    });
  });

  it("reports no change, an update, or a replacement from diff", async () => {
    const olds = inputs({ message: "hello", kind: "a", region: "us-west-2" });
    assert.deepEqual(await host.diff("echo-hello", urn, olds, inputs({ message: "hello", kind: "a" })), {
      changes: "none",
      replaces: [],
      deleteBeforeReplace: false,
    });
    assert.deepEqual(await host.diff("echo-hello", urn, olds, inputs({ message: "bye", kind: "a" })), {
      changes: "some",
      replaces: [],
      deleteBeforeReplace: false,
    });
    assert.deepEqual(await host.diff("echo-hello", urn, olds, inputs({ message: "hello", kind: "b" })), {
      changes: "some",
      replaces: ["kind"],
      deleteBeforeReplace: true,
    });
  });

  it("reads back refreshed state and the inputs the provider returned", async () => {
    const state = inputs({ message: "hello", region: "us-west-2", greeting: "hi there", reads: 0 });
    const result = await host.read("echo-hello", urn, state);
    assert.deepEqual(result, {
      id: "echo-hello",
      properties: { ...state, reads: 1 },
      inputs: inputs({ message: "hello" }),
    });
  });

  it("updates, merging new inputs over the recorded state", async () => {
    const olds = inputs({ message: "hello", region: "us-west-2", greeting: "hi there", reads: 0 });
    const result = await host.update("echo-hello", urn, olds, inputs({ message: "bye" }));
    assert.deepEqual(result.properties, { ...olds, message: "bye" });
  });

  it("deletes, and the provider's console output appears in the host output", async () => {
    await host.delete("echo-hello", urn, inputs({ message: "hello" }));
    assert.match(host.output(), /echo: deleted echo-hello/);
  });

  it("rejects a failed create with exactly the provider's message", async () => {
    await assert.rejects(host.create(urn, inputs({ message: "fail" })), (err: unknown) => {
      assert.ok(err instanceof ProviderHostError);
      assert.equal(err.message, echoErrors.create);
      assert.equal(err.initFailure, undefined);
      return true;
    });
  });

  it("reports a create that failed after creating as an init failure with its id", async () => {
    await assert.rejects(host.create(urn, inputs({ message: "fail-after-create" })), (err: unknown) => {
      assert.ok(err instanceof ProviderHostError);
      assert.equal(err.message, "echo: created but not ready");
      assert.equal(err.initFailure?.id, "echo-half");
      assert.deepEqual(err.initFailure?.reasons, ["not ready"]);
      return true;
    });
  });

  it("leaves no process behind after stop", async () => {
    const other = await startProviderHost({ programDir });
    await other.stop();
    await other.stop();
    assert.throws(() => process.kill(other.pid, 0), { code: "ESRCH" });
    await assert.rejects(other.check(urn, {}, inputs({ message: "hello" })));
  });

  it("fails to start, naming the directory, when the program directory does not exist", async () => {
    await assert.rejects(startProviderHost({ programDir: "/no/such/program" }), /did not start in \/no\/such\/program/);
  });

  it("rejects with the host's message when __provider cannot load from the program directory", async () => {
    const broken = await startProviderHost({ programDir: "/" });
    await broken.configure({});
    try {
      // The host resolves __provider's requires from its working directory.
      const needsModule = "exports.handler = () => require('@pulumi/pulumi') && { create: async () => ({ id: 'x' }) };";
      await assert.rejects(broken.create(urn, { __provider: needsModule }), /Cannot find module '@pulumi\/pulumi'/);
    } finally {
      await broken.stop();
    }
  });
});

/** A dynamic resource whose provider the SDK refuses to serialize. */
class Unserializable extends pulumi.dynamic.Resource {
  constructor(name: string) {
    const owner = {
      id: "unserializable",
      provider(): pulumi.dynamic.ResourceProvider {
        return { create: async () => ({ id: this.id }) };
      },
    };
    super(owner.provider(), name, {});
  }
}

function reportTimings(timings: Record<string, number[]>): void {
  const lines = Object.entries(timings).map(
    ([method, ms]) => `${method}: ${ms.map((t) => t.toFixed(1)).join(", ")} ms`,
  );
  console.log(`      provider host timings\n        ${lines.join("\n        ")}`);
}
