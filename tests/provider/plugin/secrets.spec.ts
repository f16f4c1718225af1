import assert from "node:assert/strict";
import { revealed, withSecrets } from "../../../provider/plugin/secrets";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const secret = (value: unknown) => ({ [SIG]: SECRET_SIG, value });

describe("the plugin's secrets: wrapped on the protocol, plain for the lifecycle", () => {
  it("unwraps secrets at any depth and names the top-level properties that held one", () => {
    const { plain, secretNames } = revealed({
      clientToken: secret("pinned-token"),
      deliverTo: { secretsManagerSecret: { secretId: secret("arn:aws:secretsmanager:us-west-2:1:secret:x") } },
      triggers: { a: "1" },
      region: "us-west-2",
    });
    assert.deepEqual(plain, {
      clientToken: "pinned-token",
      deliverTo: { secretsManagerSecret: { secretId: "arn:aws:secretsmanager:us-west-2:1:secret:x" } },
      triggers: { a: "1" },
      region: "us-west-2",
    });
    assert.deepEqual(secretNames.sort(), ["clientToken", "deliverTo"]);
  });

  it("unwraps a secret inside a secret, and leaves plain values and the unknown sentinel alone", () => {
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    const { plain, secretNames } = revealed({ a: secret(secret("x")), b: unknown, c: [secret(1), 2] });
    assert.deepEqual(plain, { a: "x", b: unknown, c: [1, 2] });
    assert.deepEqual(secretNames.sort(), ["a", "c"]);
  });

  it("wraps the named properties it has as secrets, and only those", () => {
    assert.deepEqual(
      withSecrets({ token: "t", expiresAt: "e", deliverTo: { x: 1 } }, ["token", "deliverTo", "absent"]),
      {
        token: secret("t"),
        expiresAt: "e",
        deliverTo: secret({ x: 1 }),
      },
    );
  });
});
