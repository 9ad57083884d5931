#!/usr/bin/env bash
# Create (or bring up to date) a virtual environment of the book:
#
#   tools/make_venv.sh PYTHON DIR
#
# DIR gets PYTHON's venv, pip, every package of requirements-lock.txt at its
# exact version (setuptools among them), the book's package `book` in editable
# mode (built with that setuptools, without build isolation: nothing else is
# fetched), and tools/ipython_kernel_config.py as the kernels' configuration
# (DIR/etc/ipython/, read by every kernel started from DIR). pip shows what it
# downloads and installs; each step is announced. Writes DIR/.installed last.
# Every message goes to stderr, so a caller may capture stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${1:?usage: tools/make_venv.sh PYTHON DIR}
dir=${2:?usage: tools/make_venv.sh PYTHON DIR}
exec 1>&2

say() { echo "    $*"; }

if [ ! -x "$dir/bin/python" ]; then
    say "creating $dir with $("$python" --version 2>&1)"
    "$python" -m venv "$dir"
fi
# Python 3.13 and later write this file themselves; the repository's .gitignore
# need not know every DIR.
[ -f "$dir/.gitignore" ] || echo "*" >"$dir/.gitignore"
pip=("$dir/bin/python" -m pip --disable-pip-version-check)

say "upgrading pip"
"${pip[@]}" install --quiet --upgrade pip
say "installing requirements-lock.txt ($(grep -c '==' requirements-lock.txt) packages at exact versions)"
set +e
"${pip[@]}" install -r requirements-lock.txt | grep -v '^Requirement already satisfied'
status=${PIPESTATUS[0]}
set -e
[ "$status" -eq 0 ] || exit "$status"
say "installing the package 'book' in editable mode"
"${pip[@]}" install --quiet --no-deps --no-build-isolation -e .
mkdir -p "$dir/etc/ipython"
cp tools/ipython_kernel_config.py "$dir/etc/ipython/ipython_kernel_config.py"
say "kernel configuration in $dir/etc/ipython/ (tools/ipython_kernel_config.py)"
touch "$dir/.installed"
