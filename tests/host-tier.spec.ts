/**
 * The host tier: `ManagedEndpointSessionCredentials` installed from its npm tarball into a
 * program directory, as a user's stack has it, serialized by the SDK exactly as a program
 * registers it, and loaded by Pulumi's REAL dynamic-provider host (the program behind the
 * `pulumi-resource-pulumi-nodejs` plugin), driven over gRPC as the engine drives it. Values cross
 * the host as `google.protobuf.Struct`s, as they do under the engine, so what mocks let through
 * (`undefined` in outputs, a `Date` becoming `{}`, a provider that cannot load from the program's
 * directory) fails here. The service is the local stand-in; credentials are fake.
 */
import assert from "node:assert/strict";
import * as InRepo from "../provider";
import { ENDPOINT_ID, EXECUTION_ROLE_ARN, VIRTUAL_CLUSTER_ARN, VIRTUAL_CLUSTER_ID } from "./fixtures/session-inputs";
import { aged } from "./support/aged-state";
import { EmrServiceStandIn, type RecordedRequest } from "./support/emr-service-stand-in";
import { OFFLINE_AWS_ENV } from "./support/local-stack";
import { type Props, type ProviderHost, ProviderHostError, UNKNOWN, startProviderHost } from "./support/provider-host";
import { serializedProviderOf, type SerializedRegistration } from "./support/serialized-provider";
import { installAsUser, type UserInstall } from "./support/user-install";

const PROJECT = "notebook-stack";
const STACK = "dev";
const RESOURCE_NAME = "notebook-session";
const TYPE = "pulumi-nodejs:dynamic/emr-containers:ManagedEndpointSessionCredentials";
const URN = `urn:pulumi:${STACK}::${PROJECT}::${TYPE}::${RESOURCE_NAME}`;
/** The stack's config, as the engine passes it to Configure. */
const STACK_CONFIG = { "aws:region": "us-west-2" };
/** A region the host's environment names, so that a region taken from config is told apart from it. */
const ENVIRONMENT_REGION = "eu-west-1";
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const TOKEN_SHAPE = /emrsess-/;
/** A 400 throttle as the service sends it: the error type carries AWS's `:http://...` suffix. */
const THROTTLED = {
  status: 400,
  errorType: "RequestThrottledException:http://internal.amazon.com/coral/com.amazonaws.emrcontainers/",
  message: "Rate exceeded",
};

