"""Printing PDF documents: QtPdf renders each page at the printer's resolution and it is drawn onto the printer.

A ``PrintJob`` runs on a worker thread of the task runner: Qt allows painting on a ``QPrinter`` outside the
GUI thread, and the print dialog has set the printer up on the GUI thread before the job starts (nothing
touches it there until the job ends). Each document gets its own ``QPdfDocument`` on the worker thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from desktop_app.errors import ExpectedError
from desktop_app.progress import TaskControl

MAX_PRINT_DPI = 300
"""Pages are rendered at the printer's resolution up to this: a contract's text prints sharp at 300 dpi,
and 600 dpi would make a print job four times larger and slower for no visible gain."""
POINTS_PER_INCH = 72


def make_printer(title: str) -> QPrinter:
    """A printer for documents on A4, drawn edge to edge (the documents have their own margins)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setFullPage(True)
    printer.setDocName(title)
    return printer


def chosen_pages(printer: QPrinter, page_count: int) -> range:
    """The pages (0-based) the print dialog asked for: all of them, or a «с … по …» range."""
    if printer.printRange() is QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        return range(printer.fromPage() - 1, min(printer.toPage(), page_count))
    return range(page_count)


def load_pdf(data: bytes) -> QPdfDocument:
    """A ``QPdfDocument`` over PDF bytes (the buffer is the document's child, so it lives as long).

    Raises:
        ExpectedError: the bytes are not a readable PDF.
    """
    document = QPdfDocument()
    buffer = QBuffer(document)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.status() is not QPdfDocument.Status.Ready:
        raise ExpectedError(f"Не удалось открыть PDF-документ ({document.error().name}).")
    return document


class PrintJob:
    """One print run: documents are added one after another, each page on a new sheet.

    Use it as a context manager on one thread. Leaving it with an exception (cancellation too) aborts the
    run, so a printer never gets half a job queued as if it were complete.
    """

    def __init__(self, printer: QPrinter, control: TaskControl) -> None:
        self._printer = printer
        self._control = control
        self._painter = QPainter()
        self.pages = 0
        """Sheets drawn so far."""

    def __enter__(self) -> PrintJob:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if not self._painter.isActive():
            return
        if kind is not None:
            self._printer.abort()
        self._painter.end()

    def print_pdf(self, data: bytes, pages: Sequence[int] | None = None) -> None:
        """Print the chosen pages (0-based; all by default), as many copies as the printer cannot make itself.

        Raises:
            Cancelled: the task was cancelled (checked before every sheet).
        """
        document = load_pdf(data)
        try:
            chosen = range(document.pageCount()) if pages is None else pages
            copies = 1 if self._printer.supportsMultipleCopies() else max(self._printer.copyCount(), 1)
            for _copy in range(copies):
                for index in chosen:
                    self._control.check()
                    self._sheet(document, index)
        finally:
            document.close()

    def _sheet(self, document: QPdfDocument, index: int) -> None:
        """Draw one page on a sheet; the job starts with its first sheet, so a job with none prints nothing."""
        if not self.pages and not self._painter.begin(self._printer):
            name = self._printer.printerName() or self._printer.outputFileName()
            raise ExpectedError(
                f"Не удалось начать печать на «{name}». Проверьте, что принтер включён и доступен, и повторите."
            )
        if self.pages and not self._printer.newPage():
            raise ExpectedError("Принтер не принял следующую страницу: проверьте принтер и повторите печать.")
        points = document.pagePointSize(index)
        dpi = min(self._printer.resolution(), MAX_PRINT_DPI)
        pixels = QSize(round(points.width() * dpi / POINTS_PER_INCH), round(points.height() * dpi / POINTS_PER_INCH))
        # QtPdf leaves the paper transparent; put the page on white so every printer and PDF reader agrees.
        sheet = QImage(pixels, QImage.Format.Format_RGB32)
        sheet.fill(Qt.GlobalColor.white)
        with QPainter(sheet) as painter:
            painter.drawImage(0, 0, document.render(index, pixels))
        self._painter.drawImage(self._target(points.width(), points.height()), sheet)
        self.pages += 1

    def _target(self, width: float, height: float) -> QRectF:
        """The page at its real size, centred on the paper; shrunk to fit when the paper is smaller."""
        paper = self._printer.paperRect(QPrinter.Unit.DevicePixel)
        scale = min(self._printer.resolution() / POINTS_PER_INCH, paper.width() / width, paper.height() / height)
        target = QRectF(0, 0, width * scale, height * scale)
        target.moveCenter(QRectF(0, 0, paper.width(), paper.height()).center())
        return target
