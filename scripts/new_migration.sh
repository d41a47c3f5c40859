#!/usr/bin/env bash
# Autogenerate the next Alembic revision from store/tables.py:
#   scripts/new_migration.sh "add placement table"
# Review the generated file before committing; migrations that have landed are never edited.
set -euo pipefail
cd "$(dirname "$0")/.."
message=${1:?usage: scripts/new_migration.sh "message"}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
TALENTBRIDGE_DATA_DIR="$tmp" MESSAGE="$message" .venv/bin/python - <<'PY'
import os
from alembic import command
from talentbridge.config import load_settings
from talentbridge.store.engine import create_engine_for
from talentbridge.store.migrate import alembic_config, upgrade
engine = create_engine_for(load_settings(os.environ))
upgrade(engine)  # the store at the current head, so only the difference is generated
command.revision(alembic_config(engine), message=os.environ["MESSAGE"], autogenerate=True)
PY
.venv/bin/ruff format -q src/talentbridge/store/migrations/versions
