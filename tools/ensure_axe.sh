#!/usr/bin/env bash
# Make axe-core (the accessibility checker tests/browser injects into every page)
# available in tests/browser/axe/node_modules/, from the npm registry, at the
# version tests/browser/axe/package-lock.json pins. Test-only: it is never copied
# into _static/ or the built book.
#
# Prints the path of axe.min.js on its last line and exits 0 when it is there
# (already installed at the locked version, or installed now with `npm ci`).
# Exits 1 with the reason on stderr when it cannot be had (no npm, no registry);
# the browser test then says so and fails in CI (CI=true), or skips elsewhere.
set -u
cd "$(dirname "$0")/../tests/browser/axe"

AXE=node_modules/axe-core/axe.min.js
want=$(sed -n 's/^ *"axe-core": "\(.*\)".*/\1/p' package.json)
have=$(sed -n 's/^ *"version": "\(.*\)".*/\1/p' node_modules/axe-core/package.json 2>/dev/null | head -n 1)

if [ -f "$AXE" ] && [ "$have" = "$want" ]; then
    echo "axe: axe-core $have found" >&2
    echo "$PWD/$AXE"
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "axe: npm is not installed, so axe-core $want cannot be installed (install Node.js and npm)" >&2
    exit 1
fi
echo "axe: npm ci (axe-core $want into tests/browser/axe/node_modules/)" >&2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! npm ci --no-audit --no-fund --loglevel=error >"$log" 2>&1; then
    echo "axe: 'npm ci' failed: $(tail -n 3 "$log" | tr '\n' ' ')" >&2
    exit 1
fi
echo "$PWD/$AXE"
