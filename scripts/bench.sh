#!/usr/bin/env bash
# Benchmarks print figures; they assert nothing. Usage: bench.sh RELEASE_BIN_DIR
set -euo pipefail
BIN=${1:?usage: bench.sh BIN_DIR}
echo "bench: no benchmarks yet"
