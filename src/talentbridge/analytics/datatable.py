"""A plain table of results, the unit every demand view returns: the same rows feed the
page, the JSON API and the CSV/XLSX download."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Column:
    key: str
    label_zh: str
    label_en: str
    kind: str = "text"  # text | int | float | share | money

    def label(self, lang: str) -> str:
        return self.label_zh if lang == "zh" else self.label_en


@dataclass(frozen=True)
class DataTable:
    name: str  # file name stem of downloads, e.g. "top-skills"
    columns: Sequence[Column]
    rows: Sequence[dict[str, Any]]
    notes: Sequence[str] = field(default_factory=tuple)  # caveats shown with the table

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "columns": [
                {"key": c.key, "label_zh": c.label_zh, "label_en": c.label_en, "kind": c.kind}
                for c in self.columns
            ],
            "rows": [dict(r) for r in self.rows],
            "notes": list(self.notes),
        }
