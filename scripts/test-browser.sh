#!/usr/bin/env bash
# The admin panel's flow in a real browser (`npm run test:browser`, test/browser/): Debian's
# Chromium driven by playwright-core, against the built API (run `npm run build` first) on whatever
# database the environment points at.
#
# Chromium comes from apt (`apt-get install chromium`, as root) when /usr/bin/chromium (or
# $CHROMIUM_PATH) is missing; playwright-core never downloads a browser. Where it cannot be
# installed, the step is skipped with a loud message - unless CHROMIUM_REQUIRED=1 (set by
# scripts/test-all.sh, so CI cannot pass without running it): then it fails.
# Arguments go to jest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"

if [ ! -x "$CHROMIUM_PATH" ] && [ "$CHROMIUM_PATH" = /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "chromium is missing: installing Debian's package (apt-get install chromium)" >&2
    apt-get update -qq >&2 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2 ||
      echo "apt-get install chromium failed" >&2
  fi
fi

if [ ! -x "$CHROMIUM_PATH" ]; then
  {
    echo
    echo "################################################################################"
    echo "#  BROWSER TESTS NOT RUN: no Chromium at $CHROMIUM_PATH"
    echo "#  Install it (Debian/Ubuntu as root: apt-get install chromium) or point"
    echo "#  CHROMIUM_PATH at a Chromium/Chrome binary."
    echo "################################################################################"
    echo
  } >&2
  if [ "${CHROMIUM_REQUIRED:-0}" = "1" ]; then exit 1; fi
  exit 0
fi

exec node --experimental-vm-modules node_modules/jest/bin/jest.js --selectProjects browser "$@"
