#!/usr/bin/env bash
# Vendor the book's one JavaScript library, MathJax 3 (typesets the math), from
# the npm registry into _static/vendor/ (ignored by git; Sphinx copies it into
# _build/html/_static/), so the built book works from any static host and with
# no network. (The static explorers need no widget manager.) `npm pack` fetches
# the package's tarball without its dependency tree. Only the files the pages
# load are kept.
#
# Runs from `make book`; does nothing when the pinned versions are already there.
# Without npm (or without the registry) it removes _static/vendor/, says so, and
# exits 0: the book's Sphinx extension (tools/book_site.py) then points the
# pages at MathJax's CDN instead.
set -euo pipefail
cd "$(dirname "$0")/.."

MATHJAX=mathjax@3.2.2
VENDOR=_static/vendor
STAMP="$VENDOR/VERSIONS"
PACKAGES="$MATHJAX"
LAYOUT=4  # bump when the files kept or their places change
WANT="$PACKAGES layout-$LAYOUT"

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ]; then
    echo "vendor: $PACKAGES already in $VENDOR"
    exit 0
fi

fallback() {
    rm -rf "$VENDOR"
    echo "vendor: $1"
    echo "vendor: the book will load MathJax from its CDN;"
    echo "vendor: it then needs the network to show math, and the browser test fails."
    exit 0
}

command -v npm >/dev/null 2>&1 || fallback "npm is not installed (install Node.js and npm to vendor them)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "vendor: npm pack $PACKAGES"
npm pack --silent --pack-destination "$work" $PACKAGES >"$work/pack.log" 2>&1 \
    || fallback "'npm pack' failed: $(tail -n 3 "$work/pack.log" | tr '\n' ' ')"

for tarball in "$work"/*.tgz; do
    name=$(basename "$tarball" .tgz)
    mkdir -p "$work/$name"
    tar -xzf "$tarball" -C "$work/$name"
done
mathjax="$work/mathjax-${MATHJAX#*@}/package"

rm -rf "$VENDOR"
mkdir -p "$VENDOR/mathjax"

# MathJax: startup.js and the components _config.yml's mathjax3_config loads
# (core, TeX input, CommonHTML output, assistive MathML), the TeX extensions
# that TeX input's autoload fetches on demand and the CommonHTML fonts. Not the
# contextual menu, MathML input or the speech rule engine, which no page loads.
cp "$mathjax/LICENSE" "$mathjax/es5/startup.js" "$mathjax/es5/core.js" "$VENDOR/mathjax/"
mkdir -p "$VENDOR/mathjax/input" "$VENDOR/mathjax/output" "$VENDOR/mathjax/a11y"
cp "$mathjax/es5/input/tex.js" "$VENDOR/mathjax/input/"
cp "$mathjax/es5/output/chtml.js" "$VENDOR/mathjax/output/"
cp "$mathjax/es5/a11y/assistive-mml.js" "$VENDOR/mathjax/a11y/"
for part in input/tex/extensions output/chtml/fonts/woff-v2 output/chtml/fonts/tex.js; do
    mkdir -p "$(dirname "$VENDOR/mathjax/$part")"
    cp -R "$mathjax/es5/$part" "$VENDOR/mathjax/$part"
done
# Every TeX extension in one file (215 kB): only a configuration that names it loads it.
rm "$VENDOR/mathjax/input/tex/extensions/all-packages.js"

echo "$WANT" >"$STAMP"
echo "vendor: $PACKAGES into $VENDOR ($(du -sh "$VENDOR" | cut -f1))"
