"""DocumentService on a real database file: the three documents as one PDF or three, their file names, batches
into a folder with progress and cancellation (no half-written file ever), and the clerk's messages when
something the documents must state is missing."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop_app.domain.contract import Contract, ContractStatus
from desktop_app.errors import ExpectedError
from desktop_app.progress import Cancelled, Progress, TaskControl
from desktop_app.services.documents import (
    MAX_FILE_STEM,
    DocumentService,
    initials_name,
    safe_file_name,
    write_atomically,
)
from desktop_app.storage.database import Database
from reports.model import DocumentDataError
from reports.render import DocumentPart
from tests.helpers.document_data import NOW, TODAY, store_documents_world
from tests.reports.builders import make_group, make_module, make_program
from tests.reports.conftest import page_texts

SOKOLOV = "Соколов-Ёлкин Ф. И."
IN_NAMES = "Соколов-Ёлкин Ф. И"
"""As file names have it: the initial's dot and the suffix's dot are one (no name ends with a dot)."""


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    (tmp_path / "data").mkdir()
    opened = Database.open(tmp_path / "data" / "documents.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def service(database: Database) -> DocumentService:
    return DocumentService(database, today=lambda: TODAY)


def _text(data: bytes) -> str:
    return " ".join(page_texts(data))


def _page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def test_one_pdf_holds_the_contract_the_application_and_the_consent(
    database: Database, service: DocumentService
) -> None:
    contract = store_documents_world(database, 1)[0]

    combined = service.render(contract.id)
    separate = service.render(contract.id, combined=False)

    assert [pdf.file_name for pdf in combined.files] == [f"Документы по договору 17-ПФ — {IN_NAMES}.pdf"]
    assert combined.number == "17-ПФ"
    assert combined.title == f"Документы по договору № 17-ПФ — {SOKOLOV}"
    text = _text(combined.files[0].data)
    assert "ДОГОВОР № 17-ПФ" in text
    assert "Соколов-Ёлкин Фёдор Игоревич" in text
    assert "Заявление о зачислении по договору № 17-ПФ" in text
    assert "Согласие на обработку персональных данных к договору № 17-ПФ" in text
    assert _page_count(combined.files[0].data) == sum(_page_count(pdf.data) for pdf in separate.files)


def test_three_files_one_per_document_with_russian_names(database: Database, service: DocumentService) -> None:
    contract = store_documents_world(database, 1)[0]

    rendered = service.render(contract.id, combined=False)

    assert [pdf.file_name for pdf in rendered.files] == [
        f"Договор 17-ПФ — {IN_NAMES}.pdf",
        f"Заявление 17-ПФ — {IN_NAMES}.pdf",
        f"Согласие 17-ПФ — {IN_NAMES}.pdf",
    ]
    assert [pdf.parts for pdf in rendered.files] == [
        (DocumentPart.CONTRACT,),
        (DocumentPart.APPLICATION,),
        (DocumentPart.CONSENT,),
    ]
    for pdf in rendered.files:
        assert PdfReader(io.BytesIO(pdf.data)).metadata.title == pdf.title
        assert "17-ПФ" in _text(pdf.data)


def test_documents_carry_today_before_signing_and_the_signing_date_after(
    database: Database, service: DocumentService
) -> None:
    contract = store_documents_world(database, 1)[0]
    assert "от 10.09.2026" in _text(service.render(contract.id).files[0].data)

    with database.write() as work:
        work.contracts.save(replace(contract, status=ContractStatus.ACTIVE, signed_on=TODAY.replace(day=5)), NOW)

    assert "от 05.09.2026" in _text(service.render(contract.id).files[0].data)


def test_a_draft_is_named_by_its_provisional_number(database: Database, service: DocumentService) -> None:
    contract = store_documents_world(database, 1)[0]
    with database.write() as work:
        work.contracts.save(replace(contract, number=None, status=ContractStatus.PENDING), NOW)

    rendered = service.render(contract.id)

    assert rendered.files[0].file_name == f"Документы по договору П-TEST-1 — {IN_NAMES}.pdf"
    assert "ПРОЕКТ" in _text(rendered.files[0].data)


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("Договор 12-ПФ — Иванов П. И.", "Договор 12-ПФ — Иванов П. И.pdf"),
        ('Договор 12/ПФ: "Иванов" <П>|И?*\\', "Договор 12_ПФ_ _Иванов_ _П__И___.pdf"),
        ("Договор 12-ПФ — Иванов . . ", "Договор 12-ПФ — Иванов.pdf"),
        ("Договор\t12-ПФ\n—  Иванов\x07", "Договор 12-ПФ — Иванов_.pdf"),
        ("...", "Документы.pdf"),
    ],
)
def test_file_names_are_safe_on_windows(stem: str, expected: str) -> None:
    name = safe_file_name(stem)
    assert name == expected
    assert not set(name) & set('\\/:*?"<>|')
    assert not name.removesuffix(".pdf").endswith((" ", "."))


def test_long_file_names_are_cut() -> None:
    name = safe_file_name("Договор 12-ПФ — " + "Очень-очень-длинная-фамилия " * 20)
    assert len(name) <= MAX_FILE_STEM + len(".pdf")
    assert name.endswith(".pdf")


def test_initials() -> None:
    assert initials_name("Соколов-Ёлкин Фёдор Игоревич") == SOKOLOV
    assert initials_name("  Петров   Пётр ") == "Петров П."
    assert initials_name("Петров") == "Петров"


def test_a_batch_saves_every_contract_and_reports_progress(
    database: Database, service: DocumentService, tmp_path: Path
) -> None:
    contracts = store_documents_world(database, 3)
    folder = tmp_path / "out"
    folder.mkdir()
    reports: list[Progress] = []

    result = service.save_batch([c.id for c in contracts], folder, TaskControl(reports.append))

    assert result.done == 3
    assert result.problems == ()
    assert sorted(path.name for path in folder.iterdir()) == sorted(path.name for path in result.files)
    assert {path.name for path in result.files} == {
        f"Документы по договору 17-ПФ — {IN_NAMES}.pdf",
        "Документы по договору 18-ПФ — Иванова М. П.pdf",
        "Документы по договору 19-ПФ — Петров П.pdf",
    }
    first = folder / f"Документы по договору 17-ПФ — {IN_NAMES}.pdf"
    assert first.read_bytes() == service.render(contracts[0].id).files[0].data
    assert [(report.done, report.total) for report in reports] == [(0, 3), (1, 3), (1, 3), (2, 3), (2, 3), (3, 3)]
    assert reports[0].text == f"Договор 17-ПФ — {SOKOLOV}"


def test_a_batch_of_separate_files_saves_three_per_contract(
    database: Database, service: DocumentService, tmp_path: Path
) -> None:
    contracts = store_documents_world(database, 2)

    result = service.save_batch([c.id for c in contracts], tmp_path / "data", TaskControl(), combined=False)

    assert result.done == 2
    assert len(result.files) == 6
    assert (
        sorted(path.name.split(" ")[0] for path in result.files)
        == ["Договор"] * 2 + ["Заявление"] * 2 + ["Согласие"] * 2
    )


def test_a_cancelled_batch_stops_between_contracts_and_leaves_no_partial_file(
    database: Database, service: DocumentService, tmp_path: Path
) -> None:
    contracts = store_documents_world(database, 5)

    def cancel_after_two(progress: Progress) -> None:
        if progress.done == 2:
            control.cancel()

    control = TaskControl(cancel_after_two)
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(Cancelled):
        service.save_batch([c.id for c in contracts], folder, control, combined=False)

    names = sorted(path.name for path in folder.iterdir())
    assert len(names) == 6, names  # two contracts, three documents each, every one complete
    assert all(name.endswith(".pdf") and not name.startswith(".") for name in names)
    for path in folder.iterdir():
        assert PdfReader(path).pages


def test_a_failed_write_leaves_neither_the_file_nor_its_temporary(tmp_path: Path) -> None:
    taken = tmp_path / "Договор 17-ПФ.pdf"
    taken.mkdir()  # a folder of that name: the rename cannot replace it

    with pytest.raises(OSError):
        write_atomically(taken, b"%PDF-1.4")

    assert [path.name for path in tmp_path.iterdir()] == [taken.name]


def test_missing_requisites_say_what_to_fill_in(database: Database, service: DocumentService) -> None:
    contract = store_documents_world(database, 1, requisites=False)[0]

    with pytest.raises(DocumentDataError) as raised:
        service.render(contract.id)

    message = raised.value.user_message
    assert message.startswith("Заполните реквизиты организации, прежде чем печатать договор.")
    assert "ИНН" in message


def test_a_certificate_contract_needs_the_agreement_with_its_payer(
    database: Database, service: DocumentService
) -> None:
    contract = store_documents_world(database, 1, paid_by_certificate=True)[0]

    with pytest.raises(DocumentDataError, match="Не найдено соглашение с уполномоченной организацией"):
        service.render(contract.id)


def test_a_batch_lists_contracts_it_could_not_make_and_goes_on(
    database: Database, service: DocumentService, tmp_path: Path
) -> None:
    contracts = store_documents_world(database, 2)
    missing = uuid.uuid4()
    # Paid partly by a certificate of a payer the organization has no agreement with: its contract cannot say
    # who pays, the others print.
    broken = replace(contracts[1], from_certificate=100_000, co_payment=contracts[1].price - 100_000)
    with database.write() as work:
        work.contracts.save(broken, NOW)

    folder = tmp_path / "out"
    folder.mkdir()
    result = service.save_batch([contracts[0].id, broken.id, missing], folder, TaskControl())

    assert result.done == 1
    assert [path.name for path in folder.iterdir()] == [f"Документы по договору 17-ПФ — {IN_NAMES}.pdf"]
    assert [problem.contract for problem in result.problems] == ["18-ПФ — Иванова М. П.", "—"]
    assert "Не найдено соглашение" in result.problems[0].message
    assert result.problems[1].message.startswith("Договор не найден")


def test_a_contract_in_a_group_archived_since_still_prints(database: Database, service: DocumentService) -> None:
    (contract,) = store_documents_world(database, 1)
    moved = _on_archived_group(database, contract)

    documents = service.render(moved.id)

    assert documents.number == "17-ПФ"
    assert "Акварель-2" in " ".join(_text(pdf.data) for pdf in documents.files)


def test_an_unknown_contract_is_an_expected_problem(service: DocumentService) -> None:
    with pytest.raises(ExpectedError, match="Договор не найден"):
        service.render(uuid.uuid4())


def _on_archived_group(database: Database, contract: Contract) -> Contract:
    """The contract moved to a second group, which then leaves the program (it is archived, not deleted)."""
    group = make_group()
    module = make_module(group)
    other = replace(group, id=uuid.uuid4(), name="Акварель-2", schedule=())
    moved = replace(contract, group_id=other.id)
    with database.write() as work:
        work.programs.save(make_program(replace(module, groups=(group, other))), NOW)
        work.contracts.save(moved, NOW)
    with database.write() as work:
        work.programs.save(make_program(module), NOW)
    return moved
