#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (Playwright cannot download its own browsers here).
set -euo pipefail
cd "$(dirname "$0")/.."

# axe-core, the accessibility checker the browser tests inject into each page they look at (from
# npm, pinned; only the tests load it, the app never serves it).
AXE_VERSION="4.10.2"
AXE_DIR="tests/browser/.axe"
ensure_axe() {
    if [ -f "$AXE_DIR/node_modules/axe-core/axe.min.js" ] \
        && grep -q "\"version\": \"$AXE_VERSION\"" "$AXE_DIR/node_modules/axe-core/package.json"; then
        return 0
    fi
    if ! command -v npm >/dev/null; then
        install_packages npm
    fi
    npm install --silent --no-audit --no-fund --prefix "$AXE_DIR" "axe-core@$AXE_VERSION" >/dev/null
}

install_packages() {
    if [ "$(id -u)" != "0" ] && ! command -v sudo >/dev/null; then
        echo "Missing: install Debian's '$*' package(s) (apt-get install $*)." >&2
        exit 1
    fi
    local sudo=""
    [ "$(id -u)" = "0" ] || sudo="sudo"
    echo "Installing Debian's $* for the browser tests..."
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

if [ ! -x /usr/bin/chromium ]; then
    install_packages chromium
fi
ensure_axe
exit 0
