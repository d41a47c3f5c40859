"""Write one benchmark's section of docs/benchmarks.md, replacing its previous figures."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def _span(text: str, heading: str, level: str) -> tuple[int, int] | None:
    """Where the block starting with the line ``heading`` is: up to the next heading of
    the same or a higher level (``level`` is "## " or "### ")."""
    found = re.search(f"^{re.escape(heading)}$", text, flags=re.MULTILINE)
    if found is None:
        return None
    start = found.start()
    ends = [text.find("\n## ", start + len(heading))]
    if level == "### ":
        ends.append(text.find("\n### ", start + len(heading)))
    found = [e + 1 for e in ends if e >= 0]
    return start, min(found) if found else len(text)


def replace_section(
    heading: str, section: str, docs: Path = DOCS, *, keep: Sequence[str] = ()
) -> None:
    """Put ``section`` (which starts with ``heading``) in place of the old one, or at the end.

    ``keep``: headings of subsections ("### …") of the old section that other commands
    write; they are carried over, after ``section``."""
    text = docs.read_text(encoding="utf-8") if docs.exists() else "# Benchmarks\n"
    section = section.rstrip("\n") + "\n"
    span = _span(text, heading, "## ")
    if span is not None:
        old = text[span[0] : span[1]]
        for sub in keep:
            found = _span(old, sub, "### ")
            if found is not None and sub not in section:
                section += "\n" + old[found[0] : found[1]].rstrip("\n") + "\n"
        tail = text[span[1] :]
        text = text[: span[0]] + section + ("\n" + tail.lstrip("\n") if tail else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    docs.write_text(text, encoding="utf-8")


def replace_subsection(heading: str, subheading: str, subsection: str, docs: Path = DOCS) -> None:
    """Put ``subsection`` (which starts with ``subheading``) in place of the old one inside
    the section ``heading``, or at that section's end."""
    text = docs.read_text(encoding="utf-8")
    span = _span(text, heading, "## ")
    if span is None:
        raise ValueError(f"{heading!r} is not in {docs}")
    body = text[span[0] : span[1]]
    subsection = subsection.rstrip("\n") + "\n"
    found = _span(body, subheading, "### ")
    if found is not None:
        rest = body[found[1] :]
        body = body[: found[0]] + subsection + ("\n" + rest.lstrip("\n") if rest else "")
    else:
        body = body.rstrip("\n") + "\n\n" + subsection
    tail = text[span[1] :]
    text = text[: span[0]] + body.rstrip("\n") + "\n" + ("\n" + tail.lstrip("\n") if tail else "")
    docs.write_text(text, encoding="utf-8")
