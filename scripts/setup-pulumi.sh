#!/usr/bin/env bash
# `npm run setup:pulumi`: finds or builds the real Pulumi CLI, its language hosts (Node.js, Python,
# Go, YAML) and the dynamic-provider plugin launcher, and prints, as its last line, the directory
# holding them.
#
#   bash scripts/setup-pulumi.sh                  the pulumi on PATH if supported, else build PULUMI_VERSION
#   bash scripts/setup-pulumi.sh --version X.Y.Z  build (or reuse the build of) exactly vX.Y.Z; PATH is ignored
#   bash scripts/setup-pulumi.sh --floor          the same for PULUMI_FLOOR, the oldest supported CLI
#
# A `pulumi` on PATH at PULUMI_FLOOR or later, with a `pulumi-language-nodejs` beside it or on PATH
# (as Pulumi's installer lays them out), is used as it is, with whichever of its Python, Go and YAML
# hosts it has. Otherwise everything is built with `go build` from the Go module proxy:
# - `pulumi` (CLI and engine) from github.com/pulumi/pulumi/pkg/v3 at PULUMI_VERSION (v3.274.1);
# - the Node.js, Python and Go language hosts of Pulumi v3.259.0 from their sources in
#   ../shared/pulumi-language-hosts, where that directory is beside the repository (the proxy does
#   not serve their modules); without it, or for a CLI older than those hosts (the floor), the
#   Node.js host of github.com/pulumi/pulumi/sdk/v3 v3.68.0, the last release that carried it as a
#   package (it cannot run PulumiPlugin.yaml plugins), and no Python or Go host;
# - for a CLI of v3.259.0 or later, the YAML language host from github.com/pulumi/pulumi-yaml at
#   YAML_HOST_VERSION (v1.25.0).
# The binaries go to .pulumi-cli/v<version>/bin (gitignored), with a file `hosts` saying which
# hosts were built; Go's module and build caches are its usual ones, so a second build, from a
# fresh clone, takes seconds to a minute rather than minutes.
set -euo pipefail

# The CLI built from source when no supported pulumi is on PATH.
PULUMI_VERSION=3.274.1
# The oldest CLI this package supports: the oldest whose up, renewal and destroy the tests run (the
# compatibility matrix's floor cell builds it with --floor). The same release as the floor of the
# peer range of @pulumi/pulumi (^3.142.0).
PULUMI_FLOOR=3.142.0
# The release of the language host sources in ../shared/pulumi-language-hosts: built for CLIs of
# that release or later.
HOSTS_RELEASE=3.259.0
# The Node.js language host built otherwise: for an older CLI, or where ../shared is missing.
LANGUAGE_HOST_VERSION=3.68.0
YAML_HOST_VERSION=1.25.0
GO_MINIMUM=1.25.11
CLIPBOARD_REPLACE='github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e'

say() { printf 'setup:pulumi: %s\n' "$*" >&2; }
fail() {
  say "error: $*"
  exit 1
}

exact=
case "${1:-}" in
  "") ;;
  --floor) exact=$PULUMI_FLOOR ;;
  --version)
    exact=${2:-}
    exact=${exact#v}
    [[ "$exact" =~ ^3\.[0-9]+\.[0-9]+$ ]] || fail "--version needs a pulumi 3 release, such as $PULUMI_FLOOR (got '${2:-}')"
    ;;
  *) fail "unknown argument '$1' (usage: setup-pulumi.sh [--version X.Y.Z | --floor])" ;;
esac
[ -n "$exact" ] && PULUMI_VERSION=$exact

root=$(cd "$(dirname "$0")/.." && pwd)
# Pulumi v3.259.0's language host sources and their build.sh, where this workplace lays them.
hosts_source="$(dirname "$root")/shared/pulumi-language-hosts"
cache="$root/.pulumi-cli"
bin="$cache/v$PULUMI_VERSION/bin"

# True when version $1 is at least $2 (both dotted, without a leading v).
at_least() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" = "$2" ]; }

# The launcher `pulumi-resource-pulumi-nodejs` the engine starts for dynamic providers: Pulumi's
# dynamic-provider host from the @pulumi/pulumi that the program's directory resolves.
write_launcher() {
  cat >"$1/pulumi-resource-pulumi-nodejs" <<'EOF'
#!/bin/sh
exec node "$(node -e "process.stdout.write(require.resolve('@pulumi/pulumi/cmd/dynamic-provider'))")" "$@"
EOF
  chmod +x "$1/pulumi-resource-pulumi-nodejs"
}

