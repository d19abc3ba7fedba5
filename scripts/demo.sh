#!/usr/bin/env bash
# The first-run tour. Runs in a temporary ROTOR_HOME that is removed afterwards.
set -euo pipefail
ROTOR=${1:?usage: demo.sh PATH_TO_ROTOR}
WORK=$(mktemp -d /tmp/rotor-demo.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export ROTOR_HOME="$WORK/.rotor"
unset ROTOR_MASTER_KEY ROTOR_STORE
cd "$WORK"
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }
step "$ROTOR" version
step "$ROTOR" init
step "$ROTOR" doctor
