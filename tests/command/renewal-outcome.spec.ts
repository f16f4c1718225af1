import assert from "node:assert/strict";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { outcomeAfterUpdate, replacedCredentials } from "../../command/renewal-outcome";
import { CREDENTIALS_TYPE } from "../../provider/dynamic/type-token";
import { PLUGIN_CREDENTIALS_TYPE } from "../../provider/plugin/type-token";

const urn = (name: string, type = CREDENTIALS_TYPE) => `urn:pulumi:s1::p::${type}::${name}`;
/** A step's outputs event, as the engine reports a step that completed. */
const completed = (op: string, type: string, name: string): EngineEvent =>
  ({
    sequence: 0,
    timestamp: 0,
    resOutputsEvent: { metadata: { op, type, urn: urn(name, type), provider: "", old: undefined, new: undefined } },
  }) as unknown as EngineEvent;
const named = (name: string, type = CREDENTIALS_TYPE) => ({ name, urn: urn(name, type) });

describe("command: what this run's update did", () => {
  it("names the credentials of either face whose replacement the update created, once each", () => {
    const events = [
      { sequence: 1, timestamp: 0, resourcePreEvent: {} } as unknown as EngineEvent,
      completed("same", CREDENTIALS_TYPE, "kept"),
      completed("create-replacement", CREDENTIALS_TYPE, "a"),
      completed("replace", CREDENTIALS_TYPE, "a"),
      completed("create-replacement", PLUGIN_CREDENTIALS_TYPE, "b"),
      completed("create-replacement", "pulumi-nodejs:dynamic:Resource", "consumer"),
      completed("update", "pulumi-nodejs:dynamic:Resource", "consumer"),
      completed("delete-replaced", CREDENTIALS_TYPE, "a"),
      completed("create-replacement", CREDENTIALS_TYPE, "a"),
    ];
    assert.deepEqual(replacedCredentials(events), [named("a"), named("b", PLUGIN_CREDENTIALS_TYPE)]);
    assert.deepEqual(replacedCredentials([completed("create", CREDENTIALS_TYPE, "new")]), []);
  });

  it("is renewed, naming what this run replaced, when nothing is due any more", () => {
    assert.deepEqual(outcomeAfterUpdate("s1", [named("a"), named("b")], [named("a")], []), {
      stack: "s1",
      outcome: "renewed",
      credentials: [named("a")],
    });
  });

  it("is already renewed when this run replaced nothing and nothing is due any more", () => {
    assert.deepEqual(outcomeAfterUpdate("s1", [named("a")], [], []), {
      stack: "s1",
      outcome: "already renewed",
      credentials: [named("a")],
    });
  });

  it("fails, naming them, while credentials are still due after the update", () => {
    assert.deepEqual(outcomeAfterUpdate("s1", [named("a"), named("b")], [named("a")], [named("b")]), {
      stack: "s1",
      outcome: "failed",
      credentials: [named("a"), named("b")],
      error: "the up succeeded but b kept the old token",
    });
  });
});
