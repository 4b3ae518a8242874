"""Render resources/icons/app.svg to the PNG and the multi-size Windows ICO the program ships.

Run by hand after changing the SVG (needs Pillow: ``pip install pillow``):
    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/render_icons.py
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QBuffer, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
ICO_SIZES = [16, 24, 32, 48, 64, 128, 256]


def render(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(ICONS / "app.svg")).render(painter)
    painter.end()
    return image


def main() -> None:
    QGuiApplication([])
    render(256).save(str(ICONS / "app.png"))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    render(256).save(buffer, "PNG")
    picture = Image.open(io.BytesIO(bytes(buffer.data())))
    picture.save(ICONS / "app.ico", sizes=[(size, size) for size in ICO_SIZES])
    print(f"wrote {ICONS / 'app.png'} and {ICONS / 'app.ico'}")


if __name__ == "__main__":
    main()
