import assert from "node:assert/strict";
import { busyMessage, describeHolders, stackLocked } from "../../command/stack-lock";

/** The file backend's refusal, as the Automation API's error for `pulumi up` carries it. */
const DIY_REFUSAL = [
  "code: 255",
  " stdout: ",
  " stderr: error: the stack is currently locked by 2 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.",
  "  file:///tmp/b/.pulumi/locks/organization/emr-renewal/s1/1d7c.json: created by ci@runner-7 (pid 4242) at 2026-11-25T10:00:00Z",
  "  file:///tmp/b/.pulumi/locks/organization/emr-renewal/s1/9e01.json: created by ana@laptop.local (pid 17) at 2026-11-25T10:00:01+01:00",
  "",
].join("\n");

describe("command: a stack locked by another update", () => {
  it("reads each holder of the file and S3-style backends' lock: owner, pid and since when", () => {
    assert.deepEqual(stackLocked(DIY_REFUSAL), {
      holders: [
        { owner: "ci@runner-7", pid: 4242, since: "2026-11-25T10:00:00Z" },
        { owner: "ana@laptop.local", pid: 17, since: "2026-11-25T10:00:01+01:00" },
      ],
    });
  });

  it("names each holder once, though the Automation API's error repeats the CLI's output", () => {
    assert.deepEqual(stackLocked(`${DIY_REFUSAL}\n err?: Error: ${DIY_REFUSAL}`), stackLocked(DIY_REFUSAL));
  });

  it("knows Pulumi Cloud's conflict, which names no holder, and a lock that vanished while it was read", () => {
    assert.deepEqual(stackLocked("error: [409] Conflict: Another update is currently in progress."), { holders: [] });
    const vanished =
      'error: blob (key ".pulumi/locks/organization/emr-renewal/s1/1d7c.json") (code=NotFound): open /tmp/b/.pulumi/locks/organization/emr-renewal/s1/1d7c.json: no such file or directory';
    assert.deepEqual(stackLocked(vanished), { holders: [] });
  });

  it("is undefined for any other failure", () => {
    for (const output of [
      "error: Running program '/p' failed with an unhandled exception:",
      'error: blob (key ".pulumi/stacks/emr-renewal/s1.json") (code=NotFound): open: no such file or directory',
      "error: no stack named 's9' found",
    ])
      assert.equal(stackLocked(output), undefined, output);
  });

  it("names the holders for a person, and says when the backend names none", () => {
    assert.equal(
      describeHolders(stackLocked(DIY_REFUSAL)!),
      "ci@runner-7, pid 4242, since 2026-11-25T10:00:00Z; ana@laptop.local, pid 17, since 2026-11-25T10:00:01+01:00",
    );
    assert.equal(describeHolders({ holders: [] }), "another update (the backend does not say whose)");
  });

  it("says busy in one line naming the holder and the wait, warns off pulumi cancel, and never passes on Pulumi's advice", () => {
    const message = busyMessage({ holders: [{ owner: "ci@runner-7", pid: 4242, since: "2026-11-25T10:00:00Z" }] }, 600);
    assert.equal(message.split("\n").length, 1);
    assert.match(
      message,
      /^another update holds the stack: ci@runner-7, pid 4242, since 2026-11-25T10:00:00Z; still held after waiting 10m \(--wait\)\. /,
    );
    assert.match(message, /Do not run pulumi cancel while that update is alive/);
    assert.doesNotMatch(message, /delete the lock file/);
    assert.match(busyMessage({ holders: [] }, 0), /another update \(the backend does not say whose\); --wait 0\./);
  });
});
