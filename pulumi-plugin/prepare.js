// Run by `npm install` in this directory, which Pulumi does before it first runs the plugin
// (`pulumi package add`, `pulumi install`, a plugin fetched from a git URL). Installed from npm,
// the package it serves is built already and this does nothing. Fetched from a git repository,
// where the compiled JavaScript is not committed, it builds the package one directory up (npm ci,
// then tsc), once.
const { execSync } = require("node:child_process");
const { existsSync } = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
if (!existsSync(path.join(root, "dist", "provider", "plugin", "serve.js"))) {
  execSync("npm ci --no-audit --no-fund && npx tsc -p tsconfig.json", { cwd: root, stdio: "inherit" });
}
