"""List tables: each column's kind decides how its cells read (no-wrap dates and numbers, long text truncated with the
whole text on hover), so every list page stays one line per row on a laptop."""

import datetime
import decimal

from django import template
from django.utils import timezone

register = template.Library()

NUMERIC = {"integer", "decimal"}
NO_WRAP = {"date", "datetime", "bool", "choice", "uscc"}


def column_class(column) -> str:
    if column.kind in NUMERIC:
        return "text-nowrap text-end"
    if column.kind in NO_WRAP:
        return "text-nowrap"
    return "cell-truncate"


@register.filter
def with_columns(cells, layout):
    """Pairs each cell of a row with its column's CSS class and its text."""
    return [(cell_text(cell), column_class(column)) for cell, column in zip(cells, layout.columns, strict=False)]


@register.filter
def header_classes(layout):
    return [(column.header, "text-nowrap" + (" text-end" if column.kind in NUMERIC else "")) for column in layout.columns]


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return f"{value:,}"
    return str(value)
