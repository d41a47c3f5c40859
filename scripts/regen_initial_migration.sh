#!/usr/bin/env bash
# Pre-release only: rebuild migration 0001 from store/tables.py (nothing has shipped yet).
set -euo pipefail
cd "$(dirname "$0")/.."
versions=src/talentbridge/store/migrations/versions
rm -f "$versions"/0001_initial.py
tmp=$(mktemp -d)
TALENTBRIDGE_DATA_DIR="$tmp" .venv/bin/python - <<'PY'
from alembic import command
from talentbridge.config import load_settings
import os
from talentbridge.store.engine import create_engine_for
from talentbridge.store.migrate import alembic_config
engine = create_engine_for(load_settings(os.environ))
command.revision(alembic_config(engine), message="initial schema", autogenerate=True, rev_id="0001")
PY
mv "$versions"/0001_*.py "$versions"/0001_initial.py.tmp 2>/dev/null || true
mv "$versions"/0001_initial.py.tmp "$versions"/0001_initial.py
.venv/bin/ruff format -q "$versions"/0001_initial.py
.venv/bin/ruff check -q --fix "$versions"/0001_initial.py || true
rm -rf "$tmp"
echo "regenerated $versions/0001_initial.py"
