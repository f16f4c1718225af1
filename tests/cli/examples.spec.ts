/**
 * The examples under the REAL Pulumi CLI: the notebook example installed as a user's stack (its
 * role, virtual cluster, Secrets Manager secret and SSM parameter played by a recording stand-in
 * of the AWS provider; the token delivered into that secret at moto's server, where the test made
 * it, since the stand-in creates nothing real), and the repository's root `Pulumi.yaml`. The
 * quickstart's whole life is in lifecycle.spec.ts.
 */
import assert from "node:assert/strict";
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { exampleStackForSuite, startRootStack } from "../support/example-stack";
import { CREDENTIALS_TYPE } from "../support/local-stack";
import { fakeId } from "../support/plugins/fake-outputs";
import { clockMovedBy } from "../support/moved-clock";
import { reveal } from "../support/wire";

const ENDPOINT_ID = "ep0123456789abcdefghij";
const ROLE_TYPE = "aws:iam/role:Role";
const VIRTUAL_CLUSTER_TYPE = "aws:emrcontainers/virtualCluster:VirtualCluster";
const PARAMETER_TYPE = "aws:ssm/parameter:Parameter";
/** The id the AWS stand-in gives the notebook's secret (the same for the same URN), made in moto before the up. */
const GATEWAY_SECRET_ID = fakeId(
  "urn:pulumi:local::emr-session-notebook::aws:secretsmanager/secret:Secret::notebook-gateway",
);
const SERVER_URL = `https://${ENDPOINT_ID}.jeg.stand-in.invalid:18888`;
/** The notebook's token lives 12 h and is renewed 4 h before it expires: past renewAt after 8 h. */
const PAST_NOTEBOOK_RENEW_AT = 8 * 3600 + 60;

describe("the examples under the real Pulumi CLI", function () {
  this.timeout(240_000);

  describe("the notebook example", () => {
    const example = exampleStackForSuite("notebook", { moto: true });
    const moto = () => example().moto();
    before(async () => {
      await moto().secretsManager.send(new CreateSecretCommand({ Name: GATEWAY_SECRET_ID }));
    });
    const secrets = () => moto().secretsManager;

    const currentToken = async () =>
      (await secrets().send(new GetSecretValueCommand({ SecretId: GATEWAY_SECRET_ID, VersionStage: "AWSCURRENT" })))
        .SecretString;

    it("previews cleanly while the execution role's ARN is unknown, minting nothing", async () => {
      const { output } = await example().cli.run(["preview", "--diff"]);
      assert.match(output, /ManagedEndpointSessionCredentials: \(create\)/);
      assert.match(output, /executionRoleArn\s*: \[unknown\]/);
      assert.deepEqual(example().standIn.requests, []);
    });

    it("creates the credentials with the role's ARN on up, the token goes into the secret, the URL into a parameter", async () => {
      await example().cli.run(["up", "--yes", "--skip-preview"]);
      const [role] = example().aws.callsFor(ROLE_TYPE);
      const [cluster] = await example().cli.resources(VIRTUAL_CLUSTER_TYPE);
      const [roleState] = await example().cli.resources(ROLE_TYPE);
      assert.ok(role && cluster && roleState);
      assert.deepEqual(
        example().standIn.requests.map((r) => [r.operation, r.virtualClusterIdentifier, r.endpointIdentifier]),
        [
          ["DescribeManagedEndpoint", cluster.id, ENDPOINT_ID],
          ["GetManagedEndpointSessionCredentials", cluster.id, ENDPOINT_ID],
        ],
      );
      assert.equal(example().standIn.requests[1]?.body?.["executionRoleArn"], roleState.outputs?.["arn"]);

      assert.equal(await currentToken(), example().standIn.issuedTokens[0], "the secret holds the token");
      // aws.ssm.Parameter marks `value` secret whatever it holds.
      assert.equal(reveal(example().aws.callsFor(PARAMETER_TYPE).at(-1)?.properties["value"]), SERVER_URL);
      assert.equal(await example().cli.output("serverUrl"), SERVER_URL);
      const exported = (await example().cli.run(["stack", "export", "--show-secrets"])).stdout;
      assert.ok(!exported.includes(example().standIn.issuedTokens[0]!), "the token is in the state");
    });

    it("puts the new token into the secret when an up past renewAt renews it, and deliveredVersion follows", async () => {
      const before = await example().cli.output("deliveredVersion");
      await example().cli.run(["up", "--yes", "--skip-preview"], { env: clockMovedBy(PAST_NOTEBOOK_RENEW_AT) });
      assert.equal(example().standIn.issuedTokens.length, 2);
      assert.equal(await currentToken(), example().standIn.issuedTokens[1]);
      const after = await example().cli.output("deliveredVersion");
      assert.notEqual(after, before);
      const described = await secrets().send(new DescribeSecretCommand({ SecretId: GATEWAY_SECRET_ID }));
      assert.deepEqual(described.VersionIdsToStages?.[after], ["AWSCURRENT"]);
    });

    it("fails the up, saying CREATING and minting nothing, while the endpoint is being created", async () => {
      await example().cli.run(["destroy", "--yes"]);
      const [clusterCreate] = example().aws.callsFor(VIRTUAL_CLUSTER_TYPE);
      assert.ok(clusterCreate);
      const tokenBefore = await currentToken();
      example().standIn.reset();
      // The stand-in's virtual cluster ID is the same for the same URN, so it is known before the up.
      const virtualClusterId = fakeId(clusterCreate.urn);
      example().standIn.registerEndpoint({ virtualClusterId, id: ENDPOINT_ID, state: "CREATING" });

      const { status, output } = await example().cli.run(["up", "--yes", "--skip-preview"], { allowFailure: true });
      assert.notEqual(status, 0);
      assert.match(
        output,
        new RegExp(`managed endpoint ${ENDPOINT_ID} in virtual cluster ${virtualClusterId} is CREATING, not ACTIVE`),
      );
      assert.match(output, /no token was minted/);
      assert.deepEqual(
        example().standIn.requests.map((r) => r.operation),
        ["DescribeManagedEndpoint"],
      );
      assert.deepEqual(await example().cli.resources(CREDENTIALS_TYPE), []);
      assert.equal(await currentToken(), tokenBefore, "nothing was delivered");
    });
  });

  describe("the repository's root Pulumi.yaml", () => {
    it("runs the quickstart from the root and mints one token on up", async () => {
      const root = await startRootStack();
      try {
        await root.cli.run(["up", "--yes", "--skip-preview"]);
        assert.equal(root.standIn.issuedTokens.length, 1);
        assert.equal(await root.cli.output("token", true), root.standIn.issuedTokens[0]);
        assert.equal(await root.cli.output("parameterName"), "/emr/local/session-token");
        assert.equal((await root.cli.resources(CREDENTIALS_TYPE)).length, 1);
      } finally {
        await root.dispose();
      }
    });
  });
});
