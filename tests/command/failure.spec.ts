import assert from "node:assert/strict";
import { pulumiErrorLine } from "../../command/failure";

describe("command: a failed pulumi command in one line", () => {
  it("takes the first error line, without its prefix", () => {
    assert.equal(
      pulumiErrorLine("warning: x\nerror: no stack named 'nope' found\nerror: later\n", "f"),
      "no stack named 'nope' found",
    );
  });

  it("finds it in the Automation API's error, after ' stderr: '", () => {
    const message = "code: 255\n stdout: \n stderr: error: no Pulumi.yaml project file found\n err?: \n";
    assert.equal(pulumiErrorLine(message, "f"), "no Pulumi.yaml project file found");
  });

  it("joins an error line ending in a colon with the line that says what it was", () => {
    const output = [
      "Diagnostics:",
      "  pulumi:pulumi:Stack (p-prod):",
      "    error: Running program '/p/index.js' failed with an unhandled exception:",
      "    Error: boom",
      "        at main (/p/index.js:1:1)",
    ].join("\n");
    assert.equal(
      pulumiErrorLine(output, "f"),
      "Running program '/p/index.js' failed with an unhandled exception: Error: boom",
    );
  });

  it("else takes the last line said, else the fallback", () => {
    assert.equal(pulumiErrorLine("first\nspawn pulumi EACCES\n\n", "f"), "spawn pulumi EACCES");
    assert.equal(pulumiErrorLine(" \n", "pulumi failed"), "pulumi failed");
  });
});
