"""The layering holds, and the check really fails when a forbidden import sneaks in.

The contracts live in pyproject.toml ([tool.importlinter]); `make lint` runs them too. Here they run on
the real tree, and on copies of it with one forbidden import added, which must each break a contract.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("desktop_app", "ui", "reports", "server")

# Lint the tree given as argv[1], not the installed (editable) one, whose import finder would win.
LINTER = """
import sys
sys.meta_path[:] = [finder for finder in sys.meta_path
                    if not getattr(finder, "__module__", "").startswith("__editable__")]
sys.path.insert(0, sys.argv[1])
from importlinter.cli import lint_imports
sys.exit(lint_imports(config_filename=sys.argv[1] + "/pyproject.toml", no_cache=True, no_logo=True))
"""


def lint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", LINTER, str(root)], cwd=root, capture_output=True, text=True, check=False
    )


def copy_tree(destination: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, destination / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", destination / "pyproject.toml")
    return destination


def test_the_real_tree_keeps_every_contract() -> None:
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout


@pytest.mark.parametrize(
    ("module", "forbidden_import", "contract"),
    [
        ("desktop_app/domain/money.py", "import PySide6", "The core never imports Qt or the UI"),
        ("desktop_app/storage/engine.py", "import ui.app", "The core never imports Qt or the UI"),
        ("reports/fonts.py", "import sqlalchemy", "Reports never import Qt, the UI or the database"),
        ("ui/app.py", "import desktop_app.storage.database", "The UI knows services and domain objects, never SQL"),
        ("desktop_app/domain/age.py", "import desktop_app.services.status", "Client layers point one way"),
        (
            "server/services/pull.py",
            "import desktop_app.storage.database",
            "The server uses only the shared domain rules and wire protocol of the client",
        ),
        (
            "server/api/app.py",
            "import ui.app",
            "The server uses only the shared domain rules and wire protocol of the client",
        ),
        (
            "desktop_app/sync/protocol.py",
            "import server.config",
            "The client never imports the server (demo mode embeds it through one door)",
        ),
    ],
    ids=[
        "qt-in-core",
        "ui-in-core",
        "database-in-reports",
        "storage-in-ui",
        "domain-above-itself",
        "client-storage-in-server",
        "ui-in-server",
        "server-in-client",
    ],
)
def test_a_forbidden_import_breaks_the_check(tmp_path: Path, module: str, forbidden_import: str, contract: str) -> None:
    tree = copy_tree(tmp_path)
    target = tree / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{forbidden_import}\n", encoding="utf-8")
    result = lint(tree)
    assert result.returncode != 0
    assert f"{contract} BROKEN" in result.stdout
