"""How the desk, the applications queue and the contracts list write numbers, dates and amounts for people."""

from __future__ import annotations

from datetime import date, datetime

from desktop_app.domain.age import age_in_years, years_phrase
from desktop_app.domain.money import NBSP, format_kopecks
from desktop_app.domain.text import MONTHS_NOMINATIVE

STYLE = """
QLabel#deskSuccess { color: #1b5e20; background: #e8f5e9; border: 1px solid #a5d6a7; padding: 6px 10px; }
QLabel#deskWarning { color: #8d4a00; background: #fff8e1; border: 1px solid #ffe082; padding: 6px 10px; }
QLabel#deskProblem { color: #b71c1c; background: #ffebee; border: 1px solid #ef9a9a; padding: 6px 10px; }
QLabel#deskHint { color: #546e7a; }
QLabel#deskName { font-size: 13pt; font-weight: bold; }
QLabel#deskAmount { font-weight: bold; }
QFrame#deskPanel { background: #fafafa; border: 1px solid #cfd8dc; border-radius: 4px; }
"""
"""Colours of the desk's notices: kept with the desk's widgets (each sets it on itself)."""


def certificate_text(number: str) -> str:
    """«42 12 000001»: region, payer and the rest, as the number is printed on the certificate."""
    if len(number) == 10 and number.isdigit():
        return f"{number[:2]}{NBSP}{number[2:4]}{NBSP}{number[4:]}"
    return number


def day_text(day: date | None) -> str:
    return f"{day:%d.%m.%Y}" if day else "—"


def period_text(start: date, end: date) -> str:
    """«01.10.2026 – 31.05.2027», which may break only after the dash."""
    return f"{day_text(start)}{NBSP}– {day_text(end)}"


def moment_text(moment: datetime) -> str:
    """A time in the workstation's zone: «12.09.2026 10:41»."""
    return moment.astimezone().strftime("%d.%m.%Y %H:%M")


def month_text(month: date) -> str:
    return f"{MONTHS_NOMINATIVE[month.month - 1]} {month.year}"


def age_text(birth_date: date, today: date) -> str:
    return years_phrase(age_in_years(birth_date, today)) if today >= birth_date else "—"


def money_text(kopecks: int) -> str:
    return format_kopecks(kopecks)
