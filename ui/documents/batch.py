"""The documents' actions of the contracts list: the preview of one contract, and the documents of several
contracts saved into a folder or printed as one job, with a progress dialog and «Отменить».

Rendering, writing and printing run on the task runner's parallel lane; the progress dialog follows the
task's reports and asks it to stop, which it does between contracts (between sheets when printing). When
the batch ends the clerk is told what was done and which contracts' documents could not be made, and why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMenu, QProgressBar, QToolButton, QVBoxLayout, QWidget

from desktop_app.errors import as_expected
from desktop_app.progress import Progress, TaskControl
from desktop_app.services.contract_views import ContractView
from desktop_app.services.documents import BatchProblem, BatchResult, DocumentService, contract_label
from ui.documents.preview import DocumentPreviewDialog, SaveFolder
from ui.documents.printing import PrintJob, make_printer
from ui.documents.prompts import DocumentPrompts
from ui.icons import icon
from ui.task_runner import Lane, Task, TaskRunner

LISTED_CONTRACTS = 5
"""Contracts named per problem in a batch's summary; the rest are counted."""


def problems_text(problems: Sequence[BatchProblem]) -> str:
    """«Не удалось подготовить документы: …», one line per distinct reason with the contracts it stopped."""
    if not problems:
        return ""
    by_message: dict[str, list[str]] = {}
    for problem in problems:
        by_message.setdefault(problem.message, []).append(problem.contract)
    lines = ["Не удалось подготовить документы:"]
    for message, contracts in by_message.items():
        named = ", ".join(contracts[:LISTED_CONTRACTS])
        more = len(contracts) - LISTED_CONTRACTS
        lines.append(f"• {named}{f' и ещё {more}' if more > 0 else ''}: {message}")
    return "\n\n" + "\n".join(lines)


class BatchProgressDialog(QDialog):
    """A batch in progress: which contract, how many of how many, and «Отменить» (Esc asks the same)."""

    cancel_requested = Signal()

    def __init__(self, title: str, total: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.done_count = 0
        self.heading = QLabel(f"{title}: договоров — {total}")
        self.heading.setObjectName("deskName")
        self.current = QLabel("Подготовка…")
        self.current.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, total)
        self.bar.setValue(0)
        self.bar.setFormat("%v из %m")
        buttons = QDialogButtonBox()
        self.cancel_button = buttons.addButton("Отменить", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.current)
        layout.addWidget(self.bar)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def show_progress(self, progress: Progress) -> None:
        self.done_count = progress.done
        self.bar.setValue(progress.done)
        if progress.text:
            self.current.setText(progress.text)

    def reject(self) -> None:
        """«Отменить» asks the work to stop; the dialog closes when it has stopped."""
        self.cancel_button.setEnabled(False)
        self.current.setText("Останавливается после текущего договора…")
        self.cancel_requested.emit()

    def finish(self) -> None:
        super().done(QDialog.DialogCode.Accepted)
        self.deleteLater()


