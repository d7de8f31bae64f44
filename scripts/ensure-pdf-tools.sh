#!/usr/bin/env bash
# The certificate tests read the PDF with the tools a reader has: poppler-utils (pdffonts,
# pdftotext, pdftoppm), as a PDF/A checker would, and ZBar's zbarimg for the QR code, as a
# phone's scanner would. Debian's packages, installed when missing.
set -euo pipefail
if command -v pdffonts >/dev/null && command -v pdftotext >/dev/null \
    && command -v pdftoppm >/dev/null && command -v zbarimg >/dev/null; then
    exit 0
fi
if [ "$(id -u)" != "0" ] && ! command -v sudo >/dev/null; then
    echo "pdffonts or zbarimg is missing: install Debian's 'poppler-utils' and 'zbar-tools'." >&2
    exit 1
fi
SUDO=""
[ "$(id -u)" = "0" ] || SUDO="sudo"
echo "Installing Debian's poppler-utils and zbar-tools for the certificate tests..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    poppler-utils zbar-tools >/dev/null
