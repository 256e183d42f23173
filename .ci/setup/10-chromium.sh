#!/usr/bin/env bash
# Debian's Chromium, for the test that opens the zoning report in a real
# browser (tests/zoning/test_zoning_report.py). CI runs as root.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
    chromium --version
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends chromium
chromium --version
