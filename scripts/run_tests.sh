#!/usr/bin/env bash
# Install everything the test suite needs and run all of it (the README's test command).
# Creates .venv, installs requirements-dev.txt, installs Debian's Chromium for the browser
# tests when it is missing and we may (root), then runs pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -r requirements-dev.txt

if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Chromium for the browser tests…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

# The browser suite's JavaScript (axe-core, a local OpenID Connect provider), from the lock file.
if command -v npm >/dev/null; then
  npm ci --prefix tests/browser/js --no-audit --no-fund --loglevel=error >/dev/null
fi

# Two workers: the page and browser tests spend most of their time waiting on Streamlit.
exec .venv/bin/python -m pytest -n 2 "$@"
