"""One start of the program (``product``) or of a bare Qt table of the same rows (``bare``), in its own process.

Prints ``ready <peak RSS in KiB>`` once the window is shown with the programs table filled, then ends the
process at once (the parent measures the time from spawning it to reading that line).
"""

from __future__ import annotations

import os
import resource
import sqlite3
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

BARE_QUERY = (
    "SELECT short_name, status, direction, age_from_months, age_to_months, duration_months, updated_at "
    "FROM programs ORDER BY short_name"
)


def ready() -> None:
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sys.stdout.write(f"ready {peak_kib}\n")
    sys.stdout.flush()
    os._exit(0)


class RowsModel(QAbstractTableModel):
    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        super().__init__()
        self._rows = rows

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows[0]) if self._rows else 0

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return str(self._rows[index.row()][index.column()])


def bare(data_dir: Path) -> None:
    application = QApplication(sys.argv[:1])
    with sqlite3.connect(data_dir / "pfdo.sqlite3") as connection:
        rows = connection.execute(BARE_QUERY).fetchall()
    window = QMainWindow()
    view = QTableView()
    view.setModel(RowsModel(rows))
    window.setCentralWidget(view)
    window.resize(1280, 800)
    window.show()
    QTimer.singleShot(0, ready)
    application.exec()


def product(data_dir: Path) -> None:
    from ui import main  # noqa: PLC0415 — the bare start must not pay for importing the program
    from ui.main_window import MainWindow  # noqa: PLC0415

    class ReportingWindow(MainWindow):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.programs_page.loaded.connect(lambda: ready() if self.programs_page.model.rowCount() else None)

    setattr(main, "MainWindow", ReportingWindow)  # noqa: B010 — the window that reports when it is ready
    main.main(["--data-dir", str(data_dir)])


if __name__ == "__main__":
    mode, folder = sys.argv[1], Path(sys.argv[2])
    bare(folder) if mode == "bare" else product(folder)
