#!/usr/bin/env bash
# Vendor the book's three JavaScript libraries from the npm registry into
# _static/vendor/ (ignored by git; Sphinx copies it into _build/html/_static/),
# so the built book works from any static host and with no network:
#   MathJax 3 (typesets the math), @jupyter-widgets/html-manager (renders the
#   saved widget state of the explorers) and RequireJS (which that manager needs).
# `npm pack` fetches each package's tarball without its dependency tree. Only
# the files the pages load are kept.
#
# Runs from `make book`; does nothing when the pinned versions are already there.
# Without npm (or without the registry) it removes _static/vendor/, says so, and
# exits 0: the book's Sphinx extension (tools/book_assets.py) then points the
# pages at the libraries' CDNs instead.
set -euo pipefail
cd "$(dirname "$0")/.."

MATHJAX=mathjax@3.2.2
HTML_MANAGER=@jupyter-widgets/html-manager@1.0.15
REQUIREJS=requirejs@2.3.8
VENDOR=_static/vendor
STAMP="$VENDOR/VERSIONS"
PACKAGES="$MATHJAX $HTML_MANAGER $REQUIREJS"
LAYOUT=2  # bump when the files kept or their places change
WANT="$PACKAGES layout-$LAYOUT"

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ]; then
    echo "vendor: $PACKAGES already in $VENDOR"
    exit 0
fi

fallback() {
    rm -rf "$VENDOR"
    echo "vendor: $1"
    echo "vendor: the book will load MathJax, RequireJS and the widget manager from their CDNs;"
    echo "vendor: it then needs the network to show math and explorers, and the browser test fails."
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
manager="$work/jupyter-widgets-html-manager-${HTML_MANAGER##*@}/package"
requirejs="$work/requirejs-${REQUIREJS#*@}/package"

rm -rf "$VENDOR"
mkdir -p "$VENDOR/mathjax" "$VENDOR/html-manager/dist" "$VENDOR/requirejs"

# MathJax: the TeX+MathML→CommonHTML bundle Sphinx loads, and the components it
# loads on demand (TeX extensions, fonts, accessibility, menu). Not the speech
# rule engine (sre/, 4 MB), which loads only when a reader turns on speech.
cp "$mathjax/LICENSE" "$mathjax/es5/tex-mml-chtml.js" "$VENDOR/mathjax/"
for part in input/tex/extensions output/chtml/fonts/woff-v2 a11y ui adaptors; do
    mkdir -p "$VENDOR/mathjax/$part"
    cp -R "$mathjax/es5/$part/." "$VENDOR/mathjax/$part/"
done

# The widget manager: one AMD bundle that defines @jupyter-widgets/base,
# controls and html-manager, and the icon fonts its CSS finds beside it; in the
# package's own layout (dist/), which _static/widgets-glue.js relies on.
cp "$manager/dist/embed-amd.js" "$manager"/dist/*.woff2 "$manager"/dist/*.woff "$manager"/dist/*.ttf \
   "$manager"/dist/*.eot "$manager"/dist/*.svg "$VENDOR/html-manager/dist/"
cp "$manager/package.json" "$VENDOR/html-manager/"  # names its BSD-3-Clause licence

cp "$requirejs/require.js" "$requirejs/package.json" "$VENDOR/requirejs/"

echo "$WANT" >"$STAMP"
echo "vendor: $PACKAGES into $VENDOR ($(du -sh "$VENDOR" | cut -f1))"
