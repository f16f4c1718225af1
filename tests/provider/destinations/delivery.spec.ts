import assert from "node:assert/strict";
import { EMRContainersClient, GetManagedEndpointSessionCredentialsCommand } from "@aws-sdk/client-emr-containers";
import {
  DescribeSecretCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  SecretsManagerServiceException,
} from "@aws-sdk/client-secrets-manager";
import {
  GetParameterCommand,
  InvalidKeyId,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
  SSMServiceException,
} from "@aws-sdk/client-ssm";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import { checkInputs } from "../../../provider/lifecycle/check";
import { SessionCredentialsProvider } from "../../../provider/lifecycle/session-credentials-provider";
import { NOW, RESPONSE, TOKEN } from "../../fixtures/mint-response";
import { validInputs } from "../../fixtures/session-inputs";

const PARAMETER = { ssmParameter: { name: "/emr/notebooks/token" } };
const SECRET = { secretsManagerSecret: { secretId: "emr/notebook-gateway" } };
const VERSION_ID = "6f1d3c2e-0000-4000-8000-000000000001";
const metadata = { httpStatusCode: 400, requestId: "req-dest-1", attempts: 1 };

/** A service error named `name`, as the SDK raises one it has no class for. */
function serviceError(
  Exception: typeof SSMServiceException | typeof SecretsManagerServiceException,
  name: string,
  message: string,
): Error {
  return new Exception({ name, $fault: "client", message, $metadata: metadata });
}

function checked(deliverTo: unknown, overrides: Record<string, unknown> = {}) {
  const { inputs, failures } = checkInputs(validInputs({ resourceName: "notebook-creds", deliverTo, ...overrides }), {
    env: {},
  });
  assert.deepEqual(failures, []);
  return inputs;
}

/** Asserts that `error` names the resource, the destination, the code and request id, and says `remedy`, with no token. */
function assertExplains(error: Error, destination: string, code: string, remedy: RegExp): true {
  assert.match(error.message, /^ManagedEndpointSessionCredentials "notebook-creds": /);
  assert.ok(error.message.includes(destination), error.message);
  assert.ok(error.message.includes(code), error.message);
  assert.match(error.message, /request id req-dest-1/);
  assert.match(error.message, remedy);
  assert.ok(!error.message.includes(TOKEN), "the token is in the message");
  return true;
}

