/**
 * The resource's whole life under the REAL Pulumi CLI and engine: the quickstart installed from
 * the package's npm tarball into a stack with a local file backend, its EMR calls answered by the
 * local stand-in, its SSM parameter by a recording stand-in of the AWS provider plugin, and the
 * clock of the Node processes moved with faketime. The tests run in order, on one stack.
 */
import assert from "node:assert/strict";
import { exampleStackForSuite, type ExampleStack } from "../support/example-stack";
import { CREDENTIALS_TYPE } from "../support/local-stack";
import { clockMovedBy } from "../support/moved-clock";
import { isSecret, reveal } from "../support/wire";

const PARAMETER_TYPE = "aws:ssm/parameter:Parameter";
const DURATION_SECONDS = 3600;
/** The default renewal window: a third of the duration. */
const RENEW_BEFORE_SECONDS = 1200;
/** Just past `renewAt` of a token minted now. */
const PAST_RENEW_AT = DURATION_SECONDS - RENEW_BEFORE_SECONDS + 60;

describe("the quickstart's life under the real Pulumi CLI", function () {
  this.timeout(240_000);
  const example = exampleStackForSuite("quickstart");

  /** The requests the stand-in received while `work` ran. */
  async function requestsDuring(work: () => Promise<unknown>): Promise<ExampleStack["standIn"]["requests"]> {
    const before = example().standIn.requests.length;
    await work();
    return example().standIn.requests.slice(before);
  }

  /** Everything the CLI printed, but for `pulumi stack output --show-secrets`, which reveals by design. */
  const printed = (): string =>
    example()
      .cli.transcript.filter((text) => !/^\$ pulumi stack output \S+ --show-secrets/.test(text))
      .join("\n");

  const storedToken = async (): Promise<string> => {
    const [credentials] = await example().cli.resources(CREDENTIALS_TYPE);
    assert.ok(credentials, "the credentials are in the stack");
    return example().cli.output("token", true);
  };

  it("previews a new stack as a create, with no request to the service", async () => {
    const requests = await requestsDuring(async () => {
      const { output } = await example().cli.run(["preview", "--diff"]);
      assert.match(output, /\+ pulumi-nodejs:dynamic\/emr-containers:ManagedEndpointSessionCredentials: \(create\)/);
      assert.match(output, /notebook-session/);
      assert.match(output, /\+ 3 to create/);
    });
    assert.deepEqual(requests, []);
  });

  it("mints one token on up, shown as [secret], readable with --show-secrets, in clear nowhere else", async () => {
    const requests = await requestsDuring(() => example().cli.run(["up", "--yes"]));
    assert.deepEqual(
      requests.map((r) => r.operation),
      ["GetManagedEndpointSessionCredentials"],
    );
    assert.equal(example().standIn.issuedTokens.length, 1);
    const token = example().standIn.issuedTokens[0]!;
    assert.equal(await example().cli.output("token"), "[secret]");
    assert.equal(await example().cli.output("token", true), token);

    const [parameter] = example().aws.callsFor(PARAMETER_TYPE);
    assert.equal(parameter?.op, "create");
    assert.ok(isSecret(parameter.properties["value"]), "the SSM parameter got the token as a secret");
    assert.equal(reveal(parameter.properties["value"]), token);

    const exported = JSON.stringify(await example().cli.exportState());
    assert.ok(exported.includes(CREDENTIALS_TYPE), "the export holds the credentials");
    for (const [where, text] of [
      ["what the CLI printed", printed()],
      ["the backend's files", example().cli.backendText()],
      ["pulumi stack export", exported],
    ] as const) {
      assert.ok(!text.includes(token), `the token is in clear in ${where}`);
    }
  });

  it("passes a second up with --expect-no-changes, sending no request", async () => {
    const requests = await requestsDuring(() => example().cli.run(["up", "--yes", "--expect-no-changes"]));
    assert.deepEqual(requests, []);
  });

  it("previews a replacement because of renewAt once the clock passes it, minting nothing", async () => {
    const requests = await requestsDuring(async () => {
      const { output } = await example().cli.run(["preview", "--diff"], { env: clockMovedBy(PAST_RENEW_AT) });
      assert.match(output, /\+-pulumi-nodejs:dynamic\/emr-containers:ManagedEndpointSessionCredentials: \(replace\)/);
      // The engine does not display the names in `replaces`: the provider says why on standard error.
      assert.match(
        output,
        /ManagedEndpointSessionCredentials "notebook-session": replacing to mint a new token: renewAt \S+ has passed/,
      );
      assert.match(output, /\+-1 to replace/);
    });
    assert.deepEqual(requests, []);
  });

  it("renews on up create-before-delete, minting exactly one token, and the SSM parameter gets it", async () => {
    const oldToken = await storedToken();
    const requests = await requestsDuring(async () => {
      const { output } = await example().cli.run(["up", "--yes", "--skip-preview"], {
        env: clockMovedBy(PAST_RENEW_AT),
      });
      const created = output.indexOf("creating replacement");
      const deleted = output.indexOf("deleting original");
      assert.ok(created >= 0 && deleted > created, `replaced create-before-delete:\n${output}`);
    });
    assert.deepEqual(
      requests.map((r) => r.operation),
      ["GetManagedEndpointSessionCredentials"],
    );
    assert.equal(example().standIn.issuedTokens.length, 2);
    const newToken = example().standIn.issuedTokens[1]!;
    assert.notEqual(newToken, oldToken);
    assert.equal(await storedToken(), newToken);
    const parameterCalls = example().aws.callsFor(PARAMETER_TYPE);
    const last = parameterCalls[parameterCalls.length - 1];
    assert.equal(last?.op, "update", "the parameter was updated in the same up");
    assert.ok(isSecret(last.properties["value"]));
    assert.equal(reveal(last.properties["value"]), newToken);
    assert.equal((await example().cli.resources(CREDENTIALS_TYPE)).length, 1, "the old credentials are gone");
  });

  it("keeps the token on refresh", async () => {
    const token = await storedToken();
    const requests = await requestsDuring(() => example().cli.run(["refresh", "--yes"]));
    assert.deepEqual(requests, []);
    assert.equal(await storedToken(), token);
  });

  it("sends nothing to the service on destroy", async () => {
    const requests = await requestsDuring(() => example().cli.run(["destroy", "--yes"]));
    assert.deepEqual(requests, []);
    assert.deepEqual(await example().cli.resources(CREDENTIALS_TYPE), []);
    const parameterCalls = example().aws.callsFor(PARAMETER_TYPE);
    assert.equal(parameterCalls[parameterCalls.length - 1]?.op, "delete");
  });

  it("never shows a minted token in clear: not in any output, the backend's files or the export", async () => {
    const everything = [printed(), example().cli.backendText(), JSON.stringify(await example().cli.exportState())].join(
      "\n",
    );
    assert.equal(example().standIn.issuedTokens.length, 2);
    for (const token of example().standIn.issuedTokens) assert.ok(!everything.includes(token), "a token is in clear");
  });
});
