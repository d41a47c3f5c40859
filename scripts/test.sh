#!/usr/bin/env bash
# The whole test suite: lint, types, then pytest on SQLite and on a throwaway
# PostgreSQL 15 cluster. With CI=true a missing service is an error, not a skip.
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python

# --no-cache: a cached result can hide an import-order change caused by another file moving.
echo "== ruff"; .venv/bin/ruff check --no-cache src tests benchmarks scripts
.venv/bin/ruff format --no-cache --check src tests benchmarks scripts
echo "== mypy"; .venv/bin/mypy

mkdir -p test-output
echo "== pytest (SQLite)"
$py -m pytest -n 2 --dist loadgroup "$@"

pgdir="$(pwd)/.pg"
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  trap 'scripts/pg-throwaway.sh stop "$pgdir"' EXIT
  port=${TALENTBRIDGE_TEST_PG_PORT:-55433}
  url=$(scripts/pg-throwaway.sh start "$pgdir" "$port")
  echo "== pytest (PostgreSQL at $url)"
  TALENTBRIDGE_TEST_DATABASE_URL="$url" $py -m pytest -n 2 --dist loadgroup -m "not browser" "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL is required in CI but is not installed" >&2; exit 1
else
  echo "== PostgreSQL not installed: skipping the PostgreSQL run (CI runs it)"
fi