class DocumentActions(QObject):
    """What the contracts page does with documents: its «Документы» ``button`` with the menu of actions on
    the selected contracts; the dialogs it opens are kept in ``preview`` and ``progress``."""

    def __init__(
        self,
        documents: DocumentService,
        runner: TaskRunner,
        owner: QWidget,
        selected: Callable[[], Sequence[ContractView]],
        prompts: DocumentPrompts | None = None,
    ) -> None:
        super().__init__(owner)
        self._documents = documents
        self._runner = runner
        self._owner = owner
        self._selected = selected
        self.prompts = prompts or DocumentPrompts()
        self.folder = SaveFolder()
        self.preview: DocumentPreviewDialog | None = None
        self.progress: BatchProgressDialog | None = None
        self.task: Task[BatchResult] | None = None
        self.preview_action = QAction(icon("mdi6.file-eye-outline"), "Просмотр и печать…", owner)
        self.preview_action.triggered.connect(self._preview_selected)
        self.save_action = QAction(icon("mdi6.content-save-outline"), "Сохранить в папку…", owner)
        self.save_action.triggered.connect(lambda _checked=False: self.save(self._selected()))
        self.print_action = QAction(icon("mdi6.printer-outline"), "Напечатать…", owner)
        self.print_action.triggered.connect(lambda _checked=False: self.print(self._selected()))
        menu = QMenu(owner)
        menu.addActions([self.preview_action, self.save_action, self.print_action])
        self.button = QToolButton(owner)
        """«Документы»: a click shows the selected contract's documents (for several, the menu); the menu also
        saves or prints the documents of every selected contract."""
        self.button.setText("Документы")
        self.button.setIcon(icon("mdi6.file-document-outline"))
        self.button.setToolTip("Договор, заявление о зачислении и согласие выбранных договоров")
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.button.setMenu(menu)
        self.button.clicked.connect(self._button_clicked)

    def selection_changed(self, views: Sequence[ContractView]) -> None:
        self.button.setEnabled(bool(views))
        self.preview_action.setEnabled(len(views) == 1)

    def _button_clicked(self) -> None:
        if self.preview_action.isEnabled():
            self.preview_action.trigger()
        else:
            self.button.showMenu()

    def _preview_selected(self) -> None:
        views = self._selected()
        if len(views) == 1:
            self.open_preview(views[0])

    def open_preview(self, view: ContractView) -> None:
        """Show the contract's documents (the dialog is kept in ``preview``)."""
        contract = view.contract
        self.preview = DocumentPreviewDialog(
            self._documents,
            self._runner,
            contract.id,
            contract_label(contract.display_number, contract.child_full_name),
            prompts=self.prompts,
            folder=self.folder,
            parent=self._owner,
        )
        self.preview.open()

    def save(self, views: Sequence[ContractView]) -> None:
        """Ask for a folder (and one file or three per contract), then save every contract's documents there."""
        target = self.prompts.ask_batch_target(self._owner, len(views), self.folder.path)
        if target is None:
            return
        self.folder.path = target.folder
        ids = [view.id for view in views]
        documents = self._documents

        def work(control: TaskControl) -> BatchResult:
            return documents.save_batch(ids, target.folder, control, combined=target.combined)

        def saved(result: BatchResult) -> str:
            return (
                f"Документы сохранены в папку «{target.folder}». Договоров: {result.done}, файлов: {len(result.files)}."
            )

        def stopped(done: int) -> str:
            return (
                f"Сохранение остановлено: обработано договоров — {done} из {len(ids)}. Сохранённые файлы остались "
                f"в папке «{target.folder}», недописанных файлов нет."
            )

        self._run("Сохранение документов", len(ids), work, saved, stopped)

    def print(self, views: Sequence[ContractView]) -> None:
        """Ask for a printer, then print every contract's documents as one print job."""
        printer = make_printer(f"Документы по договорам ({len(views)})")
        if not self.prompts.ask_printer(self._owner, printer, None):
            return
        ids = [view.id for view in views]
        documents = self._documents

        def work(control: TaskControl) -> BatchResult:
            with PrintJob(printer, control) as job:
                return documents.each_rendered(ids, control, lambda rendered: job.print_pdf(rendered.files[0].data))

        def printed(result: BatchResult) -> str:
            return f"Документы отправлены на печать. Договоров: {result.done}."

        def stopped(_done: int) -> str:
            return "Печать остановлена: задание на печать отменено."

        self._run("Печать документов", len(ids), work, printed, stopped)

    def _run(
        self,
        title: str,
        total: int,
        work: Callable[[TaskControl], BatchResult],
        finished_text: Callable[[BatchResult], str],
        stopped_text: Callable[[int], str],
    ) -> None:
        progress = BatchProgressDialog(title, total, self._owner)
        self.progress = progress

        def end(text: str) -> None:
            progress.finish()
            self.task = None
            if text:
                self.prompts.tell(self._owner, text)

        def failed(error: BaseException) -> None:
            expected = as_expected(error)
            end(expected.user_message if expected else "")
            if expected is None:
                self._runner.report_error(error)

        task: Task[Any] = self._runner.run(
            Lane.PARALLEL,
            title,
            work,
            lambda result: end(finished_text(result) + problems_text(result.problems)),
            on_failure=failed,
            on_cancelled=lambda: end(stopped_text(progress.done_count)),
            on_progress=progress.show_progress,
        )
        self.task = task
        progress.cancel_requested.connect(task.cancel)
        progress.open()
