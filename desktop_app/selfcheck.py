"""``pfdo-desktop --self-check``: can this installation run? Checked without opening a window.

Each check returns a line for the report. The UI adds its own checks (Qt platform, fonts in Qt and
in documents, translations) to these and prints the report; the exit code is 1 if any essential check failed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desktop_app.credentials import keyring_backend_name, keyring_usable
from desktop_app.storage import migrate
from desktop_app.storage.database import Database


@dataclass(frozen=True, slots=True)
class CheckResult:
    name: str
    ok: bool
    detail: str
    essential: bool = True


def check_database() -> CheckResult:
    """Create a database in a temporary folder and apply every migration to it."""
    with tempfile.TemporaryDirectory(prefix="pfdo-selfcheck-") as folder:
        database = Database.open(Path(folder) / "selfcheck.sqlite3")
        try:
            revision = migrate.current_revision(database.engine)
        finally:
            database.close()
    head = migrate.head_revision()
    return CheckResult("База данных", revision == head, f"миграции применены, схема {revision} (последняя {head})")


def check_keyring() -> CheckResult:
    backend = keyring_backend_name()
    if keyring_usable():
        return CheckResult("Хранилище паролей", True, backend, essential=False)
    return CheckResult(
        "Хранилище паролей", False, f"{backend}: недоступно, вход без запоминания пароля", essential=False
    )


CORE_CHECKS: tuple[Callable[[], CheckResult], ...] = (check_database, check_keyring)


def run_checks(checks: tuple[Callable[[], CheckResult], ...]) -> list[CheckResult]:
    """Run every check; a check that raises is a failed check, not a crash."""
    results = []
    for check in checks:
        try:
            results.append(check())
        except Exception as error:
            results.append(CheckResult(check.__name__, False, f"{type(error).__name__}: {error}"))
    return results


def format_report(version: str, results: list[CheckResult]) -> tuple[str, bool]:
    """The report text and whether every essential check passed."""
    lines = [f"АРМ организации ПФДО {version}: самопроверка"]
    for result in results:
        mark = "ОК" if result.ok else ("ОШИБКА" if result.essential else "ВНИМАНИЕ")
        lines.append(f"  {mark:<9} {result.name}: {result.detail}")
    passed = all(result.ok for result in results if result.essential)
    lines.append("Итог: всё в порядке." if passed else "Итог: есть ошибки, программа работать не сможет.")
    return "\n".join(lines), passed
