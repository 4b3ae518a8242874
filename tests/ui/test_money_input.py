"""Prices typed in roubles become integer kopecks (ui.program_editor.widgets), never through a float."""

from __future__ import annotations

import pytest

from ui.program_editor.widgets import parse_roubles, roubles_text


@pytest.mark.parametrize(
    ("text", "kopecks"),
    [
        ("12 000,50", 1_200_050),
        ("12\u00a0000,50", 1_200_050),
        ("12000.5", 1_200_050),
        ("0", 0),
        ("1 234 567,89 ₽", 123_456_789),
        (" 15 руб. ", 1_500),
        ("9999999999,99", 999_999_999_999),
    ],
)
def test_roubles_are_parsed_into_kopecks(text: str, kopecks: int) -> None:
    assert parse_roubles(text) == kopecks


@pytest.mark.parametrize("text", ["", "12,345", "-5", "12,3,4", "двенадцать", "1e3", "99999999999"])
def test_what_is_not_an_amount_is_refused(text: str) -> None:
    assert parse_roubles(text) is None


def test_prices_show_as_they_are_typed() -> None:
    assert roubles_text(1_200_050) == "12\u00a0000,50"
    assert parse_roubles(roubles_text(123_456_789)) == 123_456_789
