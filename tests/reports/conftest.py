"""Rendered documents shared by the report tests, and helpers to read PDFs back."""

from __future__ import annotations

import io
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from reports.model import ContractDocument
from reports.render import ALL_PARTS, DocumentPart, render_documents
from tests.reports.builders import LONG_PROGRAM_NAME, make_document


def normalized(text: str) -> str:
    """Whitespace (line breaks, no-break spaces) folded to single spaces, as text is compared."""
    return " ".join(text.split())


def page_texts(data: bytes) -> list[str]:
    """The normalized text of every page of a PDF."""
    return [normalized(page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages]


def render_pages(pdf: Path, prefix: Path, dpi: int, first: int | None = None, last: int | None = None) -> list[Path]:
    """Render pages of a PDF to PNG files ``prefix-N.png`` with pdftoppm and return them in page order."""
    command = ["pdftoppm", "-r", str(dpi), "-png"]
    if first is not None:
        command += ["-f", str(first)]
    if last is not None:
        command += ["-l", str(last)]
    subprocess.run([*command, str(pdf), str(prefix)], check=True, capture_output=True, timeout=60)
    pages = prefix.parent.glob(f"{prefix.name}-*.png")
    return sorted(pages, key=lambda path: int(path.stem.rsplit("-", 1)[1]))


@dataclass(frozen=True)
class Rendered:
    """One case: the document data, the combined PDF and each document's PDF on its own."""

    name: str
    document: ContractDocument
    combined: bytes
    separate: dict[DocumentPart, bytes]
    texts: dict[DocumentPart, str]

    def text(self, part: DocumentPart) -> str:
        """The normalized text of one document, all pages."""
        return self.texts[part]


def _render_case(name: str, document: ContractDocument) -> Rendered:
    combined = render_documents(document, combined=True)[0].data
    separate = {pdf.parts[0]: pdf.data for pdf in render_documents(document, ALL_PARTS, combined=False)}
    texts = {part: " ".join(page_texts(data)) for part, data in separate.items()}
    return Rendered(name, document, combined, separate, texts)


@pytest.fixture(scope="session")
def accepted() -> Rendered:
    """A contract the server accepted: final number «17-ПФ»."""
    return _render_case("accepted", make_document(accepted=True))


@pytest.fixture(scope="session")
def draft() -> Rendered:
    """A contract made offline and not yet accepted: provisional number «Л-0007»."""
    return _render_case("draft", make_document(accepted=False))


@pytest.fixture(scope="session")
def long_texts() -> Rendered:
    """A 250-character program name, very long addresses and a 12-month schedule."""
    document = make_document(program_name=LONG_PROGRAM_NAME, long_texts=True, group_end=date(2027, 8, 31))
    return _render_case("long", document)


@pytest.fixture(params=["accepted", "draft", "long_texts"])
def any_case(request: pytest.FixtureRequest) -> Rendered:
    case: Rendered = request.getfixturevalue(request.param)
    return case
