"""Rendering: the «ПРОЕКТ» marking, page numbers, metadata, the QR code, deterministic bytes, page pictures."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from reports.render import ALL_PARTS, DRAFT_MARK, DocumentPart, render_documents
from tests.reports.builders import make_document
from tests.reports.conftest import Rendered, page_texts, render_pages

ROOT = Path(__file__).resolve().parents[2]


def test_a_pending_contract_is_marked_as_a_project_on_every_page(draft: Rendered) -> None:
    assert draft.document.is_draft
    for data in (draft.combined, *draft.separate.values()):
        pages = page_texts(data)
        assert pages
        for number, text in enumerate(pages, start=1):
            assert DRAFT_MARK in text, f"page {number}"
            assert "Л-0007" in text, f"page {number}: the provisional number"
            assert "17-ПФ" not in text


def test_an_accepted_contract_has_its_final_number_and_no_marking(accepted: Rendered) -> None:
    assert not accepted.document.is_draft
    pages = page_texts(accepted.combined)
    for number, text in enumerate(pages, start=1):
        assert "ПРОЕКТ" not in text, f"page {number}"
        assert "17-ПФ" in text, f"page {number}"
        assert "Л-0007" not in text


def test_pages_are_numbered_within_each_document(any_case: Rendered) -> None:
    counts = {part: len(PdfReader(io.BytesIO(data)).pages) for part, data in any_case.separate.items()}
    combined = page_texts(any_case.combined)
    assert len(combined) == sum(counts.values())
    expected = [(page, counts[part]) for part in ALL_PARTS for page in range(1, counts[part] + 1)]
    for text, (page, total) in zip(combined, expected, strict=True):
        assert text.endswith(f"Страница {page} из {total}")
    for part, data in any_case.separate.items():
        for page, text in enumerate(page_texts(data), start=1):
            assert text.endswith(f"Страница {page} из {counts[part]}"), part


def test_each_document_starts_on_its_own_page(accepted: Rendered) -> None:
    counts = [len(PdfReader(io.BytesIO(accepted.separate[part])).pages) for part in ALL_PARTS]
    pages = page_texts(accepted.combined)
    assert pages[0].startswith("ДОГОВОР № 17-ПФ")
    assert pages[counts[0]].startswith("В Муниципальное бюджетное учреждение")
    assert pages[counts[0] + counts[1]].startswith("СОГЛАСИЕ на обработку персональных данных")


def test_metadata_title_author_and_date(accepted: Rendered) -> None:
    metadata = PdfReader(io.BytesIO(accepted.combined)).metadata
    assert metadata is not None
    assert metadata.title == (
        "Договор № 17-ПФ: договор, заявление о зачислении, согласие на обработку персональных данных"
    )
    assert metadata.author == "МБУ ДО «Дом детского творчества № 2»"
    assert metadata.subject == "Договор об образовании № 17-ПФ"
    assert metadata.creator == "АРМ организации ПФДО"
    assert metadata.creation_date is not None
    assert metadata.creation_date == datetime(2026, 8, 25, tzinfo=UTC)
    contract = PdfReader(io.BytesIO(accepted.separate[DocumentPart.CONTRACT])).metadata
    assert contract is not None
    assert contract.title == "Договор № 17-ПФ от 25.08.2026"


def test_separate_files_have_suggested_names(tmp_path: Path) -> None:
    pdfs = render_documents(make_document(), combined=False)
    assert [pdf.file_name for pdf in pdfs] == ["Договор 17-ПФ.pdf", "Заявление 17-ПФ.pdf", "Согласие 17-ПФ.pdf"]
    combined = render_documents(make_document(), [DocumentPart.CONSENT, DocumentPart.CONTRACT])[0]
    assert combined.file_name == "Документы по договору 17-ПФ.pdf"
    assert combined.parts == (DocumentPart.CONSENT, DocumentPart.CONTRACT)
    path = combined.write(tmp_path)
    assert path.read_bytes() == combined.data
    assert PdfReader(path).pages[0].extract_text().startswith("СОГЛАСИЕ")


def test_no_document_chosen_is_a_bug() -> None:
    with pytest.raises(ValueError, match="no document chosen"):
        render_documents(make_document(), [])


# ---------------------------------------------------------------- determinism


def test_the_same_input_gives_the_same_bytes(accepted: Rendered, draft: Rendered) -> None:
    again = render_documents(make_document(accepted=True))[0].data
    assert again == accepted.combined
    assert render_documents(make_document(accepted=False))[0].data == draft.combined
    assert accepted.combined != draft.combined


_RENDER_IN_A_NEW_PROCESS = """
import hashlib, sys
from tests.reports.builders import make_document
from reports.render import render_documents
sys.stdout.write(hashlib.sha256(render_documents(make_document())[0].data).hexdigest())
"""


def test_the_same_input_gives_the_same_bytes_in_another_process(accepted: Rendered) -> None:
    """No process state (the clock, font registration order, counters) leaks into the file."""
    result = subprocess.run(
        [sys.executable, "-c", _RENDER_IN_A_NEW_PROCESS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env={**os.environ, "TZ": "Asia/Novosibirsk", "PYTHONHASHSEED": "12345"},
    )
    assert result.stdout == hashlib.sha256(accepted.combined).hexdigest()


# ---------------------------------------------------------------- the QR code


@pytest.mark.parametrize("case_name", ["accepted", "draft"])
def test_the_qr_code_decodes_to_the_number_and_the_verification_code(
    case_name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    case: Rendered = request.getfixturevalue(case_name)
    pdf = tmp_path / "contract.pdf"
    pdf.write_bytes(case.separate[DocumentPart.CONTRACT])
    (png,) = render_pages(pdf, tmp_path / "page", dpi=150, first=1, last=1)
    result = subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], capture_output=True, check=False, timeout=60)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    decoded = result.stdout.decode("utf-8").strip()
    document = case.document
    kind = "Проект договора" if document.is_draft else "Договор"
    assert decoded == f"{kind} № {document.number}\nКод проверки: {document.verification_code}"


# ---------------------------------------------------------------- pictures of every page for people to look at


def test_every_page_is_rendered_for_review(any_case: Rendered, artifacts_dir: Path) -> None:
    folder = artifacts_dir / "reports"
    folder.mkdir(exist_ok=True)
    for part, data in any_case.separate.items():
        stem = f"{any_case.name}-{part.value}"
        for old in folder.glob(f"{stem}-*.png"):
            old.unlink()
        pdf = folder / f"{stem}.pdf"
        pdf.write_bytes(data)
        pages = render_pages(pdf, folder / stem, dpi=100)
        assert len(pages) == len(PdfReader(io.BytesIO(data)).pages)
        for page in pages:
            assert page.stat().st_size > 10_000, f"{page.name} looks blank"


def test_rendering_from_several_threads_at_once_gives_the_same_bytes(accepted: Rendered) -> None:
    """The task runner renders on worker threads; reportlab's process-wide state must not mix documents."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: render_documents(make_document())[0].data, range(4)))
    assert all(result == accepted.combined for result in results)
