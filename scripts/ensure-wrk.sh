#!/usr/bin/env bash
# The load benchmarks drive the ceiling and the hot paths with wrk, as issue 21 measured them: a C
# generator whose own CPU per request is a small fraction of a Python client's (bench/load/wrkdrive.py).
# Debian's package, installed when missing.
set -euo pipefail
if command -v wrk >/dev/null; then
    exit 0
fi
if [ "$(id -u)" != "0" ] && ! command -v sudo >/dev/null; then
    echo "wrk is missing: install Debian's 'wrk'." >&2
    exit 1
fi
SUDO=""
[ "$(id -u)" = "0" ] || SUDO="sudo"
echo "Installing Debian's wrk for the load benchmarks..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends wrk >/dev/null
