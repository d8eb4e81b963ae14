#!/usr/bin/env bash
# Install everything the test suite needs and run all of it (the README's test command).
# Creates .venv, installs requirements-dev.txt, installs Debian's Chromium and nginx for the
# browser tests when missing and we may (root), then runs pytest once per database backend:
# on SQLite, then on PostgreSQL (every store fixture gets its own database on the server).
#
#   bash scripts/run_tests.sh [--backend auto|both|sqlite|postgresql] [pytest arguments]
#
# auto (the default) runs both passes when PostgreSQL answers; without one it runs the
# SQLite pass and says why (in CI, where CI=true, a missing PostgreSQL fails the run).
# The server is TEST_DATABASE_URL, else TEST_POSTGRES_URL, else the local default below.
set -euo pipefail
cd "$(dirname "$0")/.."

backend=auto
case "${1:-}" in
  --backend) backend="${2:-}"; shift 2 ;;
  --backend=*) backend="${1#--backend=}"; shift ;;
esac
case "$backend" in
  auto|both|sqlite|postgresql) ;;
  *) echo "usage: $0 [--backend auto|both|sqlite|postgresql] [pytest arguments]" >&2; exit 2 ;;
esac

python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -r requirements-dev.txt

# Debian's Chromium and nginx for the browser tests (nginx runs in front of the dashboard, as
# deploy/nginx configures it), when missing and we may (root). Without them those tests skip,
# saying why; in CI (CI=true) they fail.
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
[ -x /usr/sbin/nginx ] || missing="$missing nginx"
if [ -n "$missing" ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing$missing for the browser tests…"
  # shellcheck disable=SC2086  # one word per package
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi

# The browser suite's JavaScript (axe-core, a local OpenID Connect provider), from the lock file.
if command -v npm >/dev/null; then
  npm ci --prefix tests/browser/js --no-audit --no-fund --loglevel=error >/dev/null
fi

pg_server="${TEST_DATABASE_URL:-${TEST_POSTGRES_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}}"
run_sqlite=yes
run_postgresql=yes
[ "$backend" = postgresql ] && run_sqlite=no
[ "$backend" = sqlite ] && run_postgresql=no
if [ "$run_postgresql" = yes ] && ! .venv/bin/python -m tests.pg check "$pg_server"; then
  if [ "$backend" = auto ] && [ -z "${CI:-}" ]; then
    echo "PostgreSQL pass skipped: no server answers at the URL above (see docs/deployment.md)."
    run_postgresql=no
  else
    echo "PostgreSQL is required for the --backend $backend run${CI:+ in CI}." >&2
    exit 1
  fi
fi

# Two workers: the page and browser tests spend most of their time waiting on Streamlit;
# an idle worker takes tests from the other (worksteal), so a long test last is not waited on.
status=0
if [ "$run_sqlite" = yes ]; then
  echo "=== test pass on SQLite ==="
  env -u TEST_DATABASE_URL .venv/bin/python -m pytest -n 2 --dist worksteal "$@" || status=$?
fi
if [ "$run_postgresql" = yes ]; then
  echo "=== test pass on PostgreSQL ==="
  run_db="$(.venv/bin/python -m tests.pg create "$pg_server")"  # this run's own database
  trap '.venv/bin/python -m tests.pg drop "$run_db" || true' EXIT
  TEST_DATABASE_URL="$run_db" .venv/bin/python -m pytest -n 2 --dist worksteal "$@" || status=$((status ? status : $?))
fi
exit "$status"
