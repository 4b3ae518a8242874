"""What the documents' actions ask the clerk (where to save, which printer) and tell them, as replaceable
functions: the defaults show dialogs; tests pass their own ``DocumentPrompts`` that answer at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ui.app import APPLICATION_NAME

PDF_FILTER = "Документы PDF (*.pdf)"
COMBINED_CHOICE = "Все документы договора одним файлом"
SEPARATE_CHOICE = "Каждый документ отдельным файлом: договор, заявление, согласие"


def documents_folder() -> Path:
    """Where documents are saved first: the user's «Документы» folder."""
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))


@dataclass(frozen=True, slots=True)
class BatchTarget:
    folder: Path
    combined: bool


class BatchSaveDialog(QDialog):
    """Where to save the documents of several contracts, and whether as one file per contract."""

    def __init__(self, count: int, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Сохранить документы")
        question = QLabel(
            f"Сохранить договор, заявление о зачислении и согласие по выбранным договорам ({count}) в папку:"
        )
        question.setWordWrap(True)
        self.folder = QLineEdit(str(folder))
        self.folder.setMinimumWidth(360)
        browse = QPushButton("Выбрать…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        self.combined = QRadioButton(COMBINED_CHOICE)
        self.separate = QRadioButton(SEPARATE_CHOICE)
        self.combined.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.combined)
        group.addButton(self.separate)
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton("Сохранить", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addLayout(row)
        layout.addSpacing(6)
        layout.addWidget(self.combined)
        layout.addWidget(self.separate)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(540)

    def target(self) -> BatchTarget:
        return BatchTarget(Path(self.folder.text().strip()), self.combined.isChecked())

    def accept(self) -> None:
        folder = self.folder.text().strip()
        if not folder or not Path(folder).is_dir():
            self.error.setText("Такой папки нет: выберите существующую папку.")
            self.error.show()
            self.adjustSize()
            return
        super().accept()

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Папка для документов", self.folder.text())
        if chosen:
            self.folder.setText(chosen)


def ask_save_path(parent: QWidget, suggested: Path) -> Path | None:
    """(parent, suggested folder and name) → the chosen file, or None when cancelled."""
    chosen, _filter = QFileDialog.getSaveFileName(parent, "Сохранить PDF", str(suggested), PDF_FILTER)
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == ".pdf" else path.with_name(f"{path.name}.pdf")


def ask_folder(parent: QWidget, folder: Path) -> Path | None:
    chosen = QFileDialog.getExistingDirectory(parent, "Папка для документов", str(folder))
    return Path(chosen) if chosen else None


def ask_batch_target(parent: QWidget, count: int, folder: Path) -> BatchTarget | None:
    dialog = BatchSaveDialog(count, folder, parent)
    return dialog.target() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_printer(parent: QWidget, printer: QPrinter, page_count: int | None) -> bool:
    """Let the clerk choose and set up the printer; ``page_count`` offers a page range (None for a batch)."""
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Печать документов")
    if page_count is None:
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, False)
    else:
        dialog.setMinMax(1, page_count)
    return dialog.exec() == QDialog.DialogCode.Accepted


def tell(parent: QWidget, text: str) -> None:
    """Say how a batch ended, without waiting for the clerk to read it."""
    box = QMessageBox(QMessageBox.Icon.Information, APPLICATION_NAME, text, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


@dataclass(frozen=True)
class DocumentPrompts:
    """Who answers the documents' questions: dialogs by default, a test's functions in tests."""

    ask_save_path: Callable[[QWidget, Path], Path | None] = ask_save_path
    ask_folder: Callable[[QWidget, Path], Path | None] = ask_folder
    ask_batch_target: Callable[[QWidget, int, Path], BatchTarget | None] = ask_batch_target
    ask_printer: Callable[[QWidget, QPrinter, int | None], bool] = ask_printer
    tell: Callable[[QWidget, str], None] = tell
    """Tells the outcome of a batch (saved, printed, stopped, what could not be made)."""
