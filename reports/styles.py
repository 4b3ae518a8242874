"""The look shared by every document: A4 page geometry, paragraph styles and table styles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeAlias

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from reports.fonts import SERIF, SERIF_BOLD, SERIF_ITALIC, register_fonts
from reports.formatting import typeset

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT_MARGIN = 20 * mm
RIGHT_MARGIN = 15 * mm
TOP_MARGIN = 20 * mm
BOTTOM_MARGIN = 20 * mm
FRAME_WIDTH = PAGE_WIDTH - LEFT_MARGIN - RIGHT_MARGIN

GRID_COLOR = colors.HexColor("#606060")
HEADER_FILL = colors.HexColor("#EDEDED")
DRAFT_COLOR = colors.HexColor("#B00020")

Cell: TypeAlias = Flowable | str | Sequence[Flowable]
"""What a table cell holds: a flowable (a Paragraph, so it wraps), a short string, or a list of flowables."""


@dataclass(frozen=True, slots=True)
class Styles:
    """Paragraph styles of the documents; serif text, sans nowhere (one family looks calmer on paper)."""

    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    body_left: ParagraphStyle
    right: ParagraphStyle
    small: ParagraphStyle
    small_center: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_right: ParagraphStyle
    cell_right_bold: ParagraphStyle
    cell_header: ParagraphStyle


def make_styles() -> Styles:
    """The styles, with the fonts registered first."""
    register_fonts()
    # Ragged right, not justified: without hyphenation Russian justified text opens wide gaps between words.
    base = ParagraphStyle("base", fontName=SERIF, fontSize=10, leading=13, alignment=TA_LEFT, spaceAfter=3)
    cell = ParagraphStyle("cell", base, fontSize=8.5, leading=10.5, alignment=TA_LEFT, spaceAfter=0)
    return Styles(
        title=ParagraphStyle("title", base, fontName=SERIF_BOLD, fontSize=13, leading=16, alignment=TA_CENTER),
        subtitle=ParagraphStyle("subtitle", base, fontName=SERIF_BOLD, fontSize=10, leading=13, alignment=TA_CENTER),
        heading=ParagraphStyle(
            "heading",
            base,
            fontName=SERIF_BOLD,
            alignment=TA_CENTER,
            spaceBefore=7,
            spaceAfter=4,
            keepWithNext=1,
        ),
        body=ParagraphStyle("body", base, firstLineIndent=8 * mm),
        body_left=ParagraphStyle("body_left", base, alignment=TA_LEFT),
        right=ParagraphStyle("right", base, alignment=TA_RIGHT),
        small=ParagraphStyle("small", base, fontSize=8, leading=10, alignment=TA_LEFT, spaceAfter=0),
        small_center=ParagraphStyle(
            "small_center", base, fontName=SERIF_ITALIC, fontSize=7, leading=9, alignment=TA_CENTER, spaceAfter=0
        ),
        cell=cell,
        cell_bold=ParagraphStyle("cell_bold", cell, fontName=SERIF_BOLD),
        cell_right=ParagraphStyle("cell_right", cell, alignment=TA_RIGHT),
        cell_right_bold=ParagraphStyle("cell_right_bold", cell, fontName=SERIF_BOLD, alignment=TA_RIGHT),
        cell_header=ParagraphStyle("cell_header", cell, fontName=SERIF_BOLD, alignment=TA_CENTER),
    )


def grid_table(
    rows: Sequence[Sequence[Cell]],
    col_widths: Sequence[float],
    *,
    header_rows: int = 1,
    bold_last_row: bool = False,
) -> Table:
    """A ruled table whose header repeats on every page it breaks onto. Cells are Paragraphs, so they wrap."""
    table = Table([list(row) for row in rows], colWidths=list(col_widths), repeatRows=header_rows)
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID_COLOR),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header_rows:
        commands.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL))
        commands.append(("VALIGN", (0, 0), (-1, header_rows - 1), "MIDDLE"))
    if bold_last_row:
        commands.append(("BACKGROUND", (0, -1), (-1, -1), HEADER_FILL))
    table.setStyle(TableStyle(commands))
    return table


def plain_table(rows: Sequence[Sequence[Cell]], col_widths: Sequence[float]) -> Table:
    """A table without rules, for layout: the parties' requisites, the signature lines."""
    table = Table([list(row) for row in rows], colWidths=list(col_widths))
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of already escaped markup, typeset (no-break spaces after «№» and before a dash)."""
    return Paragraph(typeset(text), style)
