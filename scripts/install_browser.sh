#!/usr/bin/env bash
# The browser of tests/test_site.py: Debian's chromium and chromium-driver. Nothing to do when
# both are on the PATH; else install them with apt-get (as root, or through sudo), or say how.
# Run by `make test` and by .ci/run.
set -euo pipefail

have() { command -v "$1" >/dev/null 2>&1; }
if { have chromium || have chromium-browser; } && have chromedriver; then
  exit 0
fi

if have apt-get; then
  if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
  elif have sudo && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    SUDO="none"
  fi
  if [ "$SUDO" != "none" ]; then
    echo "installing chromium and chromium-driver (for tests/test_site.py) with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
    if { have chromium || have chromium-browser; } && have chromedriver; then
      exit 0
    fi
  fi
fi

cat >&2 <<'MSG'
tests/test_site.py needs a headless Chromium and its driver, and they could not be installed here.
  Debian/Ubuntu:  sudo apt-get install -y chromium chromium-driver
  Fedora:         sudo dnf install -y chromium chromedriver
  macOS:          brew install --cask chromium && brew install chromedriver
The other tests run without them; the site tests will fail until both are on the PATH.
MSG
exit 1
