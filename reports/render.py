"""Render the contract, the enrollment application and the consent to PDF: one file or one per document.

Output is deterministic: reportlab's invariant mode plus a creation date taken from the document's date, so
the same input gives the same bytes. Every page says «Страница N из M», counted per document. A contract the
server has not accepted yet carries its provisional number and «ПРОЕКТ — действителен после подтверждения»
on every page of every document.
"""

from __future__ import annotations

import enum
import functools
import io
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate

from reports.application import application_story, application_title
from reports.consent import consent_story, consent_title
from reports.contract import contract_story, contract_title
from reports.fonts import SERIF, SERIF_BOLD
from reports.model import ContractDocument
from reports.styles import (
    BOTTOM_MARGIN,
    DRAFT_COLOR,
    FRAME_WIDTH,
    LEFT_MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RIGHT_MARGIN,
    TOP_MARGIN,
    Styles,
    make_styles,
)
from reports.template import ClauseTemplate, load_clause_template

DRAFT_MARK = "ПРОЕКТ — действителен после подтверждения"
WATERMARK = "ПРОЕКТ"
CREATOR = "АРМ организации ПФДО"
_FOOTER_COLOR = colors.HexColor("#555555")
_WATERMARK_COLOR = colors.HexColor("#E4E4E4")
# reportlab keeps process-wide state (the font registry, font subsets per document): one build at a time,
# so documents may be rendered from any worker thread.
_RENDER_LOCK = threading.Lock()
_UNSAFE_FILE_CHARACTERS = re.compile(r'[\\/:*?"<>|\s]+')


class DocumentPart(enum.StrEnum):
    CONTRACT = "contract"
    APPLICATION = "application"
    CONSENT = "consent"

    @property
    def label(self) -> str:
        return _PART_LABELS[self]


_PART_LABELS = {
    DocumentPart.CONTRACT: "Договор",
    DocumentPart.APPLICATION: "Заявление",
    DocumentPart.CONSENT: "Согласие",
}

ALL_PARTS = (DocumentPart.CONTRACT, DocumentPart.APPLICATION, DocumentPart.CONSENT)


@dataclass(frozen=True, slots=True)
class RenderedPdf:
    """One PDF file: its suggested file name, its title (also in the PDF's metadata) and its bytes."""

    file_name: str
    title: str
    parts: tuple[DocumentPart, ...]
    data: bytes

    def write(self, folder: Path) -> Path:
        """Save into the folder under the suggested name and return the path."""
        path = folder / self.file_name
        path.write_bytes(self.data)
        return path


def render_documents(
    document: ContractDocument,
    parts: Sequence[DocumentPart] = ALL_PARTS,
    *,
    combined: bool = True,
    template: ClauseTemplate | None = None,
) -> list[RenderedPdf]:
    """Render the chosen documents: one PDF with all of them (``combined``) or one PDF per document.

    Raises:
        TemplateError: the bundled contract template is broken (only when ``template`` is not given).
    """
    chosen = tuple(dict.fromkeys(parts))
    if not chosen:
        raise ValueError("no document chosen")
    if DocumentPart.CONTRACT in chosen and template is None:
        template = load_clause_template()
    with _RENDER_LOCK:
        styles = make_styles()
        if combined:
            return [_render(document, chosen, template, styles)]
        return [_render(document, (part,), template, styles) for part in chosen]


