import assert from "node:assert/strict";
import {
  DescribeManagedEndpointCommand,
  EMRContainersClient,
  EMRContainersServiceException,
  GetManagedEndpointSessionCredentialsCommand,
  InternalServerException,
  RequestThrottledException,
  ResourceNotFoundException,
  ValidationException,
} from "@aws-sdk/client-emr-containers";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import { checkInputs } from "../../../provider/lifecycle/check";
import { SessionCredentialsProvider } from "../../../provider/lifecycle/session-credentials-provider";
import { NOW, RESPONSE, TOKEN } from "../../fixtures/mint-response";
import { ENDPOINT_ARN, ENDPOINT_ID, VIRTUAL_CLUSTER_ID, validInputs } from "../../fixtures/session-inputs";

const metadata = { httpStatusCode: 400, requestId: "req-1234", attempts: 3 };

function checked(overrides: Record<string, unknown> = {}) {
  return checkInputs(validInputs({ resourceName: "notebook-creds", ...overrides }), { env: {} }).inputs;
}

/** A state as `create` stores it for RESPONSE, minted at NOW. */
function stored(overrides: Record<string, unknown> = {}) {
  return {
    ...checked(overrides),
    token: TOKEN,
    expiresAt: "2026-11-23T12:15:00.000Z",
    renewAt: "2026-11-23T12:10:00.000Z",
    serviceClockOffsetMs: 0,
  };
}

