"""How values read on the site: money in 万元, dates in Chinese, percentages without noise."""

from __future__ import annotations

from datetime import date
from decimal import Decimal


def yuan_short(amount: int) -> str:
    """1200000 -> '120万元'; 150000000 -> '1.5亿元'; 8500 -> '8,500元' (exact, never rounded away)."""
    if amount >= 100_000_000:
        return f"{_trim(Decimal(amount) / 100_000_000)}亿元"
    if amount >= 10_000:
        return f"{_trim(Decimal(amount) / 10_000)}万元"
    return f"{amount:,}元"


def yuan_exact(amount: int) -> str:
    return f"{amount:,} 元"


def _trim(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def percent(value: float) -> str:
    return f"{value:g}%"


def objection_channel(department: str, phone: str | None, email: str | None) -> str:
    """Where objections go, in one line: '成果转化处，电话 0797-8861234，邮箱 tto@…'."""
    parts = [department]
    if phone:
        parts.append(f"电话 {phone}")
    if email:
        parts.append(f"邮箱 {email}")
    return "，".join(parts)
