#!/usr/bin/env bash
# bench.sh: `make bench` entry point (see tools/bench.py).
set -eu
exec python3 "$(dirname "$0")/bench.py" "$@"
