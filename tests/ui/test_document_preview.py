"""Documents in the program, with real widgets offscreen and real PDFs: the preview (pages, zoom, save, print
to a PDF file), the batch from the contracts list with its progress and «Отменить», rendering on the runner."""

from __future__ import annotations

import io
import subprocess
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QImage
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QToolButton, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.bootstrap import AppContext
from desktop_app.domain.contract import Contract
from desktop_app.services.documents import ContractDocuments, DocumentService
from tests.helpers.document_data import TODAY, store_documents_world
from tests.reports.conftest import render_pages
from tests.ui.desk_support import save_picture
from ui.documents.batch import BatchProgressDialog, DocumentActions
from ui.documents.preview import DocumentPreviewDialog
from ui.documents.prompts import BatchSaveDialog, BatchTarget, DocumentPrompts
from ui.pages.contracts_page import ContractsPage
from ui.selfcheck import check_qt_pdf
from ui.task_runner import TaskRunner

WAIT_MS = 30_000
NAME = "Соколов-Ёлкин Ф. И"


@dataclass
class Answers:
    """Answers the documents' questions at once, printing into a PDF file; remembers what it was told."""

    folder: Path
    combined: bool = True
    page_range: tuple[int, int] | None = None
    told: list[str] = field(default_factory=list)
    printed: Path = field(init=False)

    def __post_init__(self) -> None:
        self.printed = self.folder / "printed.pdf"

    def prompts(self) -> DocumentPrompts:
        return DocumentPrompts(
            ask_save_path=lambda _parent, suggested: self.folder / suggested.name,
            ask_folder=lambda _parent, _folder: self.folder,
            ask_batch_target=lambda _parent, _count, _folder: BatchTarget(self.folder, self.combined),
            ask_printer=self._printer,
            tell=lambda _parent, text: self.told.append(text),
        )

    def _printer(self, _parent: QWidget, printer: QPrinter, page_count: int | None) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(self.printed))
        if self.page_range is not None:
            assert page_count is not None
            printer.setPrintRange(QPrinter.PrintRange.PageRange)
            printer.setFromTo(*self.page_range)
        return True


