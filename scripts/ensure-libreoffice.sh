#!/usr/bin/env bash
# The report export test converts the XLSX with LibreOffice Calc, as a reviewer's office suite
# would open it (Debian's headless Calc, no desktop).
set -euo pipefail
if command -v soffice >/dev/null; then
    exit 0
fi
if [ "$(id -u)" != "0" ] && ! command -v sudo >/dev/null; then
    echo "LibreOffice is missing: install Debian's 'libreoffice-calc-nogui' package." >&2
    exit 1
fi
SUDO=""
[ "$(id -u)" = "0" ] || SUDO="sudo"
echo "Installing Debian's headless LibreOffice Calc for the export tests..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    libreoffice-calc-nogui >/dev/null
