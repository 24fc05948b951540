"""Amounts are stored in 元; people read them in 万元 or 亿元."""

from decimal import ROUND_HALF_UP, Decimal

from .models import WAN, YI


def yi(amount) -> Decimal:
    return (Decimal(amount or 0) / YI).quantize(Decimal("0.01"), ROUND_HALF_UP)


def wan(amount) -> Decimal:
    return (Decimal(amount or 0) / WAN).quantize(Decimal("0.01"), ROUND_HALF_UP)


def show(amount) -> str:
    """'12.35亿元' from 1 亿 up, else '1,234.00万元'; '—' for none."""
    if amount is None:
        return "—"
    if abs(Decimal(amount)) >= YI:
        return f"{yi(amount):,}亿元"
    return f"{wan(amount):,}万元"