describe("ManagedEndpointSessionCredentials through Pulumi's own provider host, installed from its npm tarball", () => {
  let install: UserInstall;
  let standIn: EmrServiceStandIn;
  let host: ProviderHost;
  /** The registration of the installed package's resource, as a user's program would send it. */
  let registration: SerializedRegistration;
  /** The `__provider` of the in-repo `dist/provider`, for comparison. */
  let inRepoProvider: string;

  /** The registered inputs with `overrides` (an `undefined` override removes the input). */
  function news(overrides: Props = {}): Props {
    const merged: Props = { ...registration.inputs, ...overrides };
    return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined));
  }

  /** Checks `overrides` over the registered inputs through the host, asserting that nothing failed. */
  async function checked(overrides: Props = {}, olds: Props = {}): Promise<Props> {
    const result = await host.check(URN, olds, news(overrides));
    assert.deepEqual(result.failures, []);
    return result.inputs;
  }

  /** Runs `call` and returns what it resolved with and the requests the stand-in received meanwhile. */
  async function during<T>(call: () => Promise<T>): Promise<{ result: T; requests: RecordedRequest[] }> {
    const before = standIn.requests.length;
    const result = await call();
    return { result, requests: standIn.requests.slice(before) };
  }

  /** Runs `call`, which must reject with a ProviderHostError, and returns it and the requests made meanwhile. */
  async function failure(
    call: () => Promise<unknown>,
  ): Promise<{ error: ProviderHostError; requests: RecordedRequest[] }> {
    const before = standIn.requests.length;
    try {
      await call();
    } catch (error) {
      assert.ok(error instanceof ProviderHostError, `expected a ProviderHostError, got ${String(error)}`);
      return { error, requests: standIn.requests.slice(before) };
    }
    return assert.fail("expected the call to be rejected");
  }

  function assertCarriesNoToken(text: string, what: string): void {
    for (const token of standIn.issuedTokens) assert.ok(!text.includes(token), `${what} carries an issued token`);
    assert.doesNotMatch(text, TOKEN_SHAPE, `${what} carries something token-shaped`);
  }

  before(async function () {
    this.timeout(60_000);
    install = installAsUser({ project: PROJECT, prefix: "host-tier-" });
    standIn = await EmrServiceStandIn.start();

    // The package as a user's program loads it: from node_modules, by absolute path into the install.
    const installed = require(install.packageDir) as typeof InRepo;
    assert.notEqual(installed.ManagedEndpointSessionCredentials, InRepo.ManagedEndpointSessionCredentials);
    const args = {
      virtualClusterIdentifier: VIRTUAL_CLUSTER_ID,
      endpointIdentifier: ENDPOINT_ID,
      executionRoleArn: EXECUTION_ROLE_ARN,
      endpoint: standIn.endpoint,
    };
    registration = await serializedProviderOf(
      () => new installed.ManagedEndpointSessionCredentials(RESOURCE_NAME, args),
      { project: PROJECT, stack: STACK },
    );
    inRepoProvider = (
      await serializedProviderOf(() => new InRepo.ManagedEndpointSessionCredentials(RESOURCE_NAME, args), {
        project: PROJECT,
        stack: STACK,
      })
    ).provider;
    console.log(
      `      __provider: ${registration.provider.length} bytes from the installed package, ` +
        `${inRepoProvider.length} bytes from the in-repo dist/provider`,
    );

    host = await startProviderHost({
      programDir: install.programDir,
      project: PROJECT,
      stack: STACK,
      env: { ...OFFLINE_AWS_ENV, AWS_REGION: ENVIRONMENT_REGION, AWS_DEFAULT_REGION: ENVIRONMENT_REGION },
    });
    await host.configure(STACK_CONFIG);
  });

  after(async () => {
    await host?.stop();
    await standIn?.close();
    install?.remove();
    if (host) {
      const lines = Object.entries(host.timings).map(
        ([method, ms]) => `${method.padEnd(9)} ${ms.map((t) => t.toFixed(1)).join(", ")} ms`,
      );
      console.log(`      provider host timings\n        ${lines.join("\n        ")}`);
    }
  });

  describe("installed as a user's stack installs it", () => {
    it("serializes __provider as the shim alone, byte for byte what the checkout serializes, at most 1.5 KB", () => {
      assert.equal(registration.provider, inRepoProvider);
      assert.ok(registration.provider.length <= 1536, `${registration.provider.length} bytes`);
      // The shim names the package's hosted provider; none of the package's code is in the string.
      assert.ok(registration.provider.includes(`"${install.packageName}/dist/provider/hosted-provider.js"`));
      assert.doesNotMatch(registration.provider, /must be a whole number from|@aws-sdk|SessionCredentialsProvider/);
      // Nothing points into this machine's directories: a stack elsewhere could not load it.
      assert.doesNotMatch(registration.provider, /\.test-work|node_modules|\/work\//);
    });

    it("registers the inputs a program sends, with __provider and the resource's name, and no output", () => {
      assert.equal(registration.type, TYPE);
      assert.deepEqual(registration.options.additionalSecretOutputs, ["token"]);
      assert.equal(registration.inputs.__provider, registration.provider);
      assert.equal(registration.inputs.resourceName, RESOURCE_NAME);
      for (const output of ["token", "expiresAt", "renewAt"])
        assert.equal(output in registration.inputs, false, output);
    });
  });

  it("takes the region from stack config aws:region when the input has none, over AWS_REGION", async () => {
    const { result, requests } = await during(() => checked());
    assert.equal(result.region, "us-west-2");
    assert.equal(result.__provider, registration.provider);
    assert.deepEqual(requests, []);
  });

  it("returns bad inputs as check failures, one per property, before any request", async () => {
    const { result: first, requests: firstRequests } = await during(() =>
      host.check(
        URN,
        {},
        news({
          virtualClusterIdentifier: VIRTUAL_CLUSTER_ARN,
          endpointIdentifier: `arn:aws:emr-containers:us-east-1:123456789012:/virtualclusters/${VIRTUAL_CLUSTER_ID}/endpoints/${ENDPOINT_ID}`,
          executionRoleArn: "arn:aws:iam::123456789012:user/alice",
          durationInSeconds: 0,
          logContext: "ab",
        }),
      ),
    );
    const reasons = Object.fromEntries(first.failures.map((f) => [f.property, f.reason]));
    assert.deepEqual(first.failures.map((f) => f.property).sort(), [
      "durationInSeconds",
      "endpointIdentifier",
      "executionRoleArn",
      "logContext",
    ]);
    assert.match(reasons.durationInSeconds ?? "", /from 1 to 43200, got 0/);
    assert.match(reasons.executionRoleArn ?? "", /IAM role ARN/);
    assert.match(reasons.logContext ?? "", /3 to 63 characters long, got 2/);
    assert.match(reasons.endpointIdentifier ?? "", /region us-east-1, but the virtual cluster ARN has us-west-2/);

    const { result: second, requests: secondRequests } = await during(() =>
      host.check(URN, {}, news({ durationInSeconds: 600, renewBeforeSeconds: 600, maxAttempts: 0 })),
    );
    assert.deepEqual(second.failures.map((f) => f.property).sort(), ["maxAttempts", "renewBeforeSeconds"]);
    assert.match(
      second.failures.find((f) => f.property === "renewBeforeSeconds")?.reason ?? "",
      /less than durationInSeconds \(600\)/,
    );

    assert.deepEqual([...firstRequests, ...secondRequests], []);
  });

  it("creates with one request, and outputs that survive the protobuf round trip: token, RFC 3339 times, nothing undefined", async () => {
    const inputs = await checked();
    const { result, requests } = await during(() => host.create(URN, inputs));
    const outs = result.properties;

    assert.equal(requests.length, 1);
    assert.equal(requests[0]?.operation, "GetManagedEndpointSessionCredentials");
    assert.equal(requests[0]?.status, 200);
    assert.equal(standIn.issuedTokens.length, 1);
    assert.equal(typeof outs.token, "string");
    assert.notEqual(outs.token, "");
    assert.equal(outs.token, standIn.issuedTokens[0]);
    assert.match(result.id, /^[0-9a-f]{20}$/);

    for (const name of ["expiresAt", "renewAt"]) {
      assert.equal(typeof outs[name], "string", `${name} is ${JSON.stringify(outs[name])}`);
      assert.match(outs[name] as string, RFC3339, name);
    }
    const expiresIn = Date.parse(outs.expiresAt as string) - Date.now();
    assert.ok(expiresIn > 890_000 && expiresIn <= 900_000, `expires in ${expiresIn} ms`);
    assert.equal(Date.parse(outs.expiresAt as string) - Date.parse(outs.renewAt as string), 300_000);
    assert.equal(outs.serviceClockOffsetMs, 0);
    // Every property arrived as a value: no `{}` where a Date was, no null where undefined was.
    for (const [name, value] of Object.entries(outs)) {
      assert.ok(value !== null && value !== undefined, `${name} is ${String(value)}`);
      if (typeof value === "object") assert.notDeepEqual(value, {}, `${name} is {}`);
    }
    assert.deepEqual(
      Object.keys(outs).sort(),
      [...Object.keys(inputs), "token", "expiresAt", "renewAt", "serviceClockOffsetMs"].sort(),
    );
    assert.equal(outs.__provider, registration.provider);
    assert.equal(outs.region, "us-west-2");
  });

  it("lets a preview's unknown inputs through check, without a request", async () => {
    const { result, requests } = await during(() =>
      host.check(
        URN,
        {},
        news({ executionRoleArn: UNKNOWN, endpointIdentifier: UNKNOWN, triggers: { image: UNKNOWN } }),
      ),
    );
    assert.deepEqual(result.failures, []);
    assert.equal(result.inputs.executionRoleArn, UNKNOWN);
    assert.equal(result.inputs.endpointIdentifier, UNKNOWN);
    assert.deepEqual(requests, []);
  });

  describe("with a token in the state", () => {
    let inputs: Props;
    let id: string;
    let state: Props;

    before(async () => {
      inputs = await checked();
      const created = await host.create(URN, inputs);
      id = created.id;
      state = created.properties;
    });

    it("diffs a fresh state as no change, without a request", async () => {
      const { result, requests } = await during(() => host.diff(id, URN, state, inputs));
      assert.deepEqual(result, { changes: "none", replaces: [], deleteBeforeReplace: false });
      assert.deepEqual(requests, []);
    });

    it("replaces a state aged past renewAt, naming renewAt, create before delete; the new token differs", async () => {
      const old = aged(state, 601);
      const { result, requests } = await during(() => host.diff(id, URN, old, inputs));
      assert.deepEqual(result, { changes: "some", replaces: ["renewAt"], deleteBeforeReplace: false });
      assert.deepEqual(requests, []);

      // The engine then creates the replacement and deletes the old one.
      const { result: replacement, requests: createRequests } = await during(() => host.create(URN, inputs));
      assert.equal(createRequests.length, 1);
      assert.notEqual(replacement.properties.token, old.token);
      assert.equal(replacement.properties.token, standIn.issuedTokens.at(-1));
      assert.deepEqual(await host.diff(replacement.id, URN, replacement.properties, inputs), {
        changes: "none",
        replaces: [],
        deleteBeforeReplace: false,
      });
    });

    it("replaces on a change of a token-shaping input, naming it", async () => {
      const longer = await checked({ durationInSeconds: 1800 }, inputs);
      assert.deepEqual(await host.diff(id, URN, state, longer), {
        changes: "some",
        replaces: ["durationInSeconds"],
        deleteBeforeReplace: false,
      });
      const triggered = await checked({ triggers: { image: "v2" } }, inputs);
      assert.deepEqual(await host.diff(id, URN, state, triggered), {
        changes: "some",
        replaces: ["triggers"],
        deleteBeforeReplace: false,
      });
    });

    it("updates in place on a settings change: same token, no request, renewAt recomputed", async () => {
      const retries = await checked({ maxAttempts: 5 }, inputs);
      assert.deepEqual(await host.diff(id, URN, state, retries), {
        changes: "some",
        replaces: [],
        deleteBeforeReplace: false,
      });

      const later = await checked({ renewBeforeSeconds: 120 }, inputs);
      const { result: diff, requests: diffRequests } = await during(() => host.diff(id, URN, state, later));
      assert.deepEqual(diff, { changes: "some", replaces: [], deleteBeforeReplace: false });

      const { result, requests } = await during(() => host.update(id, URN, state, later));
      const outs = result.properties;
      assert.deepEqual([...diffRequests, ...requests], []);
      assert.equal(outs.token, state.token);
      assert.equal(outs.expiresAt, state.expiresAt);
      assert.equal(outs.renewBeforeSeconds, 120);
      assert.equal(Date.parse(outs.expiresAt as string) - Date.parse(outs.renewAt as string), 120_000);
      assert.match(outs.renewAt as string, RFC3339);
      assert.equal(outs.__provider, registration.provider);
      assert.deepEqual(await host.diff(id, URN, outs, later), {
        changes: "none",
        replaces: [],
        deleteBeforeReplace: false,
      });
    });

    it("asks to replace when a preview leaves a token-shaping input unknown, without a request", async () => {
      const preview = await checked({ executionRoleArn: UNKNOWN, endpointIdentifier: UNKNOWN }, inputs);
      const { result, requests } = await during(() => host.diff(id, URN, state, preview));
      assert.equal(result.changes, "some");
      assert.deepEqual([...result.replaces].sort(), ["endpointIdentifier", "executionRoleArn"]);
      assert.equal(result.deleteBeforeReplace, false);
      assert.deepEqual(requests, []);
    });

    it("keeps the state on read (refresh), and the next diff still renews an aged token", async () => {
      const old = aged(state, 700);
      const { result, requests } = await during(() => host.read(id, URN, old));
      assert.deepEqual(result, { id, properties: old });
      assert.equal(result.properties.token, state.token);
      assert.deepEqual(await host.diff(result.id, URN, result.properties, inputs), {
        changes: "some",
        replaces: ["renewAt"],
        deleteBeforeReplace: false,
      });
      assert.deepEqual(requests, []);
    });

    it("deletes without a request: a token cannot be revoked", async () => {
      const { requests } = await during(() => host.delete(id, URN, state));
      assert.deepEqual(requests, []);
    });
  });

  describe("when the service fails", () => {
    /** Asserts that a failed create names the resource, endpoint, cluster, code, request id and remedy, and no token. */
    function assertExplains(error: ProviderHostError, requests: RecordedRequest[], code: string, remedy: RegExp): void {
      const message = error.message;
      assert.match(
        message,
        new RegExp(
          `^ManagedEndpointSessionCredentials "${RESOURCE_NAME}": GetManagedEndpointSessionCredentials failed`,
        ),
      );
      assert.ok(message.includes(`endpoint ${ENDPOINT_ID} in virtual cluster ${VIRTUAL_CLUSTER_ID}`), message);
      assert.ok(message.includes(` at ${standIn.endpoint} `), message);
      assert.ok(message.includes(code), message);
      assert.ok(message.includes(`request id ${requests.at(-1)?.requestId}`), message);
      assert.match(message, remedy);
      assert.equal(error.initFailure, undefined, "a failed create must leave nothing in the stack");
      assertCarriesNoToken(message, "the error");
    }

    it("explains a missing endpoint (ResourceNotFoundException), with the region from config", async () => {
      const inputs = await checked();
      standIn.failNext({ status: 400, errorType: "ResourceNotFoundException", message: "Managed endpoint not found" });
      const { error, requests } = await failure(() => host.create(URN, inputs));
      assert.equal(requests.length, 1);
      assertExplains(
        error,
        requests,
        "ResourceNotFoundException",
        /Check that the endpoint exists in virtual cluster \S+ in us-west-2/,
      );
    });

    it("explains a refusal (AccessDeniedException), naming the permission to grant", async () => {
      const inputs = await checked();
      standIn.failNext({
        status: 403,
        errorType: "AccessDeniedException",
        message: "User is not authorized to perform this action",
      });
      const { error, requests } = await failure(() => host.create(URN, inputs));
      assert.equal(requests.length, 1);
      assertExplains(
        error,
        requests,
        "AccessDeniedException",
        /Allow the caller `emr-containers:GetManagedEndpointSessionCredentials`/,
      );
    });

    it("explains throttling on every attempt, after maxAttempts attempts", async () => {
      const inputs = await checked({ maxAttempts: 2 });
      standIn.failNext(THROTTLED, THROTTLED);
      const { error, requests } = await failure(() => host.create(URN, inputs));
      assert.equal(requests.length, 2);
      assert.equal(
        requests[0]?.body?.clientToken,
        requests[1]?.body?.clientToken,
        "a retry must reuse the clientToken",
      );
      assertExplains(
        error,
        requests,
        "RequestThrottledException",
        /still throttling \(rate exceeded\) after 2 attempts over .*, as many as `maxAttempts` \(2\) allows.*remove `maxAttempts`/,
      );
    });

    it("never lets a token into the host's output", () => {
      assert.ok(standIn.issuedTokens.length >= 2, "tokens were minted through this host");
      assertCarriesNoToken(host.output(), "the host's output");
    });
  });
});
