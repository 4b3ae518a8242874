"""Save a screenshot of the whole X display (e.g. under Xvfb) to a PNG file.

xvfb-run -a sh -c 'pfdo-desktop & sleep 5; python tools/screenshot.py shot.png; kill $!'
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QGuiApplication


def main() -> None:
    application = QGuiApplication(sys.argv[:1])
    screen = application.primaryScreen()
    if not screen.grabWindow(0).save(sys.argv[1]):
        sys.exit(f"could not save {sys.argv[1]}")


if __name__ == "__main__":
    main()
