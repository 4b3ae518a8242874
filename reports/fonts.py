"""The Cyrillic fonts embedded in every document: reportlab's built-in fonts have no Cyrillic."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from desktop_app.paths import resources_dir

SERIF = "DejaVuSerif"
SERIF_BOLD = "DejaVuSerif-Bold"
SERIF_ITALIC = "DejaVuSerif-Italic"
SANS = "DejaVuSans"
SANS_BOLD = "DejaVuSans-Bold"
SANS_ITALIC = "DejaVuSans-Oblique"

_FAMILIES = {
    SERIF: (SERIF, SERIF_BOLD, SERIF_ITALIC),
    SANS: (SANS, SANS_BOLD, SANS_ITALIC),
}


def register_fonts(fonts_dir: Path | None = None) -> list[str]:
    """Register the bundled fonts with reportlab (once per process) and return their names.

    Raises:
        FileNotFoundError: a font file is missing from the installation.
    """
    folder = fonts_dir or resources_dir() / "fonts"
    registered = set(pdfmetrics.getRegisteredFontNames())
    for family, (regular, bold, italic) in _FAMILIES.items():
        for name in (regular, bold, italic):
            if name not in registered:
                path = folder / f"{name}.ttf"
                if not path.is_file():
                    raise FileNotFoundError(path)
                pdfmetrics.registerFont(TTFont(name, str(path)))
        addMapping(family, 0, 0, regular)
        addMapping(family, 1, 0, bold)
        addMapping(family, 0, 1, italic)
        addMapping(family, 1, 1, bold)
    return [name for names in _FAMILIES.values() for name in names]