class GatedDocumentService(DocumentService):
    """The real service, which records the threads it renders on and can be held before a chosen contract."""

    def __init__(self, *args: object, hold_at: int | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.threads: list[threading.Thread] = []
        self.hold_at = hold_at
        self.holding = threading.Event()
        self.release = threading.Event()

    def _render(self, *args: object, **kwargs: object) -> ContractDocuments:  # type: ignore[override]
        self.threads.append(threading.current_thread())
        if len(self.threads) == self.hold_at:
            self.holding.set()
            assert self.release.wait(WAIT_MS / 1000), "the test never released the batch"
        return super()._render(*args, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def answers(tmp_path: Path) -> Answers:
    folder = tmp_path / "documents"
    folder.mkdir()
    return Answers(folder)


@pytest.fixture
def service(context: AppContext) -> GatedDocumentService:
    return GatedDocumentService(context.database, today=lambda: TODAY)


@pytest.fixture
def contracts(context: AppContext) -> list[Contract]:
    return store_documents_world(context.database, 3)


@pytest.fixture
def preview(
    qtbot: QtBot, service: GatedDocumentService, runner: TaskRunner, contracts: list[Contract], answers: Answers
) -> Iterator[DocumentPreviewDialog]:
    dialog = DocumentPreviewDialog(service, runner, contracts[0].id, "17-ПФ", prompts=answers.prompts())
    qtbot.addWidget(dialog)
    dialog.resize(900, 1000)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.pdf is not None, timeout=WAIT_MS)
    yield dialog
    qtbot.waitUntil(lambda: not runner.busy, timeout=WAIT_MS)


def _pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def _has_text(view: QPdfView) -> bool:
    """The view shows a rendered page: dark pixels (text) on its white paper, not blank paper only."""
    image = view.viewport().grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    dark = sum(
        1
        for y in range(0, image.height(), 3)
        for x in range(0, image.width(), 3)
        if image.pixelColor(x, y).value() < 80
    )
    return dark > 200


def _done(message: QWidget) -> bool:
    return message.isVisible() and "…" not in message.text()  # type: ignore[attr-defined]


def test_the_preview_shows_every_page_with_navigation_and_zoom(
    qtbot: QtBot, preview: DocumentPreviewDialog, service: GatedDocumentService, artifacts_dir: Path
) -> None:
    assert preview.rendered is not None
    count = _pages(preview.rendered.files[0].data)
    assert preview.page_count == count
    assert preview.page_total.text() == f"из {count}"
    assert preview.windowTitle() == f"Документы по договору № 17-ПФ — {NAME}."
    assert all(thread is not threading.main_thread() for thread in service.threads)

    preview.page_spin.setValue(3)
    qtbot.waitUntil(lambda: preview.view.pageNavigator().currentPage() == 2, timeout=WAIT_MS)
    preview.next_button.click()
    qtbot.waitUntil(lambda: preview.page_spin.value() == 4, timeout=WAIT_MS)
    preview.page_spin.setValue(1)
    qtbot.waitUntil(lambda: not preview.previous_button.isEnabled(), timeout=WAIT_MS)

    preview.zoom.setCurrentIndex(preview.zoom.findData(100))
    assert preview.view.zoomMode() is QPdfView.ZoomMode.Custom
    preview.zoom_in_button.click()
    assert preview.view.zoomFactor() == pytest.approx(1.25)
    preview.zoom.setCurrentIndex(0)
    assert preview.view.zoomMode() is QPdfView.ZoomMode.FitToWidth

    qtbot.waitUntil(lambda: _has_text(preview.view), timeout=WAIT_MS)
    save_picture(preview, artifacts_dir / "documents-preview.png")


def test_save_writes_the_rendered_bytes(
    qtbot: QtBot, preview: DocumentPreviewDialog, service: GatedDocumentService, answers: Answers, artifacts_dir: Path
) -> None:
    assert preview.rendered is not None
    preview.save_button.click()
    saved = answers.folder / f"Документы по договору 17-ПФ — {NAME}.pdf"
    qtbot.waitUntil(lambda: _done(preview.message), timeout=WAIT_MS)

    assert saved.read_bytes() == preview.rendered.files[0].data
    assert saved.read_bytes() == service.render(preview.rendered.contract.id).files[0].data
    assert preview.message.text() == f"Сохранено в папку «{answers.folder}»: «{saved.name}»."
    assert preview.folder.path == answers.folder
    save_picture(preview, artifacts_dir / "documents-preview-saved.png")


def test_save_as_three_files(qtbot: QtBot, preview: DocumentPreviewDialog, answers: Answers) -> None:
    preview.files_choice.setCurrentIndex(1)
    preview.save_button.click()
    qtbot.waitUntil(lambda: _done(preview.message), timeout=WAIT_MS)

    names = sorted(path.name for path in answers.folder.iterdir())
    assert names == [f"Договор 17-ПФ — {NAME}.pdf", f"Заявление 17-ПФ — {NAME}.pdf", f"Согласие 17-ПФ — {NAME}.pdf"]


def test_printing_into_a_pdf_file(
    qtbot: QtBot, preview: DocumentPreviewDialog, answers: Answers, artifacts_dir: Path
) -> None:
    preview.print_button.click()
    qtbot.waitUntil(lambda: _done(preview.message), timeout=WAIT_MS)

    assert preview.message.text() == f"Отправлено на печать, листов: {preview.page_count}."
    printed = PdfReader(answers.printed)
    assert len(printed.pages) == preview.page_count
    assert "17-ПФ" in (printed.metadata.title or "")  # the print job's name
    width, height = (float(value) for value in printed.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    # Pages are printed as pictures at the printer's resolution: read the QR code back from the first one.
    picture = render_pages(answers.printed, artifacts_dir / "documents-printed", 150, 1, 1)[0]
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(picture)], capture_output=True, check=True, timeout=60)
    assert "Договор № 17-ПФ" in decoded.stdout.decode()


