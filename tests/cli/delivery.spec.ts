/**
 * `deliverTo` under the REAL Pulumi CLI and engine: the never-in-state example installed as a
 * user's stack, its EMR calls answered by the local stand-in (which records every token it
 * issues), its SSM and Secrets Manager calls by moto's server through AWS_ENDPOINT_URL_SSM and
 * AWS_ENDPOINT_URL_SECRETS_MANAGER with dummy keys, and what moto holds read back with the real
 * SDK. The tests run in order, on one stack.
 */
import assert from "node:assert/strict";
import { CreateSecretCommand, GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { GetParameterCommand, PutParameterCommand } from "@aws-sdk/client-ssm";
import { exampleStackForSuite, type ExampleStack } from "../support/example-stack";
import { CREDENTIALS_TYPE, localStack } from "../support/local-stack";
import { REPO_ROOT } from "../support/packed-package";
import { clockMovedBy } from "../support/moved-clock";
import * as path from "node:path";

const SECRET_ID = localStack(path.join(REPO_ROOT, "examples", "never-in-state")).config[
  "emr-session-never-in-state:secretId"
]!;
const PARAMETER_NAME = "/emr/local/session-token";
const DURATION_SECONDS = 3600;
/** Just past `renewAt` of a token minted now: the default window is a third of the duration. */
const PAST_RENEW_AT = DURATION_SECONDS - DURATION_SECONDS / 3 + 60;
const REPLACE_REASON =
  /ManagedEndpointSessionCredentials "token-in-ssm": replacing to mint a new token: the destination no longer holds the delivered version \(SSM parameter "\/emr\/local\/session-token" is at version \d+, not \d+\)/;

describe("deliverTo under the real Pulumi CLI, delivering to moto", function () {
  this.timeout(240_000);
  const example = exampleStackForSuite("never-in-state", { moto: true });
  const moto = () => example().moto();
  const ssm = () => moto().ssm;
  const secrets = () => moto().secretsManager;

  before(async () => {
    // The secret is the user's own (made with @pulumi/aws in a real stack): it exists before the up.
    await secrets().send(new CreateSecretCommand({ Name: SECRET_ID }));
  });

  /** The requests the EMR stand-in received while `work` ran. */
  async function requestsDuring(work: () => Promise<unknown>): Promise<ExampleStack["standIn"]["requests"]> {
    const before = example().standIn.requests.length;
    await work();
    return example().standIn.requests.slice(before);
  }
  const mints = (requests: ExampleStack["standIn"]["requests"]) =>
    requests.filter((r) => r.operation === "GetManagedEndpointSessionCredentials").length;

  const parameter = async () =>
    (await ssm().send(new GetParameterCommand({ Name: PARAMETER_NAME, WithDecryption: true }))).Parameter!;
  const secret = async () =>
    secrets().send(new GetSecretValueCommand({ SecretId: SECRET_ID, VersionStage: "AWSCURRENT" }));
  const outputs = async (): Promise<Record<string, string>> =>
    JSON.parse((await example().cli.run(["stack", "output", "--json", "--show-secrets"])).stdout) as Record<
      string,
      string
    >;

  /** Every place a token could leak to: all the CLI printed (--show-secrets included), the backend's files, the export with secrets shown. */
  async function everything(): Promise<string> {
    const exported = (await example().cli.run(["stack", "export", "--show-secrets"])).stdout;
    return [example().cli.transcript.join("\n"), example().cli.backendText(), exported].join("\n");
  }
  async function assertNoTokenAnywhere(): Promise<void> {
    const text = await everything();
    assert.ok(example().standIn.issuedTokens.length > 0);
    for (const token of example().standIn.issuedTokens)
      assert.ok(!text.includes(token), "a minted token is in the stack or the output");
  }

  it("delivers one token to each destination on up, and the stack holds their versions, no token", async () => {
    const requests = await requestsDuring(() => example().cli.run(["up", "--yes"]));
    assert.equal(mints(requests), 2);
    const [forParameter, forSecret] = [await parameter(), await secret()];
    const issued = example().standIn.issuedTokens;
    assert.equal(issued.length, 2);
    assert.deepEqual([forParameter.Value, forSecret.SecretString].sort(), [...issued].sort(), "moto holds the tokens");
    assert.equal(forParameter.Type, "SecureString");

    const out = await outputs();
    assert.equal(out["parameterVersion"], "1");
    assert.equal(out["secretVersion"], forSecret.VersionId);
    const credentials = await example().cli.resources(CREDENTIALS_TYPE);
    assert.equal(credentials.length, 2);
    for (const resource of credentials) {
      assert.equal("token" in (resource.outputs ?? {}), false, "no token output in state");
      assert.equal(typeof resource.outputs?.["deliveredVersion"], "string");
    }
    assert.match((await example().cli.run(["stack", "export", "--show-secrets"])).stdout, /deliveredVersion/);
    await assertNoTokenAnywhere();
  });

  it("passes a second up with --expect-no-changes, minting and delivering nothing", async () => {
    const requests = await requestsDuring(() => example().cli.run(["up", "--yes", "--expect-no-changes"]));
    assert.deepEqual(requests, []);
    assert.equal((await parameter()).Version, 1);
  });

  it("previews a renewal past renewAt as a replacement of each, saying why, calling nothing", async () => {
    const requests = await requestsDuring(async () => {
      const { output } = await example().cli.run(["preview", "--diff"], { env: clockMovedBy(PAST_RENEW_AT) });
      assert.match(
        output,
        /ManagedEndpointSessionCredentials "token-in-ssm": replacing to mint a new token: renewAt \S+ has passed/,
      );
      assert.match(output, /\+-2 to replace/);
    });
    assert.deepEqual(requests, []);
    assert.equal((await parameter()).Version, 1);
  });

  it("on an up past renewAt, delivers a new version to each destination, and deliveredVersion follows", async () => {
    const before = await outputs();
    const requests = await requestsDuring(() =>
      example().cli.run(["up", "--yes", "--skip-preview"], { env: clockMovedBy(PAST_RENEW_AT) }),
    );
    assert.equal(mints(requests), 2);
    const issued = example().standIn.issuedTokens;
    const [forParameter, forSecret] = [await parameter(), await secret()];
    assert.deepEqual([forParameter.Value, forSecret.SecretString].sort(), issued.slice(2).sort());
    assert.equal(forParameter.Version, 2);
    const after = await outputs();
    assert.equal(after["parameterVersion"], "2");
    assert.equal(after["secretVersion"], forSecret.VersionId);
    assert.notEqual(after["secretVersion"], before["secretVersion"]);
    assert.equal((await example().cli.resources(CREDENTIALS_TYPE)).length, 2, "the old copies are gone");
    await assertNoTokenAnywhere();
  });

  it("after an outside overwrite, refresh records it and the next up delivers again, to that destination only", async () => {
    await ssm().send(
      new PutParameterCommand({ Name: PARAMETER_NAME, Value: "outside", Type: "SecureString", Overwrite: true }),
    );
    const secretBefore = (await secret()).VersionId;
    const refreshed = await requestsDuring(() => example().cli.run(["refresh", "--yes"]));
    assert.deepEqual(refreshed, [], "refresh asks the destinations, not EMR");

    const preview = await example().cli.run(["preview", "--diff"]);
    assert.match(preview.output, REPLACE_REASON);
    assert.match(preview.output, /\+-1 to replace/);

    const requests = await requestsDuring(() => example().cli.run(["up", "--yes", "--skip-preview"]));
    assert.equal(mints(requests), 1);
    const forParameter = await parameter();
    assert.equal(forParameter.Version, 4, "outside wrote 3, the new delivery 4");
    assert.equal(forParameter.Value, example().standIn.issuedTokens.at(-1));
    assert.equal((await secret()).VersionId, secretBefore, "the secret, still current, was left alone");
    assert.equal((await outputs())["parameterVersion"], "4");
    await example().cli.run(["up", "--yes", "--expect-no-changes"]);
  });

  it("destroy calls nothing: no EMR request, and each destination keeps the last token until it expires", async () => {
    const [forParameter, forSecret] = [await parameter(), await secret()];
    const requests = await requestsDuring(() => example().cli.run(["destroy", "--yes"]));
    assert.deepEqual(requests, []);
    assert.deepEqual(await example().cli.resources(CREDENTIALS_TYPE), []);
    assert.deepEqual(await parameter(), forParameter);
    assert.equal((await secret()).VersionId, forSecret.VersionId);
  });

  it("never had a minted token in any output, the backend's files or the export with secrets shown", async () => {
    assert.equal(example().standIn.issuedTokens.length, 5);
    await assertNoTokenAnywhere();
  });
});