describe("SessionCredentialsProvider", () => {
  // Mocked in `before`, not at load time, so that other spec files keep the real client.
  let emr: AwsClientStub<EMRContainersClient>;
  let now = NOW;
  const reported: string[] = [];
  const provider = new SessionCredentialsProvider(
    () => now,
    (line) => reported.push(line),
  );

  before(() => {
    emr = mockClient(EMRContainersClient);
  });
  beforeEach(() => {
    emr.reset();
    now = NOW;
    reported.length = 0;
  });
  after(() => emr.restore());

  describe("diff", () => {
    it("reports why it replaces, once, and returns only what the engine reads", async () => {
      const kept = await provider.diff("cred0001", stored(), checked());
      assert.deepEqual(reported, [], "nothing to report while the token is kept");
      assert.equal(kept.changes, false);

      now = Date.parse("2026-11-23T12:10:00Z");
      const renewed = await provider.diff("cred0001", stored(), checked());
      assert.deepEqual(renewed, { changes: true, replaces: ["renewAt"], deleteBeforeReplace: false });
      assert.deepEqual(reported, [
        'ManagedEndpointSessionCredentials "notebook-creds": replacing to mint a new token: renewAt 2026-11-23T12:10:00.000Z has passed',
      ]);
    });
  });

  describe("diff with a renewal horizon", () => {
    const variable = "EMR_SESSION_CREDENTIALS_RENEW_WITHIN";
    afterEach(() => delete process.env[variable]);

    it("applies the horizon given, and by default the one in the environment at each diff", async () => {
      now = Date.parse("2026-11-23T11:55:00Z");
      const given = new SessionCredentialsProvider(
        () => now,
        () => undefined,
        "aws",
        () => 15 * 60,
      );
      assert.deepEqual((await given.diff("cred0001", stored(), checked())).replaces, ["renewAt"]);

      const fromEnv = new SessionCredentialsProvider(
        () => now,
        () => undefined,
      );
      assert.equal((await fromEnv.diff("cred0001", stored(), checked())).changes, false);
      process.env[variable] = "900";
      assert.deepEqual((await fromEnv.diff("cred0001", stored(), checked())).replaces, ["renewAt"]);
      process.env[variable] = "899";
      assert.equal((await fromEnv.diff("cred0001", stored(), checked())).changes, false);
    });

    it("fails the diff naming the variable when it holds no whole number of seconds", async () => {
      for (const value of ["20m", "-5", "1.5", "soon"]) {
        process.env[variable] = value;
        await assert.rejects(
          provider.diff("cred0001", stored(), checked()),
          new RegExp(`^Error: ${variable} is "${value.replace(".", "\\.")}": it must be a whole number of seconds`),
        );
      }
    });
  });

  describe("create", () => {
    it("makes exactly one call with the inputs and returns the token, its expiry and renewAt", async () => {
      emr.on(GetManagedEndpointSessionCredentialsCommand).resolves(RESPONSE);
      const { id, outs } = await provider.create(checked({ logContext: "notebooks" }));
      assert.equal(emr.calls().length, 1);
      const sent = emr.commandCalls(GetManagedEndpointSessionCredentialsCommand)[0]!.args[0].input;
      assert.equal(sent.virtualClusterIdentifier, VIRTUAL_CLUSTER_ID);
      assert.equal(sent.endpointIdentifier, ENDPOINT_ID);
      assert.equal(sent.credentialType, "TOKEN");
      assert.equal(sent.durationInSeconds, 900);
      assert.equal(sent.logContext, "notebooks");
      assert.match(sent.clientToken ?? "", /^[0-9a-f-]{36}$/);
      assert.equal(id, "cred0001");
      assert.equal(outs.token, TOKEN);
      assert.equal(outs.expiresAt, "2026-11-23T12:15:00.000Z");
      assert.equal(outs.renewAt, "2026-11-23T12:10:00.000Z");
    });

    it("returns only values the engine can encode: no undefined, no Date", async () => {
      emr.on(GetManagedEndpointSessionCredentialsCommand).resolves(RESPONSE);
      const { outs } = await provider.create(checked());
      for (const [name, value] of Object.entries(outs)) {
        assert.ok(value !== undefined && !(value instanceof Date), name);
      }
    });

    it("sends a pinned clientToken as given", async () => {
      emr.on(GetManagedEndpointSessionCredentialsCommand).resolves(RESPONSE);
      await provider.create(checked({ clientToken: "deploy-2026-11-23" }));
      assert.equal(
        emr.commandCalls(GetManagedEndpointSessionCredentialsCommand)[0]!.args[0].input.clientToken,
        "deploy-2026-11-23",
      );
    });

    it("refuses an expiring token handed back for a pinned clientToken, and tells how to get a new one", async () => {
      now = Date.parse("2026-11-23T12:11:00Z");
      emr
        .on(GetManagedEndpointSessionCredentialsCommand)
        .resolves({ ...RESPONSE, $metadata: { requestId: "req-replay" } });
      await assert.rejects(provider.create(checked({ clientToken: "pinned" })), (e: Error) => {
        assert.match(
          e.message,
          /"notebook-creds".*for clientToken "pinned".*2026-11-23T12:15:00.000Z.*renewal window.*req-replay.*change `clientToken`/s,
        );
        assert.ok(!e.message.includes(TOKEN));
        return true;
      });
    });

    it("refuses a replayed pinned token that is due, however short its life", async () => {
      // Asked for a minute, renewed in its last 20 s: 15 s remain, so it was minted 45 s ago.
      emr.on(GetManagedEndpointSessionCredentialsCommand).resolves({
        ...RESPONSE,
        expiresAt: new Date(NOW + 15_000),
        $metadata: { requestId: "req-short-replay" },
      });
      await assert.rejects(
        provider.create(checked({ clientToken: "pinned", durationInSeconds: 60 })),
        /for clientToken "pinned".*renewal window.*req-short-replay.*change `clientToken`/s,
      );
    });

    it("accepts a fresh token granted less life than asked, and scales the renewal window to it", async () => {
      emr.on(GetManagedEndpointSessionCredentialsCommand).resolves({ ...RESPONSE, expiresAt: new Date(NOW + 18_000) });

      const { outs } = await provider.create(checked({ durationInSeconds: 3600 }));

      assert.equal(outs.grantedSeconds, 18);
      assert.equal(
        outs.renewAt,
        "2026-11-23T12:00:12.000Z",
        "a third of the 18 s granted, as a third of 3600 s was asked",
      );
      now = NOW + 1_000;
      assert.deepEqual((await provider.diff("cred0001", outs, checked({ durationInSeconds: 3600 }))).replaces, []);
      now = NOW + 12_000;
      assert.deepEqual((await provider.diff("cred0001", outs, checked({ durationInSeconds: 3600 }))).replaces, [
        "renewAt",
      ]);
    });

    it("accepts a replayed token that is still fresh, as after a retried up", async () => {
      now = Date.parse("2026-11-23T12:02:00Z");
      emr.on(GetManagedEndpointSessionCredentialsCommand).resolves(RESPONSE);
      assert.equal((await provider.create(checked({ clientToken: "pinned" }))).outs.token, TOKEN);
    });

    it("fails on a response without a token rather than store an empty one", async () => {
      emr.on(GetManagedEndpointSessionCredentialsCommand).resolves({ ...RESPONSE, credentials: undefined });
      await assert.rejects(provider.create(checked()), /IncompleteResponse.*lacks an id, a token or expiresAt/);
    });

    const failures: Array<[string, Error, RegExp]> = [
      [
        "ValidationException",
        new ValidationException({ message: "executionRoleArn is not allowed", $metadata: metadata }),
        /Fix the input/,
      ],
      [
        "ResourceNotFoundException",
        new ResourceNotFoundException({ message: "endpoint not found", $metadata: metadata }),
        /Check that the endpoint exists in virtual cluster vc0123456789abcdefghij in us-west-2/,
      ],
      [
        "RequestThrottledException",
        new RequestThrottledException({ message: "Rate exceeded", $metadata: metadata }),
        /still throttling \(rate exceeded\) after 3 attempts over .*`timeoutSeconds` \(60\) allows.*raise `timeoutSeconds`, lower `pulumi up --parallel`, or ask AWS for a higher rate/,
      ],
      [
        "InternalServerException",
        new InternalServerException({ message: "oops", $metadata: { ...metadata, httpStatusCode: 500 } }),
        /failed on 3 attempts.*later/,
      ],
      [
        "AccessDeniedException",
        new EMRContainersServiceException({
          name: "AccessDeniedException",
          $fault: "client",
          message: "not authorized",
          $metadata: metadata,
        }),
        /emr-containers:GetManagedEndpointSessionCredentials/,
      ],
      [
        "UnrecognizedClientException",
        new EMRContainersServiceException({
          name: "UnrecognizedClientException",
          $fault: "client",
          message: "bad token",
          $metadata: metadata,
        }),
        /credentials were rejected/,
      ],
      [
        "CredentialsProviderError",
        Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }),
        /No AWS credentials were found.*AWS_PROFILE/,
      ],
      [
        "timed out (AbortError)",
        Object.assign(new Error("Request aborted"), { name: "AbortError", $metadata: { attempts: 3 } }),
        /did not answer: waited \d+\.\d s over 3 attempts \(each cut off after 20\.0 s, the call after 60\.0 s\).*raise `timeoutSeconds`/,
      ],
      [
        "network error ECONNREFUSED",
        Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), {
          code: "ECONNREFUSED",
          $metadata: { attempts: 3 },
        }),
        /Check the network, the region and `endpoint`/,
      ],
    ];
    for (const [code, error, remedy] of failures) {
      it(`explains ${code}, naming the resource, endpoint, cluster, URL and request id`, async () => {
        emr.on(GetManagedEndpointSessionCredentialsCommand).rejects(error);
        await assert.rejects(provider.create(checked()), (e: Error) => {
          assert.match(e.message, /^ManagedEndpointSessionCredentials "notebook-creds": /);
          assert.ok(e.message.includes(`endpoint ${ENDPOINT_ID} in virtual cluster ${VIRTUAL_CLUSTER_ID}`), e.message);
          assert.ok(e.message.includes("https://emr-containers.us-west-2.amazonaws.com"), e.message);
          assert.ok(e.message.includes(code), e.message);
          if ("$metadata" in error && (error.$metadata as { requestId?: string }).requestId)
            assert.match(e.message, /request id req-1234/);
          assert.match(e.message, remedy);
          return true;
        });
      });
    }
  });

  describe("create with describeEndpoint", () => {
    const endpoint = {
      id: ENDPOINT_ID,
      state: "ACTIVE" as const,
      serverUrl: "https://ep.example:18888",
      certificateAuthority: { certificateData: "LS0tQ0VSVA==" },
    };

    it("reads the endpoint by IDs, even from ARNs, and returns its serverUrl, state and certificate beside the token", async () => {
      emr.on(DescribeManagedEndpointCommand).resolves({ endpoint });
      emr.on(GetManagedEndpointSessionCredentialsCommand).resolves(RESPONSE);
      const { outs } = await provider.create(checked({ describeEndpoint: true, endpointIdentifier: ENDPOINT_ARN }));
      assert.deepEqual(emr.commandCalls(DescribeManagedEndpointCommand)[0]!.args[0].input, {
        id: ENDPOINT_ID,
        virtualClusterId: VIRTUAL_CLUSTER_ID,
      });
      assert.equal(outs.serverUrl, "https://ep.example:18888");
      assert.equal(outs.endpointState, "ACTIVE");
      assert.equal(outs.certificateData, "LS0tQ0VSVA==");
      assert.equal(outs.token, TOKEN);
    });

    it("refuses an endpoint that is not ACTIVE, saying its state, before any token is minted", async () => {
      emr
        .on(DescribeManagedEndpointCommand)
        .resolves({ endpoint: { ...endpoint, state: "CREATING" }, $metadata: { requestId: "req-describe" } });
      await assert.rejects(
        provider.create(checked({ describeEndpoint: true })),
        /"notebook-creds": managed endpoint ep0123456789abcdefghij .* is CREATING, not ACTIVE \(request id req-describe\), so no token was minted/,
      );
      assert.equal(emr.commandCalls(GetManagedEndpointSessionCredentialsCommand).length, 0);
    });

    it("names the missing permission when DescribeManagedEndpoint is denied", async () => {
      emr.on(DescribeManagedEndpointCommand).rejects(
        new EMRContainersServiceException({
          name: "AccessDeniedException",
          $fault: "client",
          message: "denied",
          $metadata: metadata,
        }),
      );
      await assert.rejects(
        provider.create(checked({ describeEndpoint: true })),
        /DescribeManagedEndpoint failed.*`emr-containers:DescribeManagedEndpoint`/,
      );
      assert.equal(emr.commandCalls(GetManagedEndpointSessionCredentialsCommand).length, 0);
    });

    it("makes no describe call unless asked", async () => {
      emr.on(GetManagedEndpointSessionCredentialsCommand).resolves(RESPONSE);
      const { outs } = await provider.create(checked());
      assert.equal(emr.commandCalls(DescribeManagedEndpointCommand).length, 0);
      assert.equal("serverUrl" in outs, false);
    });
  });

  describe("update", () => {
    it("keeps the token, makes no call and recomputes renewAt for a new window", async () => {
      const { outs } = await provider.update(
        "cred0001",
        stored(),
        checked({ renewBeforeSeconds: 600, maxAttempts: 5 }),
      );
      assert.equal(emr.calls().length, 0);
      assert.equal(outs.token, TOKEN);
      assert.equal(outs.renewAt, "2026-11-23T12:05:00.000Z");
      assert.equal(outs.maxAttempts, 5);
    });

    it("recomputes renewAt on this machine's clock, at the very time diff replaces", async () => {
      const serviceAhead = { ...stored(), serviceClockOffsetMs: 600_000 };

      const { outs } = await provider.update("cred0001", serviceAhead, checked({ renewBeforeSeconds: 600 }));

      assert.equal(outs.renewAt, "2026-11-23T11:55:00.000Z", "12:15 less 10 minutes' window less 10 minutes' lead");
      now = Date.parse(outs.renewAt) - 1;
      assert.deepEqual((await provider.diff("cred0001", outs, checked({ renewBeforeSeconds: 600 }))).replaces, []);
      now = Date.parse(outs.renewAt);
      assert.deepEqual((await provider.diff("cred0001", outs, checked({ renewBeforeSeconds: 600 }))).replaces, [
        "renewAt",
      ]);
    });

    it("keeps the endpoint details read at mint", async () => {
      const state = { ...stored({ describeEndpoint: true }), serverUrl: "https://ep", endpointState: "ACTIVE" };
      const { outs } = await provider.update("cred0001", state, checked({ describeEndpoint: true, profile: "other" }));
      assert.equal(outs.serverUrl, "https://ep");
      assert.equal(outs.endpointState, "ACTIVE");
      assert.equal(outs.profile, "other");
    });
  });

  describe("read and delete", () => {
    const state = stored();

    it("read keeps the state, so that the next diff still renews an expiring token", async () => {
      const read = await provider.read("cred0001", state);
      assert.deepEqual(read, { id: "cred0001", props: state });
      now = Date.parse("2026-11-23T12:10:00Z");
      assert.deepEqual((await provider.diff("cred0001", read.props, checked())).replaces, ["renewAt"]);
      assert.equal(emr.calls().length, 0);
    });

    it("delete makes no call: a session token cannot be revoked", async () => {
      await provider.delete();
      assert.equal(emr.calls().length, 0);
    });
  });

  describe("configure and check", () => {
    it("takes the region and profile from the stack's config", async () => {
      const configured = new SessionCredentialsProvider(() => now);
      const config = new Map([
        ["aws:region", "eu-central-1"],
        ["aws:profile", "stage"],
      ]);
      await configured.configure({
        config: { get: (k: string) => config.get(k) },
      });
      const { inputs, failures } = await configured.check({}, { ...validInputs(), region: undefined });
      assert.deepEqual(failures, []);
      assert.equal(inputs.region, "eu-central-1");
      assert.equal(inputs.profile, "stage");
    });
  });
});
