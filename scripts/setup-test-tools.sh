#!/usr/bin/env bash
# Installs what the tests need beside npm's packages, where it is missing: Debian's faketime (the
# end-to-end tests move the clock of Pulumi's Node processes with it) and botocore from PyPI (the
# property tests of `check` judge it by the service's own model, which ships in botocore).
set -euo pipefail

BOTOCORE_VERSION=1.43.11
LIBFAKETIME=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1

say() { printf 'setup:tools: %s\n' "$*" >&2; }

if [ ! -e "$LIBFAKETIME" ]; then
  [ "$(id -u)" = 0 ] || { say "error: faketime is missing; install it: sudo apt-get install faketime"; exit 1; }
  say "installing faketime (apt-get)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime >/dev/null
fi

if ! python3 -c "import botocore, sys; sys.exit(botocore.__version__ != '$BOTOCORE_VERSION')" 2>/dev/null; then
  say "installing botocore==$BOTOCORE_VERSION (pip)"
  python3 -m pip install --quiet --disable-pip-version-check "botocore==$BOTOCORE_VERSION"
fi
