#!/usr/bin/env bash
# Installs what the tests need beside npm's packages, where it is missing: Debian's faketime (the
# end-to-end tests move the clock of Pulumi's Node processes with it), botocore from PyPI (the
# property tests of `check` judge it by the service's own model, which ships in botocore) and
# moto's server from PyPI (an independent emulator of SSM and Secrets Manager, for the tests of
# `deliverTo`).
set -euo pipefail

BOTOCORE_VERSION=1.43.11
MOTO_VERSION=5.2.5
LIBFAKETIME=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1

say() { printf 'setup:tools: %s\n' "$*" >&2; }

if [ ! -e "$LIBFAKETIME" ]; then
  [ "$(id -u)" = 0 ] || { say "error: faketime is missing; install it: sudo apt-get install faketime"; exit 1; }
  say "installing faketime (apt-get)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime >/dev/null
fi

# Both pinned in one pip run, so that installing one never moves the other.
has_version() { python3 -c "import $1, sys; sys.exit($1.__version__ != '$2')" 2>/dev/null; }
if ! has_version botocore "$BOTOCORE_VERSION" || ! has_version moto "$MOTO_VERSION" || ! command -v moto_server >/dev/null; then
  say "installing botocore==$BOTOCORE_VERSION and moto[server]==$MOTO_VERSION (pip)"
  python3 -m pip install --quiet --disable-pip-version-check "botocore==$BOTOCORE_VERSION" "moto[server]==$MOTO_VERSION"
fi
