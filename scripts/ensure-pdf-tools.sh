#!/usr/bin/env bash
# The certificate tests read the PDF with the tools a reader has: poppler-utils (pdffonts,
# pdftotext, pdftoppm, pdfsig), as a PDF/A checker would, and ZBar's zbarimg for the QR code, as
# a phone's scanner would. They sign through a PKCS#11 token too: SoftHSM2's software token
# (softhsm2-util and its module). Debian's packages, installed when missing.
set -euo pipefail
if command -v pdffonts >/dev/null && command -v pdftotext >/dev/null \
    && command -v pdftoppm >/dev/null && command -v pdfsig >/dev/null \
    && command -v zbarimg >/dev/null && command -v softhsm2-util >/dev/null; then
    exit 0
fi
if [ "$(id -u)" != "0" ] && ! command -v sudo >/dev/null; then
    echo "pdffonts, zbarimg or softhsm2-util is missing: install Debian's 'poppler-utils'," \
        "'zbar-tools' and 'softhsm2'." >&2
    exit 1
fi
SUDO=""
[ "$(id -u)" = "0" ] || SUDO="sudo"
echo "Installing Debian's poppler-utils, zbar-tools and softhsm2 for the certificate tests..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    poppler-utils zbar-tools softhsm2 >/dev/null
