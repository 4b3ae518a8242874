"""«Документы по договору»: the contract, the application and the consent on screen, to print or save.

The documents are rendered on the task runner while the dialog says they are being prepared; then the PDF
is shown with ``QPdfView`` (pages one under another, page number and zoom above). «Печать…» asks for a
printer and prints on the runner; «Сохранить PDF…» saves the shown file, or each document as its own file
when the clerk chose so. A problem the clerk can fix (missing requisites, say) is shown in the dialog.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF, QSize
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.errors import as_expected
from desktop_app.progress import TaskControl
from desktop_app.services.documents import ContractDocuments, DocumentService, write_atomically
from ui.desk.formatting import STYLE
from ui.documents.printing import PrintJob, chosen_pages, load_pdf, make_printer
from ui.documents.prompts import DocumentPrompts, documents_folder
from ui.icons import icon
from ui.task_runner import Lane, Task, TaskRunner

PREPARING = "Документы готовятся…"
FIT_WIDTH = "По ширине"
FIT_PAGE = "Страница целиком"
ZOOM_PERCENTS = (50, 75, 100, 125, 150, 200)
PREFERRED_SIZE = QSize(900, 1000)
"""Room for an A4 page at a readable width; never more than most of the screen."""
SCREEN_SHARE = 0.9
POINTS_PER_INCH = 72


@dataclass
class SaveFolder:
    """The folder the clerk saved documents to last, shared by the preview and the batches of a page."""

    path: Path = field(default_factory=documents_folder)


def saved_text(paths: list[Path]) -> str:
    names = ", ".join(f"«{path.name}»" for path in paths)
    return f"Сохранено в папку «{paths[0].parent}»: {names}."


class DocumentPreviewDialog(QDialog):
    """See the module docstring. ``shown`` is emitted when the documents are on screen, ``message`` with
    every note for the clerk (saved, sent to the printer, a problem)."""

    def __init__(
        self,
        documents: DocumentService,
        runner: TaskRunner,
        contract_id: uuid.UUID,
        label: str,
        *,
        prompts: DocumentPrompts | None = None,
        folder: SaveFolder | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = documents
        self._runner = runner
        self._contract_id = contract_id
        self.prompts = prompts or DocumentPrompts()
        self.folder = folder or SaveFolder()
        self.rendered: ContractDocuments | None = None
        self._tasks: set[Task[Any]] = set()
        self.setWindowTitle(f"Документы по договору № {label}")
        self.setStyleSheet(STYLE)
        self.pdf: QPdfDocument | None = None
        self.view = QPdfView()
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.placeholder = QLabel(PREPARING)
        self.placeholder.setWordWrap(True)
        waiting = QWidget()
        waiting_layout = QVBoxLayout(waiting)
        waiting_layout.setContentsMargins(24, 24, 24, 24)
        waiting_layout.addWidget(self.placeholder)
        waiting_layout.addStretch(1)
        self.stack = QStackedWidget()
        self.stack.addWidget(waiting)
        self.stack.addWidget(self.view)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(self._navigation_row())
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.message)
        layout.addLayout(self._button_row())
        self._set_ready(False)
        self._runner.finished.connect(self._task_finished)
        self._fit_to_screen()
        self._start("render documents", lambda _control: self._service.render(contract_id), self._show_documents)

    # ------------------------------------------------------------ layout

    def _navigation_row(self) -> QHBoxLayout:
        self.previous_button = self._tool_button("mdi6.chevron-left", "Предыдущая страница", lambda: self._step(-1))
        self.next_button = self._tool_button("mdi6.chevron-right", "Следующая страница", lambda: self._step(1))
        self.page_spin = QSpinBox()
        self.page_spin.setMinimum(1)
        self.page_spin.setAccelerated(True)
        self.page_spin.valueChanged.connect(self._go_to)
        self.page_total = QLabel()
        self.zoom_out_button = self._tool_button("mdi6.magnify-minus-outline", "Уменьшить", lambda: self._zoom_by(-1))
        self.zoom_in_button = self._tool_button("mdi6.magnify-plus-outline", "Увеличить", lambda: self._zoom_by(1))
        self.zoom = QComboBox()
        self.zoom.addItem(FIT_WIDTH, QPdfView.ZoomMode.FitToWidth)
        self.zoom.addItem(FIT_PAGE, QPdfView.ZoomMode.FitInView)
        for percent in ZOOM_PERCENTS:
            self.zoom.addItem(f"{percent} %", percent)
        self.zoom.currentIndexChanged.connect(self._zoom_chosen)
        row = QHBoxLayout()
        row.addWidget(QLabel("Страница"))
        row.addWidget(self.previous_button)
        row.addWidget(self.page_spin)
        row.addWidget(self.next_button)
        row.addWidget(self.page_total)
        row.addStretch(1)
        row.addWidget(self.zoom_out_button)
        row.addWidget(self.zoom)
        row.addWidget(self.zoom_in_button)
        return row

    def _button_row(self) -> QHBoxLayout:
        self.files_choice = QComboBox()
        self.files_choice.addItem("одним файлом", True)
        self.files_choice.addItem("каждый документ отдельно", False)
        self.files_choice.setToolTip("Договор, заявление о зачислении и согласие: в одном PDF или в трёх")
        buttons = QDialogButtonBox()
        self.print_button = buttons.addButton("Печать…", QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button = buttons.addButton("Сохранить PDF…", QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = buttons.addButton("Закрыть", QDialogButtonBox.ButtonRole.RejectRole)
        assert isinstance(self.print_button, QPushButton) and isinstance(self.save_button, QPushButton)
        self.print_button.setIcon(icon("mdi6.printer-outline"))
        self.save_button.setIcon(icon("mdi6.content-save-outline"))
        self.print_button.clicked.connect(self.print_documents)
        self.save_button.clicked.connect(self.save_documents)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(QLabel("Сохранять:"))
        row.addWidget(self.files_choice)
        row.addStretch(1)
        row.addWidget(buttons)
        return row

    def _tool_button(self, icon_name: str, tip: str, slot: Callable[[], None]) -> QToolButton:
        button = QToolButton()
        button.setIcon(icon(icon_name))
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _fit_to_screen(self) -> None:
        available = self.screen().availableGeometry()
        self.resize(
            min(PREFERRED_SIZE.width(), int(available.width() * SCREEN_SHARE)),
            min(PREFERRED_SIZE.height(), int(available.height() * SCREEN_SHARE)),
        )

    def _set_ready(self, ready: bool) -> None:
        for widget in (
            self.previous_button,
            self.next_button,
            self.page_spin,
            self.zoom,
            self.zoom_in_button,
            self.zoom_out_button,
            self.print_button,
            self.save_button,
            self.files_choice,
        ):
            widget.setEnabled(ready)

    # ------------------------------------------------------------ showing

    @property
    def page_count(self) -> int:
        return self.pdf.pageCount() if self.pdf is not None else 0

    def _show_documents(self, rendered: ContractDocuments) -> None:
        self.rendered = rendered
        self.setWindowTitle(rendered.title)
        self.pdf = load_pdf(rendered.files[0].data)
        self.pdf.setParent(self)
        self.view.setDocument(self.pdf)
        self.view.pageNavigator().currentPageChanged.connect(self._page_shown)
        self.page_spin.setMaximum(self.page_count)
        self.page_total.setText(f"из {self.page_count}")
        self.stack.setCurrentWidget(self.view)
        self._set_ready(True)
        self._page_shown(0)

    def _page_shown(self, page: int) -> None:
        self.page_spin.blockSignals(True)
        self.page_spin.setValue(page + 1)
        self.page_spin.blockSignals(False)
        self.previous_button.setEnabled(page > 0)
        self.next_button.setEnabled(page + 1 < self.page_count)

    def _go_to(self, number: int) -> None:
        navigator = self.view.pageNavigator()
        navigator.jump(number - 1, QPointF(), navigator.currentZoom())

    def _step(self, delta: int) -> None:
        self.page_spin.setValue(self.view.pageNavigator().currentPage() + 1 + delta)

    def _zoom_chosen(self, index: int) -> None:
        choice = self.zoom.itemData(index)
        if isinstance(choice, QPdfView.ZoomMode):
            self.view.setZoomMode(choice)
            return
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(choice / 100)

    def _zoom_by(self, direction: int) -> None:
        """The next fixed zoom above (or below) what is on screen now, fitted modes included."""
        current = round(self._effective_zoom() * 100)
        steps = [percent for percent in ZOOM_PERCENTS if (percent - current) * direction > 0]
        if steps:
            self.zoom.setCurrentIndex(self.zoom.findData(steps[0] if direction > 0 else steps[-1]))

    def _effective_zoom(self) -> float:
        mode = self.view.zoomMode()
        if mode is QPdfView.ZoomMode.Custom or self.pdf is None:
            return self.view.zoomFactor()
        page = self.pdf.pagePointSize(self.view.pageNavigator().currentPage())
        dpi = self.view.logicalDpiX() / POINTS_PER_INCH
        margins = self.view.documentMargins()
        viewport = self.view.viewport().size()
        by_width = (viewport.width() - margins.left() - margins.right()) / (page.width() * dpi)
        if mode is QPdfView.ZoomMode.FitToWidth:
            return by_width
        return min(by_width, (viewport.height() - margins.top() - margins.bottom()) / (page.height() * dpi))

    # ------------------------------------------------------------ printing and saving

    def print_documents(self) -> None:
        if self.rendered is None:
            return
        printer = make_printer(self.rendered.files[0].title)
        if not self.prompts.ask_printer(self, printer, self.page_count):
            return
        pages = chosen_pages(printer, self.page_count)
        data = self.rendered.files[0].data

        def work(control: TaskControl) -> int:
            with PrintJob(printer, control) as job:
                job.print_pdf(data, pages)
            return job.pages

        self.print_button.setEnabled(False)
        self._say("Документы отправляются на печать…")
        self._start("print documents", work, self._printed)

    def save_documents(self) -> None:
        if self.rendered is None:
            return
        if self.files_choice.currentData():
            pdf = self.rendered.files[0]
            path = self.prompts.ask_save_path(self, self.folder.path / pdf.file_name)
            if path is None:
                return
            self._start("save documents", lambda _control: [_write(path, pdf.data)], self._saved)
            return
        folder = self.prompts.ask_folder(self, self.folder.path)
        if folder is None:
            return
        service, contract_id = self._service, self._contract_id

        def work(_control: TaskControl) -> list[Path]:
            separate = service.render(contract_id, combined=False)
            return [_write(folder / pdf.file_name, pdf.data) for pdf in separate.files]

        self._start("save documents", work, self._saved)

    def _printed(self, pages: int) -> None:
        self.print_button.setEnabled(True)
        self._say(f"Отправлено на печать, листов: {pages}.")

    def _saved(self, paths: list[Path]) -> None:
        self.folder.path = paths[0].parent
        self._say(saved_text(paths))

    # ------------------------------------------------------------ tasks

    def _start(self, name: str, work: Callable[[TaskControl], Any], on_success: Callable[[Any], None]) -> None:
        task = self._runner.run(Lane.PARALLEL, name, work, on_success, on_failure=self._failed)
        self._tasks.add(task)

    def _failed(self, error: BaseException) -> None:
        expected = as_expected(error)
        if expected is None:
            self._runner.report_error(error)
            return
        if self.rendered is None:
            self.placeholder.setText(expected.user_message)
            _restyle(self.placeholder, "deskProblem")
            return
        self.print_button.setEnabled(True)
        self._say(expected.user_message, problem=True)

    def _say(self, text: str, *, problem: bool = False) -> None:
        _restyle(self.message, "deskProblem" if problem else "deskSuccess")
        self.message.setText(text)
        self.message.show()

    def _task_finished(self, task: Task[Any]) -> None:
        self._tasks.discard(task)
        if not self.isVisible() and not self._tasks:
            self.deleteLater()

    def done(self, result: int) -> None:
        """Closing stops a print in progress; the dialog goes away once its work has finished."""
        for task in self._tasks:
            task.cancel()
        super().done(result)
        if not self._tasks:
            self.deleteLater()


def _write(path: Path, data: bytes) -> Path:
    write_atomically(path, data)
    return path


def _restyle(label: QLabel, name: str) -> None:
    """The style sheet picks a notice's colours and padding by object name: apply the new one.

    Setting the (empty) style sheet again makes Qt recompute the padding too, which re-polishing does not.
    """
    label.setObjectName(name)
    label.setStyleSheet("")
