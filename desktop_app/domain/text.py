"""Russian text: comparing and sorting the way people expect, and the names of months."""

from __future__ import annotations


def collation_key(text: str) -> str:
    """A sort key: case does not matter and «ё» sorts with «е» (Ёлочка next to Елена, not before Аня)."""
    return text.casefold().replace("ё", "е")


MONTHS_NOMINATIVE = (
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
)
"""«сентябрь 2026»: a month on its own."""