def test_printing_a_range_of_pages(qtbot: QtBot, preview: DocumentPreviewDialog, answers: Answers) -> None:
    answers.page_range = (2, 3)
    preview.print_button.click()
    qtbot.waitUntil(lambda: _done(preview.message), timeout=WAIT_MS)

    assert len(PdfReader(answers.printed).pages) == 2


def test_missing_requisites_are_shown_in_the_preview(
    qtbot: QtBot, context: AppContext, runner: TaskRunner, answers: Answers, artifacts_dir: Path
) -> None:
    contract = store_documents_world(context.database, 1, requisites=False)[0]
    dialog = DocumentPreviewDialog(
        DocumentService(context.database), runner, contract.id, "17-ПФ", prompts=answers.prompts()
    )
    qtbot.addWidget(dialog)
    dialog.resize(900, 700)
    dialog.show()

    qtbot.waitUntil(lambda: dialog.placeholder.text().startswith("Заполните реквизиты"), timeout=WAIT_MS)
    assert not dialog.print_button.isEnabled()
    assert not dialog.save_button.isEnabled()
    save_picture(dialog, artifacts_dir / "documents-preview-missing-requisites.png")


@pytest.fixture
def page(
    qtbot: QtBot,
    context: AppContext,
    service: GatedDocumentService,
    runner: TaskRunner,
    answers: Answers,
    contracts: list[Contract],
) -> Iterator[ContractsPage]:
    shown = ContractsPage(context.contracts, runner, documents=service, document_prompts=answers.prompts())
    qtbot.addWidget(shown)
    shown.resize(940, 700)
    shown.show()
    with qtbot.waitSignal(shown.loaded, timeout=WAIT_MS):
        shown.refresh()
    yield shown
    qtbot.waitUntil(lambda: not runner.busy, timeout=WAIT_MS)


def _actions(page: ContractsPage) -> DocumentActions:
    assert page.documents_ is not None
    return page.documents_


def _select_rows(page: ContractsPage, rows: range) -> None:
    selection = page.view.selectionModel()
    selection.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in rows:
        selection.select(page.proxy.index(row, 0), flags)


def test_the_contracts_page_offers_documents_for_one_and_for_many(
    qtbot: QtBot, page: ContractsPage, contracts: list[Contract], artifacts_dir: Path
) -> None:
    _select_rows(page, range(1))
    assert _actions(page).button.isEnabled() and _actions(page).preview_action.isEnabled()
    _actions(page).button.click()
    assert _actions(page).preview is not None
    preview = _actions(page).preview
    qtbot.waitUntil(lambda: preview.pdf is not None, timeout=WAIT_MS)
    preview.close_button.click()
    assert not preview.isVisible()

    _select_rows(page, range(3))
    assert page.selected() is None
    assert _actions(page).button.isEnabled() and not _actions(page).preview_action.isEnabled()
    assert not page.confirm_action.isEnabled()
    assert {view.id for view in page.selected_views()} == {contract.id for contract in contracts}
    overflow = page.toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
    assert overflow is None or not overflow.isVisible(), "every action fits on the toolbar"
    page.view.selectionModel().clearSelection()
    assert not _actions(page).button.isEnabled()
    _select_rows(page, range(3))
    save_picture(page, artifacts_dir / "documents-contracts-page.png")


def test_a_batch_saves_the_selected_contracts(
    qtbot: QtBot, page: ContractsPage, answers: Answers, service: GatedDocumentService
) -> None:
    _select_rows(page, range(3))
    _actions(page).save_action.trigger()
    qtbot.waitUntil(lambda: bool(answers.told), timeout=WAIT_MS)

    assert answers.told == [f"Документы сохранены в папку «{answers.folder}». Договоров: 3, файлов: 3."]
    assert len(list(answers.folder.glob("Документы по договору *.pdf"))) == 3
    assert {thread.name.split("_")[0] for thread in service.threads} == {"pfdo-parallel"}