def _render(
    document: ContractDocument,
    parts: tuple[DocumentPart, ...],
    template: ClauseTemplate | None,
    styles: Styles,
) -> RenderedPdf:
    titles = {part: _part_title(document, part) for part in parts}
    if len(parts) == 1:
        title = titles[parts[0]]
        stem = f"{parts[0].label} {document.number}"
    else:
        title = f"Договор № {document.number}: " + ", ".join(_PART_NOUNS[part] for part in parts)
        stem = f"Документы по договору {document.number}"
    story: list[Flowable] = []
    for index, part in enumerate(parts):
        if index:
            story.append(PageBreak())
        story.append(_PartMarker(titles[part]))
        story.extend(_part_story(document, part, template, styles))
    buffer = io.BytesIO()
    pdf = BaseDocTemplate(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        leftMargin=LEFT_MARGIN,
        rightMargin=RIGHT_MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        title=title,
        author=document.author,
        subject=f"Договор об образовании № {document.number}",
        creator=CREATOR,
        keywords=["ПФДО", "договор об образовании", document.number],
        invariant=1,
        lang="ru-RU",
    )
    frame = Frame(LEFT_MARGIN, BOTTOM_MARGIN, FRAME_WIDTH, PAGE_HEIGHT - TOP_MARGIN - BOTTOM_MARGIN, id="body")
    decorate = functools.partial(_decorate_page, draft=document.is_draft)
    pdf.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decorate)])
    day = document.document_date
    canvas_maker = functools.partial(_NumberedCanvas, pdf_date=f"D:{day.year:04d}{day.month:02d}{day.day:02d}000000Z")
    pdf.build(story, canvasmaker=canvas_maker)
    file_name = _UNSAFE_FILE_CHARACTERS.sub(" ", stem).strip() + ".pdf"
    return RenderedPdf(file_name=file_name, title=title, parts=parts, data=buffer.getvalue())


_PART_NOUNS = {
    DocumentPart.CONTRACT: "договор",
    DocumentPart.APPLICATION: "заявление о зачислении",
    DocumentPart.CONSENT: "согласие на обработку персональных данных",
}


def _part_title(document: ContractDocument, part: DocumentPart) -> str:
    if part is DocumentPart.CONTRACT:
        return contract_title(document)
    if part is DocumentPart.APPLICATION:
        return application_title(document)
    return consent_title(document)


def _part_story(
    document: ContractDocument, part: DocumentPart, template: ClauseTemplate | None, styles: Styles
) -> list[Flowable]:
    if part is DocumentPart.CONTRACT:
        if template is None:
            raise ValueError("the contract needs a clause template")
        return contract_story(document, template, styles)
    if part is DocumentPart.APPLICATION:
        return application_story(document, styles)
    return consent_story(document, styles)


class _PartMarker(Flowable):  # type: ignore[misc]  # reportlab has no type hints
    """An invisible flowable at the start of a document: pages from here on belong to it (for numbering)."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title = title
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.document_title = self.title


def _decorate_page(canvas: Canvas, _doc: BaseDocTemplate, *, draft: bool) -> None:
    """Drawn before the page's content: the «ПРОЕКТ» marking of a contract not yet accepted."""
    if not draft:
        return
    canvas.saveState()
    canvas.setFillColor(_WATERMARK_COLOR)
    canvas.setFont(SERIF_BOLD, 96)
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(50)
    canvas.drawCentredString(0, -34, WATERMARK)
    canvas.restoreState()
    canvas.saveState()
    canvas.setFillColor(DRAFT_COLOR)
    canvas.setFont(SERIF_BOLD, 10)
    canvas.drawCentredString(LEFT_MARGIN + FRAME_WIDTH / 2, PAGE_HEIGHT - TOP_MARGIN + 6 * mm, DRAFT_MARK)
    canvas.restoreState()


class _NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab has no type hints
    """Holds pages back until the end, then numbers them «Страница N из M» within each document."""

    def __init__(self, *args: Any, pdf_date: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held_pages: list[dict[str, Any]] = []
        self.document_title = ""
        self.setDateFormatter(lambda *_: pdf_date)

    def showPage(self) -> None:  # noqa: N802 — reportlab's name
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        pages = list(self._held_pages)
        totals: dict[str, int] = {}
        for state in pages:
            totals[state["document_title"]] = totals.get(state["document_title"], 0) + 1
        seen: dict[str, int] = {}
        for state in pages:
            self.__dict__.update(state)
            title = state["document_title"]
            seen[title] = seen.get(title, 0) + 1
            self._draw_footer(title, seen[title], totals[title])
            Canvas.showPage(self)
        Canvas.save(self)

    def _draw_footer(self, title: str, page: int, total: int) -> None:
        self.saveState()
        self.setFont(SERIF, 8)
        self.setFillColor(_FOOTER_COLOR)
        baseline = BOTTOM_MARGIN - 8 * mm  # 12 mm from the edge: inside what any printer prints
        self.drawString(LEFT_MARGIN, baseline, title)
        self.drawRightString(PAGE_WIDTH - RIGHT_MARGIN, baseline, f"Страница {page} из {total}")
        self.restoreState()
