#!/usr/bin/env bash
# Installs the Debian packages Rotor needs to build, test and demo, but only the missing ones.
# Works as root, or through sudo for a normal user.
set -euo pipefail
# prometheus brings promtool, which the tests use to check contrib/prometheus/rotor-rules.yml; chromium and
# chromium-driver run the dashboard's browser tests.
# Extra packages may be named as arguments (`make bench` adds wrk).
PACKAGES=(pkg-config libcurl4-openssl-dev libpq-dev libssl-dev libsqlite3-dev postgresql python3 python3-aiosmtpd systemd prometheus chromium chromium-driver "$@")

missing=()
for pkg in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "deps: all system packages present"
    exit 0
fi
echo "deps: installing ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
else
    echo "deps: missing ${missing[*]} and not root, and sudo is not available; install them and retry" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
