"""Budgets parsed from docs/performance.md (the table rows `| key | budget | … |`)."""

import re
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "performance.md"


def load():
    budgets = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*`(\w+)`\s*\|\s*(≤|≥)\s*([\d.,]+)", line)
        if m:
            budgets[m.group(1)] = (m.group(2), float(m.group(3).replace(",", "")))
    return budgets


def check(key, value):
    budgets = load()
    if key not in budgets:
        return f"no budget for {key}"
    op, limit = budgets[key]
    ok = value <= limit if op == "≤" else value >= limit
    return f"{'ok' if ok else 'OVER'} (budget {op} {limit:g})"
