#!/usr/bin/env bash
# The project's two commands (see README):
#   ./dev.sh setup   make .venv, build and install pytorch_lite (editable) with test extras, run the demo
#   ./dev.sh test    run the whole test suite in .venv
set -euo pipefail
cd "$(dirname "$0")"
VENV=${VENV:-.venv}
PY="$VENV/bin/python"

case "${1:-}" in
  setup)
    [ -x "$PY" ] || python3 -m venv "$VENV"
    "$PY" -m pip install -q --upgrade pip
    # the build requirements live in the venv too: `./dev.sh test` rebuilds changed .pyx in place
    "$PY" -m pip install -q "setuptools>=70.1" wheel "Cython>=3.0" "numpy>=1.24"
    # torch==2.13.0 is the test oracle only (pip finds it on local disk); never a runtime dependency
    "$PY" -m pip install -q --no-build-isolation -e ".[test,lua,convert,mpi]"
    # Debian packages: penlight (pl.*, the `path` global th scripts use) is the Debian package's
    # Lua sources; Graphviz's dot lays out and draws graphs (graph.dot, graph.graphvizFile);
    # hdf5-tools' h5diff is what torch-hdf5's own testReference.lua compares written files with
    DEBS=""
    [ -f /usr/share/lua/5.1/pl/init.lua ] || DEBS="$DEBS lua-penlight"
    command -v dot >/dev/null || DEBS="$DEBS graphviz"
    command -v h5diff >/dev/null || DEBS="$DEBS hdf5-tools"
    if [ -n "$DEBS" ] && command -v apt-get >/dev/null; then
      SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo -n"
      { $SUDO apt-get install -y -q $DEBS || { $SUDO apt-get update -q && $SUDO apt-get install -y -q $DEBS; }; } \
        >/dev/null 2>&1 || echo "note: could not install the Debian packages$DEBS (penlight for pl.*, graphviz for graph.dot, hdf5-tools for h5diff)" >&2
    fi
    "$PY" examples/demo.py
    ;;
  test)
    shift
    [ -x "$PY" ] || { echo "no $VENV: run ./dev.sh setup first" >&2; exit 2; }
    # rebuild extensions in place if a .pyx changed since the last build
    "$PY" setup.py -q build_ext --inplace >/dev/null
    exec "$PY" -m pytest -q -p no:cacheprovider "$@"
    ;;
  *)
    echo "usage: ./dev.sh setup | ./dev.sh test [pytest args]" >&2
    exit 2
    ;;
esac