describe("SessionCredentialsProvider with deliverTo", () => {
  // Mocked in `before`, not at load time, so that other spec files keep the real clients.
  let emr: AwsClientStub<EMRContainersClient>;
  let ssm: AwsClientStub<SSMClient>;
  let secrets: AwsClientStub<SecretsManagerClient>;
  const reported: string[] = [];
  const provider = new SessionCredentialsProvider(
    () => NOW,
    (line) => reported.push(line),
  );
  const allCalls = () => [...emr.calls(), ...ssm.calls(), ...secrets.calls()];

  before(() => {
    emr = mockClient(EMRContainersClient);
    ssm = mockClient(SSMClient);
    secrets = mockClient(SecretsManagerClient);
  });
  beforeEach(() => {
    emr.reset();
    ssm.reset();
    secrets.reset();
    reported.length = 0;
    emr.on(GetManagedEndpointSessionCredentialsCommand).resolves(RESPONSE);
  });
  after(() => {
    emr.restore();
    ssm.restore();
    secrets.restore();
  });

  describe("create", () => {
    it("writes the token to the SSM parameter as a SecureString, overwriting, and returns its version, not the token", async () => {
      ssm.on(PutParameterCommand).resolves({ Version: 3 });
      const { id, outs } = await provider.create(checked(PARAMETER));
      assert.equal(id, "cred0001");
      assert.equal(emr.calls().length, 1);
      assert.deepEqual(
        ssm.commandCalls(PutParameterCommand).map((c) => c.args[0].input),
        [{ Name: "/emr/notebooks/token", Value: TOKEN, Type: "SecureString", Overwrite: true }],
      );
      assert.equal(outs.deliveredVersion, "3");
      assert.equal("token" in outs, false);
      assert.ok(!JSON.stringify(outs).includes(TOKEN), "the token is in the outputs");
      assert.equal(outs.expiresAt, "2026-11-23T12:15:00.000Z");
      assert.equal(outs.renewAt, "2026-11-23T12:10:00.000Z");
    });

    it("encrypts with the given KMS key", async () => {
      ssm.on(PutParameterCommand).resolves({ Version: 1 });
      await provider.create(checked({ ssmParameter: { ...PARAMETER.ssmParameter, kmsKeyId: "alias/emr-tokens" } }));
      assert.equal(ssm.commandCalls(PutParameterCommand)[0]!.args[0].input.KeyId, "alias/emr-tokens");
    });

    it("puts the token as the secret's new value with a fresh ClientRequestToken, and returns the VersionId", async () => {
      secrets.on(PutSecretValueCommand).callsFake((input: { ClientRequestToken: string }) => ({
        VersionId: input.ClientRequestToken,
      }));
      const first = await provider.create(checked(SECRET));
      const second = await provider.create(checked(SECRET));
      const sent = secrets.commandCalls(PutSecretValueCommand).map((c) => c.args[0].input);
      assert.equal(sent.length, 2);
      assert.deepEqual(
        sent.map(({ SecretId, SecretString }) => ({ SecretId, SecretString })),
        [
          { SecretId: "emr/notebook-gateway", SecretString: TOKEN },
          { SecretId: "emr/notebook-gateway", SecretString: TOKEN },
        ],
      );
      assert.match(sent[0]!.ClientRequestToken ?? "", /^[0-9a-f-]{36}$/);
      assert.notEqual(sent[0]!.ClientRequestToken, sent[1]!.ClientRequestToken, "each delivery is a new version");
      assert.equal(first.outs.deliveredVersion, sent[0]!.ClientRequestToken);
      assert.equal("token" in first.outs || "token" in second.outs, false);
    });

    it("still returns the token, and calls no destination, without deliverTo", async () => {
      const { outs } = await provider.create(checked(undefined));
      assert.equal(outs.token, TOKEN);
      assert.equal(ssm.calls().length + secrets.calls().length, 0);
    });

    const failures: Array<[string, unknown, () => void, string, string, RegExp]> = [
      [
        "a secret that does not exist",
        SECRET,
        () =>
          secrets.on(PutSecretValueCommand).rejects(
            new ResourceNotFoundException({
              message: "Secrets Manager can't find the specified secret.",
              $metadata: metadata,
            }),
          ),
        'Secrets Manager secret "emr/notebook-gateway" in us-west-2',
        "ResourceNotFoundException",
        /Create the secret first.*us-west-2.*or fix `secretId`/,
      ],
      [
        "a denied PutSecretValue",
        SECRET,
        () =>
          secrets
            .on(PutSecretValueCommand)
            .rejects(serviceError(SecretsManagerServiceException, "AccessDeniedException", "not authorized")),
        'Secrets Manager secret "emr/notebook-gateway"',
        "AccessDeniedException",
        /Allow the caller `secretsmanager:PutSecretValue` on arn:aws:secretsmanager:us-west-2:<account>:secret:emr\/notebook-gateway-\*/,
      ],
      [
        "a KMS key the secret cannot encrypt with",
        SECRET,
        () =>
          secrets
            .on(PutSecretValueCommand)
            .rejects(serviceError(SecretsManagerServiceException, "EncryptionFailure", "KMS key is disabled")),
        'Secrets Manager secret "emr/notebook-gateway"',
        "EncryptionFailure",
        /could not encrypt with the secret's KMS key.*kms:GenerateDataKey/,
      ],
      [
        "a denied PutParameter",
        PARAMETER,
        () =>
          ssm
            .on(PutParameterCommand)
            .rejects(
              serviceError(SSMServiceException, "AccessDeniedException", "not authorized to perform ssm:PutParameter"),
            ),
        'SSM parameter "/emr/notebooks/token" in us-west-2',
        "AccessDeniedException",
        /Allow the caller `ssm:PutParameter` on arn:aws:ssm:us-west-2:<account>:parameter\/emr\/notebooks\/token\./,
      ],
      [
        "a KMS key SSM refuses",
        { ssmParameter: { name: "/emr/notebooks/token", kmsKeyId: "alias/gone" } },
        () =>
          ssm
            .on(PutParameterCommand)
            .rejects(new InvalidKeyId({ message: "Invalid keyId alias/gone", $metadata: metadata })),
        'SSM parameter "/emr/notebooks/token"',
        "InvalidKeyId",
        /The KMS key alias\/gone was refused.*`kms:Encrypt`.*another `kmsKeyId`/,
      ],
      [
        "a KMS key the caller may not use",
        PARAMETER,
        () =>
          ssm
            .on(PutParameterCommand)
            .rejects(
              serviceError(
                SSMServiceException,
                "AccessDeniedException",
                "User is not authorized to perform: kms:Encrypt",
              ),
            ),
        'SSM parameter "/emr/notebooks/token"',
        "AccessDeniedException",
        /The KMS key alias\/aws\/ssm was refused/,
      ],
      [
        "SSM still throttling",
        PARAMETER,
        () =>
          ssm
            .on(PutParameterCommand)
            .rejects(serviceError(SSMServiceException, "ThrottlingException", "Rate exceeded")),
        'SSM parameter "/emr/notebooks/token"',
        "ThrottlingException",
        /SSM was still throttling \(rate exceeded\) after 1 attempt over \d+\.\d s, as long as `timeoutSeconds` \(60\) allows\. .*raise `timeoutSeconds`, lower `pulumi up --parallel`, or ask AWS for a higher rate/,
      ],
    ];
    for (const [what, deliverTo, arrange, destination, code, remedy] of failures) {
      it(`fails the create on ${what}, saying where, why and what to do, with no token in the message`, async () => {
        arrange();
        await assert.rejects(provider.create(checked(deliverTo)), (e: Error) => {
          assertExplains(e, destination, code, remedy);
          assert.match(
            e.message,
            /The token minted for it was not delivered and nothing was recorded: it lapses unused at 2026-11-23T12:15:00.000Z/,
          );
          return true;
        });
      });
    }
  });

  describe("read (pulumi refresh)", () => {
    const stateFor = (deliverTo: unknown, deliveredVersion: string) => ({
      ...checked(deliverTo),
      expiresAt: "2026-11-23T12:15:00.000Z",
      renewAt: "2026-11-23T12:10:00.000Z",
      serviceClockOffsetMs: 0,
      deliveredVersion,
    });

    it("finds the parameter still at the delivered version, reading it without decryption", async () => {
      ssm.on(GetParameterCommand).resolves({ Parameter: { Name: "/emr/notebooks/token", Version: 3 } });
      const state = stateFor(PARAMETER, "3");
      assert.deepEqual(await provider.read("cred0001", state), { id: "cred0001", props: state });
      assert.deepEqual(ssm.commandCalls(GetParameterCommand)[0]!.args[0].input, {
        Name: "/emr/notebooks/token",
        WithDecryption: false,
      });
      assert.equal(emr.calls().length, 0);
    });

    it("records an overwritten parameter, and the next diff replaces, saying why", async () => {
      ssm.on(GetParameterCommand).resolves({ Parameter: { Name: "/emr/notebooks/token", Version: 4 } });
      const { props } = await provider.read("cred0001", stateFor(PARAMETER, "3"));
      assert.equal(props["deliveryLost"], 'SSM parameter "/emr/notebooks/token" is at version 4, not 3');
      const diff = await provider.diff("cred0001", props, checked(PARAMETER));
      assert.deepEqual(diff, { changes: true, replaces: ["deliveredVersion"], deleteBeforeReplace: false });
      assert.deepEqual(reported, [
        'ManagedEndpointSessionCredentials "notebook-creds": replacing to mint a new token: the destination no longer ' +
          'holds the delivered version (SSM parameter "/emr/notebooks/token" is at version 4, not 3)',
      ]);
    });

    it("records a deleted parameter", async () => {
      ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: "not found", $metadata: metadata }));
      const { props } = await provider.read("cred0001", stateFor(PARAMETER, "3"));
      assert.equal(props["deliveryLost"], 'SSM parameter "/emr/notebooks/token" no longer exists');
    });

    it("reads the secret's stages, never its value, and records another current version", async () => {
      secrets.on(DescribeSecretCommand).resolves({
        VersionIdsToStages: { [VERSION_ID]: ["AWSPREVIOUS"], "outside-1": ["AWSCURRENT"] },
      });
      const { props } = await provider.read("cred0001", stateFor(SECRET, VERSION_ID));
      assert.equal(
        props["deliveryLost"],
        `Secrets Manager secret "emr/notebook-gateway" has outside-1 current version, not ${VERSION_ID}`,
      );
      assert.deepEqual(
        secrets.calls().map((c) => c.args[0].constructor.name),
        ["DescribeSecretCommand"],
      );
    });

    it("forgets a recorded loss once the secret holds the delivered version again", async () => {
      secrets.on(DescribeSecretCommand).resolves({ VersionIdsToStages: { [VERSION_ID]: ["AWSCURRENT"] } });
      const { props } = await provider.read("cred0001", { ...stateFor(SECRET, VERSION_ID), deliveryLost: "earlier" });
      assert.equal("deliveryLost" in props, false);
    });

    it("records a secret scheduled for deletion or gone", async () => {
      secrets
        .on(DescribeSecretCommand)
        .resolves({ DeletedDate: new Date(NOW), VersionIdsToStages: { [VERSION_ID]: ["AWSCURRENT"] } });
      assert.match(
        String((await provider.read("c", stateFor(SECRET, VERSION_ID))).props["deliveryLost"]),
        /scheduled for deletion/,
      );
      secrets
        .on(DescribeSecretCommand)
        .rejects(new ResourceNotFoundException({ message: "gone", $metadata: metadata }));
      assert.match(
        String((await provider.read("c", stateFor(SECRET, VERSION_ID))).props["deliveryLost"]),
        /no longer exists/,
      );
    });

    it("fails the refresh on a denied read, naming the permission", async () => {
      ssm.on(GetParameterCommand).rejects(serviceError(SSMServiceException, "AccessDeniedException", "denied"));
      await assert.rejects(provider.read("cred0001", stateFor(PARAMETER, "3")), (e: Error) =>
        assertExplains(e, 'SSM parameter "/emr/notebooks/token"', "AccessDeniedException", /`ssm:GetParameter`/),
      );
    });
  });

  describe("diff, update and delete", () => {
    const state = () => ({
      ...checked(PARAMETER),
      expiresAt: "2026-11-23T12:15:00.000Z",
      renewAt: "2026-11-23T12:10:00.000Z",
      serviceClockOffsetMs: 0,
      deliveredVersion: "3",
    });

    it("replaces when deliverTo changes", async () => {
      const diff = await provider.diff("cred0001", state(), checked(SECRET));
      assert.deepEqual(diff.replaces, ["deliverTo"]);
      assert.match(reported[0] ?? "", /replacing to mint a new token: deliverTo changed/);
    });

    it("keeps the delivered version on a settings update, calling nothing, with no token", async () => {
      const { outs } = await provider.update("cred0001", state(), checked(PARAMETER, { maxAttempts: 5 }));
      assert.equal(outs.deliveredVersion, "3");
      assert.equal("token" in outs, false);
      assert.equal(allCalls().length, 0);
    });

    it("delete calls nothing: the destination keeps the last token until it expires", async () => {
      await provider.delete();
      assert.equal(allCalls().length, 0);
    });
  });
});
