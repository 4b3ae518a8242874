"""The programs table view: two-line rows, columns as narrow as their longest word, the name takes the rest.

Eight columns do not fit a 1200-pixel window on one line each, so every cell may wrap onto a second line
(«физкультурно-» / «спортивная»), each column is as wide as its longest unbreakable word, and the name
column gets what is left (never less than ``MIN_NAME_WIDTH``; below that the table scrolls sideways).
The status comes right after the name, so it stays in sight when the table scrolls. A wide window gives
the other columns their whole texts on one line, as long as the name keeps ``ROOMY_NAME_WIDTH``.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from desktop_app.domain.program import Direction, ProgramKind
from ui.models.programs_model import STATUS_LABELS, ProgramColumn

MIN_NAME_WIDTH = 260
ROOMY_NAME_WIDTH = 420
CELL_MARGIN = 14
SORT_ARROW = 18
ROW_LINES = 2
ROW_PADDING = 8

_SAMPLES: dict[ProgramColumn, list[str]] = {
    ProgramColumn.DIRECTION: [direction.label for direction in Direction],
    ProgramColumn.KIND: [kind.label for kind in ProgramKind],
    ProgramColumn.AGE: ["от\u00a010 до\u00a018\u00a0лет"],
    ProgramColumn.MODULES: ["99"],
    ProgramColumn.GROUPS: ["99"],
    ProgramColumn.PLACES: ["999 / 999"],
    ProgramColumn.STATUS: list(STATUS_LABELS),
}


def widest_word(metrics: QFontMetrics, texts: list[str]) -> int:
    """The width of the longest piece a line may not break inside: between spaces (a no-break space holds)
    and after hyphens."""
    pieces = [piece for text in texts for piece in text.replace("-", "- ").split(" ") if piece]
    return max(metrics.horizontalAdvance(piece) for piece in pieces)


class ProgramsTableView(QTableView):
    def __init__(self, model: QAbstractItemModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setSortingEnabled(True)
        self.sortByColumn(ProgramColumn.NAME, Qt.SortOrder.AscendingOrder)
        rows = self.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # never measured row by row: 5,000 rows
        rows.setDefaultSectionSize(self.fontMetrics().lineSpacing() * ROW_LINES + ROW_PADDING)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        header.setMinimumHeight(self.fontMetrics().lineSpacing() * ROW_LINES + ROW_PADDING)
        header.moveSection(header.visualIndex(ProgramColumn.STATUS), 1)
        metrics = self.fontMetrics()
        self._compact: dict[ProgramColumn, int] = {}
        self._roomy: dict[ProgramColumn, int] = {}
        for column, samples in _SAMPLES.items():
            title = widest_word(metrics, column.title.split(" (")) + CELL_MARGIN + SORT_ARROW
            self._compact[column] = max(widest_word(metrics, samples) + CELL_MARGIN, title)
            whole = max(metrics.horizontalAdvance(sample) for sample in samples) + CELL_MARGIN
            self._roomy[column] = max(whole, title)
        for column, width in self._compact.items():
            header.resizeSection(column, width)
        self._fitting = False
        header.sectionResized.connect(self._column_resized)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 — Qt's name
        super().resizeEvent(event)
        self.fit_name_column()

    def _column_resized(self, column: int, _old: int, _new: int) -> None:
        if column != ProgramColumn.NAME:
            self.fit_name_column()

    def fit_name_column(self) -> None:
        """Give the name column the room the other columns leave."""
        if self._fitting:
            return
        self._fitting = True
        try:
            header = self.horizontalHeader()
            width = self.viewport().width()
            if width - sum(self._roomy.values()) >= ROOMY_NAME_WIDTH:
                for column, roomy in self._roomy.items():
                    header.resizeSection(column, roomy)
            elif all(header.sectionSize(column) == roomy for column, roomy in self._roomy.items()):
                for column, compact in self._compact.items():
                    header.resizeSection(column, compact)
            others = sum(header.sectionSize(column) for column in ProgramColumn if column != ProgramColumn.NAME)
            header.resizeSection(ProgramColumn.NAME, max(MIN_NAME_WIDTH, width - others))
        finally:
            self._fitting = False
