"""Robust layout: nothing leaves the page or crosses a table's rule; long names and addresses wrap."""

from __future__ import annotations

import functools
import io
from typing import Any

import pdfplumber
import pytest
from reportlab.platypus import Paragraph, SimpleDocTemplate

from reports.render import DocumentPart
from reports.styles import LEFT_MARGIN, PAGE_HEIGHT, PAGE_WIDTH, RIGHT_MARGIN, grid_table, make_styles
from tests.reports.builders import LONG_ADDRESS, LONG_PROGRAM_NAME
from tests.reports.conftest import Rendered, normalized

MM = 72 / 25.4
PRINTABLE_EDGE = 10 * MM
"""Office printers cannot print closer than about 5 mm to the edge; we keep everything 10 mm away."""
TOLERANCE = 0.5
WATERMARK_SIZE = 48


def _is_watermark(char: dict[str, Any]) -> bool:
    """The diagonal «ПРОЕКТ» lies under the content on purpose; it is the only text that large."""
    rotated = abs(char["matrix"][1]) > 0.01
    return bool(rotated and char["size"] >= WATERMARK_SIZE)


@functools.cache
def _pages(data: bytes) -> list[Any]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [(page.chars, page.lines, page.width, page.height) for page in pdf.pages]


def test_every_character_is_inside_the_printable_area_and_the_text_column(any_case: Rendered) -> None:
    for part, data in any_case.separate.items():
        for number, (chars, _, width, height) in enumerate(_pages(data), start=1):
            assert (width, height) == pytest.approx((PAGE_WIDTH, PAGE_HEIGHT))
            assert chars, f"{part} page {number} has no text"
            for char in chars:
                where = f"{part} page {number}: «{char['text']}» at x={char['x0']:.1f}..{char['x1']:.1f}"
                assert char["x0"] >= LEFT_MARGIN - TOLERANCE, where
                assert char["x1"] <= PAGE_WIDTH - RIGHT_MARGIN + TOLERANCE, where
                assert char["top"] >= PRINTABLE_EDGE, where
                assert char["bottom"] <= PAGE_HEIGHT - PRINTABLE_EDGE, where


def _rule_crossings(data: bytes) -> list[str]:
    """Characters that cross a vertical table rule: the sign of a cell whose text did not wrap."""
    crossings = []
    for number, (chars, lines, _, _) in enumerate(_pages(data), start=1):
        rules = [line for line in lines if abs(line["x0"] - line["x1"]) < 0.01]
        content = [char for char in chars if not _is_watermark(char)]
        for rule in rules:
            x = rule["x0"]
            for char in content:
                overlaps = char["top"] < rule["bottom"] and char["bottom"] > rule["top"]
                if overlaps and char["x0"] < x - TOLERANCE and char["x1"] > x + TOLERANCE:
                    crossings.append(f"page {number}: «{char['text']}» crosses the rule at x={x:.1f}")
    return crossings


def test_no_character_crosses_a_table_rule(any_case: Rendered) -> None:
    for part, data in any_case.separate.items():
        assert _rule_crossings(data) == [], part


def test_the_rule_check_catches_a_cell_that_does_not_wrap() -> None:
    """The check itself works: a raw string in a narrow ruled cell runs across the rule."""
    buffer = io.BytesIO()
    styles = make_styles()
    table = grid_table([["Месяц", "Сумма"], [LONG_ADDRESS[:80], Paragraph(LONG_ADDRESS[:80], styles.cell)]], [60, 60])
    SimpleDocTemplate(buffer, invariant=1).build([table])
    assert _rule_crossings(buffer.getvalue())


@functools.cache
def _lines_of_text(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [line for page in pdf.pages for line in (page.extract_text() or "").splitlines()]


@pytest.mark.parametrize("part", [DocumentPart.CONTRACT, DocumentPart.APPLICATION])
def test_a_250_character_program_name_wraps_and_is_printed_whole(long_texts: Rendered, part: DocumentPart) -> None:
    assert len(LONG_PROGRAM_NAME) == 250
    data = long_texts.separate[part]
    assert normalized(LONG_PROGRAM_NAME) in long_texts.text(part)
    lines = _lines_of_text(data)
    holding = [line for line in lines if "иллюстратора" in line or "наброска" in line or "Дополнительная" in line]
    assert holding
    assert all(len(line) < 150 for line in holding)


@pytest.mark.parametrize("part", list(DocumentPart))
def test_a_very_long_address_is_printed_whole(long_texts: Rendered, part: DocumentPart) -> None:
    assert len(LONG_ADDRESS) > 200
    text = long_texts.text(part)
    assert normalized(LONG_ADDRESS) in text


def test_hyphenated_surnames_and_yo_survive(any_case: Rendered) -> None:
    for part in DocumentPart:
        text = any_case.text(part)
        assert "Соколова-Ёлкина Анна Петровна" in text, part
        assert "Соколова-Ёлкина А. П." in text, part
        if part is not DocumentPart.APPLICATION:
            assert "Соколов-Ёлкин Фёдор Игоревич" in text or part is DocumentPart.CONTRACT


def test_a_twelve_month_schedule_fits_with_the_whole_contract(long_texts: Rendered) -> None:
    assert len(long_texts.document.schedule) == 12
    text = long_texts.text(DocumentPart.CONTRACT)
    assert "12 Август 2027" in text
    assert "Итого по Договору" in text
    assert text.index("Итого по Договору") < text.index("АДРЕСА, РЕКВИЗИТЫ И ПОДПИСИ СТОРОН")
