"""How documents write dates, names, counts and amounts in Russian."""

from __future__ import annotations

from datetime import date
from xml.sax.saxutils import escape

from desktop_app.domain.money import amount_in_words, format_kopecks, plural_form
from desktop_app.domain.text import MONTHS_NOMINATIVE

_MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)

NO_BREAK_SPACE = "\u00a0"


def short_date(day: date) -> str:
    """``01.09.2026``."""
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def long_date(day: date) -> str:
    """``«01» сентября 2026 г.``, as a contract is dated."""
    return f"«{day.day:02d}»{NO_BREAK_SPACE}{_MONTHS_GENITIVE[day.month - 1]} {day.year}{NO_BREAK_SPACE}г."


def date_in_words(day: date) -> str:
    """``1 сентября 2026 г.``, inside a sentence."""
    return f"{day.day}{NO_BREAK_SPACE}{_MONTHS_GENITIVE[day.month - 1]} {day.year}{NO_BREAK_SPACE}г."


def month_name(month: date) -> str:
    """``Сентябрь 2026``: a row of the payment schedule."""
    return f"{MONTHS_NOMINATIVE[month.month - 1].capitalize()} {month.year}"


def hours_phrase(hours: int) -> str:
    """``144 академических часа``."""
    adjective = plural_form(hours, "академический", "академических", "академических")
    noun = plural_form(hours, "час", "часа", "часов")
    return f"{hours}{NO_BREAK_SPACE}{adjective} {noun}"


def months_phrase(months: int) -> str:
    """``9 месяцев``."""
    return f"{months}{NO_BREAK_SPACE}{plural_form(months, 'месяц', 'месяца', 'месяцев')}"


def capitalize_first(text: str) -> str:
    """Capitalise the first letter only: «одна тысяча…» → «Одна тысяча…» (the rest stays as it is)."""
    return text[:1].upper() + text[1:]


def amount(kopecks: int) -> str:
    """``1 200,00 ₽`` with no-break spaces, so an amount never wraps."""
    return format_kopecks(kopecks)


def amount_plain(kopecks: int) -> str:
    """``1 200,00`` for table cells under a «₽» header."""
    return format_kopecks(kopecks, with_sign=False)


def words(kopecks: int) -> str:
    """``одна тысяча двести рублей 00 копеек``."""
    return amount_in_words(kopecks)


def amount_with_words(kopecks: int) -> str:
    """``1 200,00 ₽ (одна тысяча двести рублей 00 копеек)``."""
    return f"{amount(kopecks)} ({words(kopecks)})"


def initials(full_name: str) -> str:
    """``Соколова-Ёлкина Анна Петровна`` → ``Соколова-Ёлкина А.\u00a0П.`` (surname first, as signatures go)."""
    parts = full_name.split()
    if len(parts) < 2:
        return full_name.strip()
    letters = NO_BREAK_SPACE.join(f"{part[0]}." for part in parts[1:])
    return f"{parts[0]} {letters}"


def typeset(text: str) -> str:
    """Russian typesetting: «№» stays on the line of its number, and a dash never starts a line."""
    return text.replace("№ ", f"№{NO_BREAK_SPACE}").replace(" — ", f"{NO_BREAK_SPACE}— ")


def markup(text: str) -> str:
    """Escape text for a reportlab Paragraph (data never becomes markup: «<», «&» print as they are), typeset."""
    return typeset(escape(text))


def or_dash(text: str) -> str:
    """A value, or a dash when it is not filled in."""
    return text.strip() or "—"
