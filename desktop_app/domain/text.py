"""Comparing and sorting Russian text the way people expect."""

from __future__ import annotations


def collation_key(text: str) -> str:
    """A sort key: case does not matter and «ё» sorts with «е» (Ёлочка next to Елена, not before Аня)."""
    return text.casefold().replace("ё", "е")
