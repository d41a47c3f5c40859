"""Text that goes into a plotly figure.

plotly.js draws labels, legend entries, tick labels and hover text with a subset of
HTML (``<b>``, ``<br>``, ``<a href>``, ``<span style>``…) and decodes entities. Text a
user supplied (a skill, organization, major or resource name) must therefore reach it
escaped, so that it is shown as typed and never read as markup: every figure builder
passes such text through ``plot_text``. Markup we add ourselves (``<b>`` in a hover
box) is put around the escaped text.
"""

from __future__ import annotations

from collections.abc import Iterable

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def plot_text(value: object) -> str:
    """``value`` as text plotly shows literally (``&``, ``<``, ``>`` escaped)."""
    return str(value).translate(_ESCAPES)


def plot_texts(values: Iterable[object]) -> list[str]:
    return [plot_text(value) for value in values]
