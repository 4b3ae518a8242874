"""The QApplication: Russian locale, Qt's own dialogs in Russian, the bundled font, the icon."""

from __future__ import annotations

import logging

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from desktop_app import __version__
from desktop_app.paths import resources_dir

log = logging.getLogger(__name__)

APPLICATION_NAME = "АРМ организации ПФДО"
UI_FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf")
UI_FONT_POINT_SIZE = 10

STYLE_SHEET = """
QLabel#pageHeading { font-size: 16pt; font-weight: bold; }
QLabel#pageNotice { color: #546e7a; }
QLabel#formError { color: #b71c1c; }
QListWidget#navigation {
    background: #eceff1; border: none; border-right: 1px solid #cfd8dc; font-size: 11pt; outline: 0;
}
QListWidget#navigation::item { padding-left: 10px; color: #263238; }
QListWidget#navigation::item:selected {
    background: #ffffff; color: #1565c0; border-left: 3px solid #1565c0;
}
QListWidget#navigation::item:hover:!selected { background: #e3e8eb; }
QStatusBar::item { border: none; }
QLabel#statusField { padding: 1px 12px; border: none; border-left: 1px solid #b0bec5; }
"""


def load_fonts() -> str:
    """Register the bundled Cyrillic fonts with Qt and return the UI font family.

    Without them a machine with no Cyrillic font draws boxes, and Qt says nothing about it.
    """
    family = ""
    for name in UI_FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(str(resources_dir() / "fonts" / name))
        if font_id < 0:
            raise RuntimeError(f"Qt could not load the font {name}")
        family = family or QFontDatabase.applicationFontFamilies(font_id)[0]
    return family


def install_translations(application: QApplication) -> bool:
    """Translate Qt's own buttons and dialogs (OK, Отмена, file dialogs) into Russian."""
    translator = QTranslator(application)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(QLocale.Language.Russian, QLocale.Country.Russia), "qtbase", "_", folder):
        application.installTranslator(translator)
        return True
    log.warning("Qt's Russian translation (qtbase_ru.qm) was not found in %s", folder)
    return False


def configure_application(application: QApplication) -> None:
    """Everything the application needs before the first window is made."""
    QLocale.setDefault(QLocale(QLocale.Language.Russian, QLocale.Country.Russia))
    application.setApplicationName(APPLICATION_NAME)
    application.setApplicationDisplayName(APPLICATION_NAME)
    application.setApplicationVersion(__version__)
    application.setOrganizationName("pfdo")
    application.setStyle("Fusion")
    application.setFont(QFont(load_fonts(), UI_FONT_POINT_SIZE))
    application.setStyleSheet(STYLE_SHEET)
    application.setWindowIcon(QIcon(str(resources_dir() / "icons" / "app.png")))
    install_translations(application)
