#!/usr/bin/env bash
# The certificate tests read the PDF with poppler-utils (pdffonts, pdftotext), as a PDF/A
# checker or a reader's tools would: Debian's package, installed when missing.
set -euo pipefail
if command -v pdffonts >/dev/null && command -v pdftotext >/dev/null; then
    exit 0
fi
if [ "$(id -u)" != "0" ] && ! command -v sudo >/dev/null; then
    echo "pdffonts is missing: install Debian's 'poppler-utils' package." >&2
    exit 1
fi
SUDO=""
[ "$(id -u)" = "0" ] || SUDO="sudo"
echo "Installing Debian's poppler-utils for the certificate tests..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    poppler-utils >/dev/null
