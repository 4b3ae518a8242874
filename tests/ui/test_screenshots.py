"""Pictures of what the user sees, under test-artifacts/, checked for real content and real Cyrillic glyphs.

``make screenshots`` (PFDO_UPDATE_DOCS_SCREENSHOTS=1) also refreshes the README's picture in docs/.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtGui import QFontMetrics, QImage
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from ui.main_window import MainWindow

DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "main-window.png"
MIN_DISTINCT_COLOURS = 16


def distinct_colours(image: QImage, step: int = 4) -> int:
    return len({image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)})


def visible_texts(widget: QWidget) -> list[str]:
    texts = [label.text() for label in widget.findChildren(QLabel) if label.isVisible()]
    if isinstance(widget, MainWindow):
        texts += widget.section_titles()
    return texts


def assert_glyphs_exist(widget: QWidget) -> None:
    """Every character on screen has a glyph in the font that draws it: no boxes instead of Cyrillic."""
    metrics = QFontMetrics(QApplication.font())
    characters = {char for text in visible_texts(widget) for char in text if not char.isspace()}
    missing = {char for char in characters if not metrics.inFontUcs4(ord(char))}
    assert not missing, f"characters without a glyph: {sorted(missing)}"


def assert_no_clipped_labels(widget: QWidget) -> None:
    """Every visible label has the room its text needs: nothing is cut off."""
    clipped = []
    for label in widget.findChildren(QLabel):
        if not label.isVisible() or not label.text():
            continue
        if label.wordWrap():
            too_small = label.height() < label.heightForWidth(label.width())
        else:
            too_small = label.width() < label.sizeHint().width()
        if too_small:
            clipped.append(label.text())
    assert not clipped, f"labels cut off: {clipped}"


def test_main_window_pictures(qtbot: QtBot, main_window: MainWindow, artifacts_dir: Path) -> None:
    main_window.resize(1200, 760)
    main_window.show()
    qtbot.waitExposed(main_window)
    for row, title in enumerate(main_window.section_titles()):
        main_window.navigation.setCurrentRow(row)
        image = main_window.grab().toImage()
        assert image.save(str(artifacts_dir / f"main-window-{row + 1}.png"))
        assert distinct_colours(image) >= MIN_DISTINCT_COLOURS, f"the «{title}» page looks blank"
        assert_glyphs_exist(main_window)
        assert_no_clipped_labels(main_window)
    if os.environ.get("PFDO_UPDATE_DOCS_SCREENSHOTS"):
        main_window.navigation.setCurrentRow(0)
        DOCS_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        assert main_window.grab().save(str(DOCS_SCREENSHOT))


def test_about_dialog_picture(qtbot: QtBot, main_window: MainWindow, artifacts_dir: Path) -> None:
    dialog = main_window.show_about()
    qtbot.waitExposed(dialog)
    image = dialog.grab().toImage()
    assert image.save(str(artifacts_dir / "about-dialog.png"))
    assert distinct_colours(image, step=2) >= MIN_DISTINCT_COLOURS
    assert_glyphs_exist(dialog)
    assert_no_clipped_labels(dialog)
    dialog.reject()
