#!/usr/bin/env bash
# Find an interpreter of one Python version (X.Y) on this machine.
#
#   tools/find_python.sh 3.13
#
# prints the interpreter's path: `pythonX.Y` on PATH when it runs (a pyenv shim
# of a version that is not active does not), else the newest pyenv build of X.Y
# (under `pyenv root`, or $PYENV_ROOT, or ~/.pyenv). Exits 3 with the reason on
# stderr when there is none, so that a caller can skip what needed it.
set -u
version=${1:?usage: tools/find_python.sh X.Y}

works() {
    "$1" -c "import sys, venv; sys.exit(sys.version_info[:2] != tuple(map(int, '$version'.split('.'))))" \
        >/dev/null 2>&1
}

if command -v "python$version" >/dev/null 2>&1 && works "python$version"; then
    command -v "python$version"
    exit 0
fi
root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
for dir in $(ls -d "$root/versions/$version".* 2>/dev/null | sort -V -r); do
    if [ -x "$dir/bin/python$version" ] && works "$dir/bin/python$version"; then
        echo "$dir/bin/python$version"
        exit 0
    fi
done
echo "Python $version is not installed here (no working python$version on PATH, none under pyenv's versions/)" >&2
exit 3
