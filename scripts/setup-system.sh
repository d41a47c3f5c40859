#!/usr/bin/env bash
# Install the Debian packages the test suite needs, if missing: Chromium (driven by
# Playwright, never downloaded by it), a Chinese font, and PostgreSQL 15.
# Needs root (or sudo). With CI=true a package that cannot be installed is an error.
set -euo pipefail
need=()
if [ "${1:-}" = venv ]; then
  need+=(python3-venv)
else
  [ -x /usr/bin/chromium ] || need+=(chromium)
  [ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
fi
[ ${#need[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${need[*]}"
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
if ! { $sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${need[@]}"; }; then
  echo "could not install ${need[*]}" >&2
  [ "${CI:-}" = "true" ] && exit 1
  echo "continuing: tests needing them will be skipped outside CI" >&2
fi
