"""Write one benchmark's section of docs/benchmarks.md, replacing its previous figures."""

from __future__ import annotations

from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def replace_section(heading: str, section: str, docs: Path = DOCS) -> None:
    """Put ``section`` (which starts with ``heading``) in place of the old one, or at the end."""
    text = docs.read_text(encoding="utf-8") if docs.exists() else "# Benchmarks\n"
    section = section.rstrip("\n") + "\n"
    start = text.find(heading)
    if start >= 0:
        nxt = text.find("\n## ", start + len(heading))
        tail = text[nxt + 1 :] if nxt >= 0 else ""
        text = text[:start] + section + ("\n" + tail if tail else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    docs.write_text(text, encoding="utf-8")
