"""How a report's cells read: one function for every format (table, CSV, HTML)."""

from __future__ import annotations

import math
from typing import Any

from mirco_lms.reports.model import Column

SPARK = "▁▂▃▄▅▆▇█"
"""The bars of a sparkline, lowest first (``counts`` columns)."""
NUMERIC = frozenset({"int", "rate", "score", "number", "r", "stat", "p", "hours", "minutes"})
"""The column kinds shown right-aligned."""


def format_value(value: Any, column: Column, *, plain: bool = False) -> str:
    """A cell as text (``plain``: for CSV — no symbols, full numbers)."""
    if value is None:
        return "" if plain else "–"
    kind = column.kind
    if kind == "rate":
        return f"{value:.4f}" if plain else f"{value * 100:.1f} %"
    if kind in ("score", "number", "hours", "minutes"):
        return f"{value:.4f}".rstrip("0").rstrip(".") if plain else f"{value:.1f}"
    if kind == "p":
        if plain:
            return f"{value:.6g}"
        return "< 0.001" if value < 0.001 else f"{value:.3f}"
    if kind in ("r", "stat"):
        return f"{value:.4f}" if plain else f"{value:.2f}"
    if kind == "counts":
        if plain:
            return " ".join(str(v) for v in value)
        top = max(value) if value else 0
        return "".join(SPARK[math.ceil(v / top * 7)] if top else SPARK[0] for v in value)
    if kind == "options":
        return "; ".join(
            f"{o.get('label') or o['id']}{'*' if o['correct'] else ''}={o['count']}" if plain
            else f"{o.get('label') or o['id']}{' ✓' if o['correct'] else ''} {o['count']}"
            for o in value
        )
    return str(value)
