"""The clock warning names the offset in units a person reads at a glance: minutes, hours or days."""

from __future__ import annotations

import pytest

from desktop_app.services.sync import SyncOverview


def warning(offset_seconds: int | None) -> str | None:
    return SyncOverview(None, 0, 0, offset_seconds).clock_warning


@pytest.mark.parametrize("offset", [None, 0, 300, -300])
def test_no_warning_within_five_minutes(offset: int | None) -> None:
    assert warning(offset) is None


@pytest.mark.parametrize(
    ("offset", "words"),
    [
        (301, "отстают от часов сервера на 5 мин."),
        (-7 * 60, "спешат от часов сервера на 7 мин."),
        (3 * 3600 + 20 * 60 + 59, "отстают от часов сервера на 3 ч 20 мин."),
        (86_400, "отстают от часов сервера на 1 сут."),
        (-(79 * 86_400 + 6 * 3600 + 1_234), "спешат от часов сервера на 79 сут. 6 ч."),
    ],
)
def test_the_offset_is_said_in_minutes_hours_or_days(offset: int, words: str) -> None:
    text = warning(offset)
    assert text is not None
    assert text.startswith(f"Часы этого компьютера {words} Данные от этого не пострадают")
    assert "поправьте часы" in text
