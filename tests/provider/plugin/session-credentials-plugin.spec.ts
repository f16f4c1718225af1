import assert from "node:assert/strict";
import { EMRContainersClient, GetManagedEndpointSessionCredentialsCommand } from "@aws-sdk/client-emr-containers";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import { RENEWAL_HORIZON_ENV } from "../../../provider/lifecycle/renewal-horizon";
import { SessionCredentialsPlugin } from "../../../provider/plugin/session-credentials-plugin";
import { NOW, RESPONSE, TOKEN } from "../../fixtures/mint-response";
import { ENDPOINT_ID, EXECUTION_ROLE_ARN, VIRTUAL_CLUSTER_ID } from "../../fixtures/session-inputs";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const secret = (value: unknown) => ({ [SIG]: SECRET_SIG, value });
const URN =
  "urn:pulumi:dev::notebooks::emr-session-credentials:index:ManagedEndpointSessionCredentials::notebook-session";

/** What a program declares: the identifiers and a role, no region. */
const DECLARED = {
  virtualClusterIdentifier: VIRTUAL_CLUSTER_ID,
  endpointIdentifier: ENDPOINT_ID,
  executionRoleArn: EXECUTION_ROLE_ARN,
};

describe("SessionCredentialsPlugin: the lifecycle through the plugin protocol", () => {
  let emr: AwsClientStub<EMRContainersClient>;
  let now = NOW;
  const said: [string, string][] = [];
  const plugin = (config: Record<string, string> = { region: "eu-west-1" }) =>
    new SessionCredentialsPlugin({
      version: "9.9.9",
      schema: "{}",
      config,
      say: async (urn, message) => {
        said.push([urn, message]);
      },
      clock: () => now,
    });

  before(() => {
    emr = mockClient(EMRContainersClient);
  });
  beforeEach(() => {
    emr.reset();
    now = NOW;
    said.length = 0;
  });
  after(() => emr.restore());

  it("checks with the resource's name from its URN and the region of its stack config emr-session-credentials:region", async () => {
    const { inputs, failures } = await plugin().check(URN, {}, DECLARED);
    assert.deepEqual(failures, []);
    assert.equal(inputs.resourceName, "notebook-session");
    assert.equal(inputs.region, "eu-west-1");
    assert.equal(inputs.durationInSeconds, 900);
  });

  it("fails check per property, and names the plugin's config when no region is set anywhere", async () => {
    const saved = { AWS_REGION: process.env["AWS_REGION"], AWS_DEFAULT_REGION: process.env["AWS_DEFAULT_REGION"] };
    delete process.env["AWS_REGION"];
    delete process.env["AWS_DEFAULT_REGION"];
    try {
      const { failures = [] } = await plugin({}).check(URN, {}, { ...DECLARED, durationInSeconds: 0, logContext: "X" });
      assert.deepEqual(
        failures.map((f) => f.property),
        ["durationInSeconds", "logContext", "region"],
      );
      assert.match(failures[2]?.reason ?? "", /pulumi config set emr-session-credentials:region <region>/);
    } finally {
      Object.assign(process.env, Object.fromEntries(Object.entries(saved).filter(([, v]) => v !== undefined)));
    }
  });

  it("keeps secret inputs secret through check: unwrapped for the rules, wrapped again in the inputs it returns", async () => {
    const { inputs, failures } = await plugin().check(URN, {}, { ...DECLARED, clientToken: secret("pinned-2026") });
    assert.deepEqual(failures, []);
    assert.deepEqual(inputs.clientToken, secret("pinned-2026"));
    assert.equal(inputs.executionRoleArn, EXECUTION_ROLE_ARN, "the others stay plain");
  });

  it("creates with one mint and returns the token wrapped as a secret, with the secret inputs still secret", async () => {
    emr.on(GetManagedEndpointSessionCredentialsCommand).resolves(RESPONSE);
    const { inputs } = await plugin().check(URN, {}, { ...DECLARED, clientToken: secret("pinned-2026") });
    const { id, outs } = await plugin().create(URN, inputs);
    assert.equal(id, "cred0001");
    assert.equal(emr.calls().length, 1);
    assert.equal(
      emr.commandCalls(GetManagedEndpointSessionCredentialsCommand)[0]?.args[0].input.clientToken,
      "pinned-2026",
    );
    assert.deepEqual(outs.token, secret(TOKEN));
    assert.deepEqual(outs.clientToken, secret("pinned-2026"));
    assert.equal(outs.expiresAt, "2026-11-23T12:15:00.000Z");
  });

  it("diffs as the lifecycle does, and says why it replaces under the resource's URN", async () => {
    emr.on(GetManagedEndpointSessionCredentialsCommand).resolves(RESPONSE);
    const { inputs } = await plugin().check(URN, {}, DECLARED);
    const { outs } = await plugin().create(URN, inputs);
    assert.deepEqual(await plugin().diff("cred0001", URN, outs, inputs), {
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
    assert.deepEqual(said, []);
    now = Date.parse("2026-11-23T12:10:00Z");
    assert.deepEqual(await plugin().diff("cred0001", URN, outs, inputs), {
      changes: true,
      replaces: ["renewAt"],
      deleteBeforeReplace: false,
    });
    assert.deepEqual(said, [
      [
        URN,
        'ManagedEndpointSessionCredentials "notebook-session": replacing to mint a new token: renewAt 2026-11-23T12:10:00.000Z has passed',
      ],
    ]);
  });

  it("renews within the horizon that renew --within puts in the plugin's environment, and only then", async () => {
    emr.on(GetManagedEndpointSessionCredentialsCommand).resolves(RESPONSE);
    const { inputs } = await plugin().check(URN, {}, DECLARED);
    const { outs } = await plugin().create(URN, inputs);
    const before = process.env[RENEWAL_HORIZON_ENV];
    try {
      // renewAt 12:10 is 10 minutes away: outside a 9-minute horizon, inside an 11-minute one.
      process.env[RENEWAL_HORIZON_ENV] = String(9 * 60);
      assert.equal((await plugin().diff("cred0001", URN, outs, inputs)).changes, false);
      process.env[RENEWAL_HORIZON_ENV] = String(11 * 60);
      assert.deepEqual((await plugin().diff("cred0001", URN, outs, inputs)).replaces, ["renewAt"]);
      assert.match(said.at(-1)?.[1] ?? "", /within the renewal horizon of 660 s/);
    } finally {
      if (before === undefined) delete process.env[RENEWAL_HORIZON_ENV];
      else process.env[RENEWAL_HORIZON_ENV] = before;
    }
  });

  it("reads, updates and deletes without a call, the token still wrapped as a secret", async () => {
    emr.on(GetManagedEndpointSessionCredentialsCommand).resolves(RESPONSE);
    const { inputs } = await plugin().check(URN, {}, DECLARED);
    const { outs } = await plugin().create(URN, inputs);
    emr.reset();
    const read = await plugin().read("cred0001", URN, outs);
    assert.deepEqual(read, { id: "cred0001", props: outs });
    const updated = await plugin().update("cred0001", URN, outs, { ...inputs, renewBeforeSeconds: 60 });
    assert.deepEqual(updated.outs?.token, secret(TOKEN));
    assert.equal(updated.outs?.renewAt, "2026-11-23T12:14:00.000Z");
    await plugin().delete();
    assert.equal(emr.calls().length, 0);
  });
});
