#!/usr/bin/env bash
# Make Debian's Chromium available for the browser tests.
#
# Prints the path of the browser on its last line and exits 0 when it is there
# (already installed, or installed now with apt-get as root). Exits 1 with the
# reason on stderr when it cannot be had (not root, no apt-get, install failed);
# callers skip their browser test with that reason, never silently.
#
# Override the browser with CHROMIUM=/path/to/chromium.
set -u

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

# With --cjk-font (make browser, which saves screenshots): also a CJK font, Debian's
# fonts-noto-cjk, for the Chinese edition's screenshots. The tests do not need it (make test
# does not ask for it); without it a screenshot shows boxes for Chinese characters.
cjk_font() {
    [ "${1:-}" = "--cjk-font" ] || return 0
    if command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh 2>/dev/null | head -n 1)" ]; then
        return 0
    fi
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        echo "chromium: no CJK font; apt-get install -y --no-install-recommends fonts-noto-cjk" >&2
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
            --no-install-recommends fonts-noto-cjk >&2 \
            || echo "chromium: fonts-noto-cjk could not be installed: Chinese shows as boxes in screenshots" >&2
    else
        echo "chromium: no CJK font (Debian: fonts-noto-cjk): Chinese shows as boxes in screenshots" >&2
    fi
}

if [ -x "$CHROMIUM" ]; then
    echo "chromium: found $CHROMIUM" >&2
    cjk_font "${1:-}"
    echo "$CHROMIUM"
    exit 0
fi
if [ "$(id -u)" != "0" ]; then
    echo "chromium: $CHROMIUM is missing and we are not root; install Debian's 'chromium' package (sudo apt-get install chromium) or set CHROMIUM" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "chromium: $CHROMIUM is missing and this machine has no apt-get; install Chromium and set CHROMIUM to its path" >&2
    exit 1
fi

echo "chromium: $CHROMIUM is missing; installing Debian's 'chromium' package" >&2
# Wait for another apt-get (a second test run, say) instead of failing on its lock.
APT=(apt-get -o DPkg::Lock::Timeout=600)
echo "chromium: apt-get update" >&2
if ! DEBIAN_FRONTEND=noninteractive "${APT[@]}" update -qq >&2; then
    echo "chromium: 'apt-get update' failed (no access to Debian's package archive?)" >&2
    exit 1
fi
echo "chromium: apt-get install -y --no-install-recommends chromium fonts-dejavu-core" >&2
if ! DEBIAN_FRONTEND=noninteractive "${APT[@]}" install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2; then
    echo "chromium: 'apt-get install chromium' failed" >&2
    exit 1
fi
if [ ! -x "$CHROMIUM" ]; then
    echo "chromium: installed the package but $CHROMIUM is still missing" >&2
    exit 1
fi
echo "chromium: installed $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")" >&2
cjk_font "${1:-}"
echo "$CHROMIUM"