# Runs `$@` in the background, printing a dot every 5 s, so that a long step never looks like a hang.
with_progress() {
  local log=$1 started=$SECONDS
  shift
  "$@" >"$log" 2>&1 &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 5
    kill -0 "$pid" 2>/dev/null && printf '.' >&2
  done
  printf ' %ss\n' "$((SECONDS - started))" >&2
  wait "$pid" || {
    tail -n 30 "$log" >&2
    return 1
  }
}

# Builds Go package $2 at version $3 into $4, from a wrapper module in $1 (needed because the
# modules' own replace directives rule out `go install pkg@version`), with linker flags $5.
go_build() {
  local dir=$1 package=$2 version=$3 out=$4 ldflags=${5:-}
  mkdir -p "$dir"
  printf 'module local/build\n\ngo %s\n\nreplace %s\n' "$GO_MINIMUM" "$CLIPBOARD_REPLACE" >"$dir/go.mod"
  (
    cd "$dir"
    export GOTOOLCHAIN=local GOFLAGS=-mod=mod
    go get "$package@$version" && go build -trimpath -ldflags "$ldflags" -o "$out" "$package"
  )
}

on_path=$(command -v pulumi || true)
case "$on_path" in "$cache"/*) on_path= ;; esac # a build of this script's own, put on PATH
if [ -z "$exact" ] && [ -n "$on_path" ]; then
  found=$("$on_path" version 2>/dev/null | sed 's/^v//' || true)
  host=$(command -v pulumi-language-nodejs || true)
  [ -x "$(dirname "$on_path")/pulumi-language-nodejs" ] && host="$(dirname "$on_path")/pulumi-language-nodejs"
  if [ -n "$found" ] && at_least "$found" "$PULUMI_FLOOR" && [ -n "$host" ]; then
    say "using pulumi v$found on PATH ($on_path)"
    bin="$cache/path/bin"
    rm -rf "$bin"
    mkdir -p "$bin"
    ln -sf "$on_path" "$bin/pulumi"
    ln -sf "$host" "$bin/pulumi-language-nodejs"
    missing=()
    for language in python go yaml; do
      other=$(command -v "pulumi-language-$language" || true)
      [ -x "$(dirname "$on_path")/pulumi-language-$language" ] && other="$(dirname "$on_path")/pulumi-language-$language"
      if [ -n "$other" ]; then
        ln -sf "$other" "$bin/pulumi-language-$language"
        [ "$language" = python ] && [ -x "$(dirname "$other")/pulumi-language-python-exec" ] &&
          ln -sf "$(dirname "$other")/pulumi-language-python-exec" "$bin/pulumi-language-python-exec"
      else
        missing+=("$language")
      fi
    done
    [ ${#missing[@]} -eq 0 ] || say "it has no language host for ${missing[*]}: the tests of programs in those languages will say so"
    write_launcher "$bin"
    echo "$bin"
    exit 0
  fi
  if [ -z "$host" ]; then
    say "not using the pulumi on PATH ($on_path): it has no pulumi-language-nodejs beside it or on PATH"
  elif [ -z "$found" ]; then
    say "not using the pulumi on PATH ($on_path): it does not report its version"
  else
    say "not using the pulumi on PATH ($on_path, v$found): it is older than v$PULUMI_FLOOR, the oldest this package supports (upgrade it: https://www.pulumi.com/docs/install/)"
  fi
fi

# Which language hosts a build provides: for a CLI of HOSTS_RELEASE or later, Pulumi's v3.259.0
# Node.js, Python and Go hosts from ../shared where it is (else the old Node.js host alone) and
# YAML's; for an older CLI (the floor), the old Node.js host alone: the newer hosts do not start
# under it ("failed to load language plugin nodejs"). Recorded in $bin/hosts, so that a build made
# before ../shared was there is completed once it is; a build that has every host is kept as it is
# where ../shared is out of sight (the demo's test runs the repository as another user, elsewhere).
all_hosts="nodejs-python-go-v$HOSTS_RELEASE yaml-v$YAML_HOST_VERSION"
if ! at_least "$PULUMI_VERSION" "$HOSTS_RELEASE"; then
  hosts="nodejs-v$LANGUAGE_HOST_VERSION"
elif [ -x "$hosts_source/build.sh" ]; then
  hosts=$all_hosts
else
  hosts="nodejs-v$LANGUAGE_HOST_VERSION yaml-v$YAML_HOST_VERSION"
fi
built_hosts=$(cat "$bin/hosts" 2>/dev/null || true)
if [ -x "$bin/pulumi" ] && [ -x "$bin/pulumi-resource-pulumi-nodejs" ] &&
  { [ "$built_hosts" = "$hosts" ] || { [ "$hosts" != "nodejs-v$LANGUAGE_HOST_VERSION" ] && [ "$built_hosts" = "$all_hosts" ]; }; }; then
  say "pulumi v$PULUMI_VERSION already built, with the language hosts $built_hosts"
  echo "$bin"
  exit 0
fi

no_go="put pulumi v$PULUMI_FLOOR or later on PATH (https://www.pulumi.com/docs/install/), or install Go $GO_MINIMUM or later (https://go.dev/doc/install) to build one"
[ -n "$exact" ] && no_go="install Go $GO_MINIMUM or later (https://go.dev/doc/install) to build it"
command -v go >/dev/null || fail "no supported pulumi on PATH and Go is not installed: $no_go."
go_version=$(go env GOVERSION | sed 's/^go//')
at_least "$go_version" "$GO_MINIMUM" || fail "Go $go_version is too old: pulumi v$PULUMI_VERSION needs Go $GO_MINIMUM or later."

mkdir -p "$bin"
logs="$cache/v$PULUMI_VERSION"
if [ ! -x "$bin/pulumi" ]; then
  # Newer CLIs read their version from sdk/v3/go/common/version, older ones (v3.142.0) from
  # pkg/v3/version: set both; the linker ignores a variable a release lacks.
  say "building pulumi v$PULUMI_VERSION (CLI and engine) with Go $go_version; cold, this downloads about 2 GB of modules and compiles for several minutes"
  with_progress "$logs/build-cli.log" go_build "$cache/v$PULUMI_VERSION/src/cli" \
    github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "v$PULUMI_VERSION" "$bin/pulumi" \
    "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION -X github.com/pulumi/pulumi/pkg/v3/version.Version=v$PULUMI_VERSION" ||
    fail "building the CLI failed (log: $logs/build-cli.log)"
fi
rm -f "$bin/hosts" "$bin/pulumi-language-python" "$bin/pulumi-language-python-exec" "$bin/pulumi-language-go" "$bin/pulumi-language-yaml"
case "$hosts" in
  nodejs-python-go-*)
    say "building the Node.js, Python and Go language hosts of Pulumi v$HOSTS_RELEASE from $hosts_source"
    with_progress "$logs/build-language-hosts.log" bash "$hosts_source/build.sh" "$bin" nodejs python go ||
      fail "building the language hosts failed (log: $logs/build-language-hosts.log)"
    ;;
  *)
    if at_least "$PULUMI_VERSION" "$HOSTS_RELEASE"; then
      say "no $hosts_source beside the repository: building the Node.js language host of sdk v$LANGUAGE_HOST_VERSION, which cannot run provider plugins, and no Python or Go host"
    else
      say "building the Node.js language host of sdk v$LANGUAGE_HOST_VERSION, the one that starts under pulumi v$PULUMI_VERSION (the v$HOSTS_RELEASE hosts need a CLI of v$HOSTS_RELEASE or later)"
    fi
    with_progress "$logs/build-language-host.log" go_build "$cache/v$PULUMI_VERSION/src/language-host" \
      github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs "v$LANGUAGE_HOST_VERSION" "$bin/pulumi-language-nodejs" ||
      fail "building the language host failed (log: $logs/build-language-host.log)"
    ;;
esac
case "$hosts" in
  *yaml-*)
    say "building pulumi-language-yaml v$YAML_HOST_VERSION"
    with_progress "$logs/build-yaml-host.log" env GOTOOLCHAIN=local GOFLAGS=-mod=mod GOBIN="$bin" \
      go install "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v$YAML_HOST_VERSION" ||
      fail "building the YAML language host failed (log: $logs/build-yaml-host.log)"
    ;;
esac
write_launcher "$bin"
echo "$hosts" >"$bin/hosts"
say "built $("$bin/pulumi" version) with the language hosts $hosts"
echo "$bin"