def test_a_batch_prints_the_selected_contracts_as_one_job(
    qtbot: QtBot, page: ContractsPage, answers: Answers, service: GatedDocumentService
) -> None:
    _select_rows(page, range(2))
    _actions(page).print_action.trigger()
    qtbot.waitUntil(lambda: bool(answers.told), timeout=WAIT_MS)

    assert answers.told == ["Документы отправлены на печать. Договоров: 2."]
    one = _pages(service.render(page.selected_views()[0].id).files[0].data)
    assert len(PdfReader(answers.printed).pages) == 2 * one


def test_a_batch_of_fifty_shows_progress_and_stops_when_cancelled(
    qtbot: QtBot, context: AppContext, runner: TaskRunner, answers: Answers, artifacts_dir: Path
) -> None:
    contracts = store_documents_world(context.database, 50)
    service = GatedDocumentService(context.database, today=lambda: TODAY, hold_at=3)
    shown = ContractsPage(context.contracts, runner, documents=service, document_prompts=answers.prompts())
    qtbot.addWidget(shown)
    shown.resize(940, 700)
    shown.show()
    with qtbot.waitSignal(shown.loaded, timeout=WAIT_MS):
        shown.refresh()
    _select_rows(shown, range(50))

    _actions(shown).save_action.trigger()
    # The third contract's rendering is held on the worker: the GUI thread goes on showing the progress.
    progress = _actions(shown).progress
    assert isinstance(progress, BatchProgressDialog)
    qtbot.waitUntil(lambda: service.holding.is_set() and progress.bar.value() == 2, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: progress.current.text().startswith("Договор "), timeout=WAIT_MS)
    assert progress.isVisible()
    assert progress.bar.text() == "2 из 50"
    save_picture(progress, artifacts_dir / "documents-batch-progress.png")

    progress.cancel_button.click()
    assert progress.current.text() == "Останавливается после текущего договора…"
    service.release.set()
    qtbot.waitUntil(lambda: bool(answers.told), timeout=WAIT_MS)

    assert answers.told == [
        f"Сохранение остановлено: обработано договоров — 3 из 50. Сохранённые файлы остались в папке "
        f"«{answers.folder}», недописанных файлов нет."
    ]
    names = sorted(path.name for path in answers.folder.iterdir())
    assert len(names) == 3 and all(name.endswith(".pdf") and not name.startswith(".") for name in names)
    assert len(service.threads) == 3 and threading.main_thread() not in service.threads
    assert len(contracts) == 50


def test_the_batch_save_dialog_checks_the_folder(qtbot: QtBot, tmp_path: Path, artifacts_dir: Path) -> None:
    dialog = BatchSaveDialog(12, tmp_path / "нет такой папки")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.accept()
    assert dialog.error.isVisible() and dialog.result() == 0
    dialog.folder.setText(str(tmp_path))
    dialog.separate.setChecked(True)
    save_picture(dialog, artifacts_dir / "documents-batch-save.png")
    dialog.accept()
    assert dialog.target() == BatchTarget(tmp_path, combined=False)
    assert dialog.result() == 1


def test_unknown_contract_in_the_preview(qtbot: QtBot, context: AppContext, runner: TaskRunner) -> None:
    dialog = DocumentPreviewDialog(DocumentService(context.database), runner, uuid.uuid4(), "99-ПФ")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.placeholder.text().startswith("Договор не найден"), timeout=WAIT_MS)
    assert dialog.placeholder.objectName() == "deskProblem"
    assert dialog.windowTitle() == "Документы по договору № 99-ПФ"
    assert Qt.WindowModality.NonModal == dialog.windowModality()


def test_the_self_check_opens_a_pdf_with_qtpdf() -> None:
    result = check_qt_pdf()
    assert result.ok, result.detail
    assert result.name == "Просмотр PDF"
