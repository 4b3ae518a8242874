"""The Qt half of ``--self-check``: the platform plugin, the fonts in Qt, Qt's Russian translation, QtPdf."""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QSize
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QApplication
from reportlab.pdfgen.canvas import Canvas

from desktop_app.selfcheck import CheckResult
from reports.fonts import register_fonts
from ui.app import install_translations, load_fonts
from ui.documents.printing import load_pdf

CYRILLIC_SAMPLE = "АБВЖЩЮЯабвжщюяЁё№₽"
NATIVE_PLATFORM_PLUGIN = {"win32": "qwindows", "darwin": "qcocoa"}.get(sys.platform, "qxcb")


def check_qt_platform() -> CheckResult:
    """Qt starts (offscreen), and the plugin for a real screen is in the installation."""
    if QApplication.instance() is None:
        QApplication([sys.argv[0], "-platform", "offscreen"])
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)
    native = sorted(path.name for path in (Path(folder) / "platforms").glob(f"*{NATIVE_PLATFORM_PLUGIN}*"))
    detail = f"Qt запускается ({QApplication.platformName()}); модуль экрана: {', '.join(native) or 'не найден'}"
    return CheckResult("Qt", bool(native), detail)


def check_qt_fonts() -> CheckResult:
    """The bundled font loads into Qt and has real glyphs for Cyrillic (not boxes)."""
    family = load_fonts()
    metrics = QFontMetrics(QFont(family))
    missing = [char for char in CYRILLIC_SAMPLE if not metrics.inFontUcs4(ord(char))]
    if missing:
        return CheckResult("Шрифт интерфейса", False, f"{family}: нет знаков {''.join(missing)}")
    return CheckResult("Шрифт интерфейса", True, f"{family}, кириллица на месте")


def check_qt_translation() -> CheckResult:
    """Qt's own buttons and dialogs are in Russian."""
    application = QApplication.instance()
    assert isinstance(application, QApplication)
    loaded = install_translations(application)
    cancel = QCoreApplication.translate("QPlatformTheme", "Cancel")
    return CheckResult("Перевод Qt", loaded and cancel == "Отмена", f"qtbase_ru: «Cancel» → «{cancel}»")


def check_document_fonts() -> CheckResult:
    """The fonts documents embed are in the installation and reportlab can read them."""
    names = register_fonts()
    return CheckResult("Шрифты документов", True, ", ".join(names))


def check_qt_pdf() -> CheckResult:
    """QtPdf opens and draws a PDF, and QtPdfWidgets (the preview) is in the installation."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    canvas.drawString(72, 72, "self-check")
    canvas.save()
    document = load_pdf(buffer.getvalue())
    page = document.render(0, QSize(60, 85))
    document.close()
    return CheckResult("Просмотр PDF", not page.isNull(), f"QtPdf открывает документы; {QPdfView.__name__} на месте")


QT_CHECKS = (check_qt_platform, check_qt_fonts, check_qt_translation, check_document_fonts, check_qt_pdf)
