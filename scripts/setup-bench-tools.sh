#!/usr/bin/env bash
# `npm run setup:bench` (the first step of `npm run bench`): installs what the benchmark needs
# beside npm's packages, where it is missing: the AWS CLI v1 from PyPI, the route a user would
# otherwise take to mint a token, which the benchmark times against `pulumi up`. It goes into a
# virtual environment of its own under .bench-tools/ (gitignored), so that its pinned botocore
# does not replace the one the tests need (see setup-test-tools.sh).
#
# When it cannot be installed, it says so; under CI=true that fails, elsewhere the benchmark runs
# and prints the AWS CLI figure as missing.
set -euo pipefail

# The newest awscli on PyPI here; it carries `emr-containers get-managed-endpoint-session-credentials`.
AWSCLI_VERSION=1.46.3

root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.bench-tools/awscli"

say() { printf 'setup:bench: %s\n' "$*" >&2; }

installed() { "$venv/bin/aws" --version 2>&1 | grep -q "^aws-cli/$AWSCLI_VERSION "; }

if ! installed; then
  say "installing awscli==$AWSCLI_VERSION (pip, into $venv)"
  rm -rf "$venv"
  if ! { python3 -m venv "$venv" &&
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "awscli==$AWSCLI_VERSION" &&
    installed; }; then
    rm -rf "$venv"
    say "error: could not install awscli==$AWSCLI_VERSION; the benchmark cannot time the AWS CLI"
    if [ "${CI:-}" = true ]; then exit 1; fi
  fi
fi
