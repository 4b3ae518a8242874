"""Tests of desktop_app.selfcheck: the core checks, running them safely, and the printed report."""

from __future__ import annotations

import tempfile
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from desktop_app.selfcheck import CORE_CHECKS, CheckResult, check_database, check_keyring, format_report, run_checks
from desktop_app.storage import migrate


def _passing() -> CheckResult:
    return CheckResult("Шрифты", True, "DejaVuSans")


def _raising() -> CheckResult:
    raise RuntimeError("plugin missing")


def test_raising_check_becomes_failed_result() -> None:
    results = run_checks((_passing, _raising, _passing))
    assert [result.ok for result in results] == [True, False, True]
    failed = results[1]
    assert failed.name == "_raising"
    assert failed.essential
    assert "RuntimeError" in failed.detail
    assert "plugin missing" in failed.detail


def _lines(report: str) -> list[str]:
    return report.splitlines()


def test_report_all_passed() -> None:
    report, passed = format_report("1.2.3", [CheckResult("База данных", True, "схема 0001")])
    assert passed
    lines = _lines(report)
    assert lines[0] == "АРМ организации ПФДО 1.2.3: самопроверка"
    assert lines[1].split() == ["ОК", "База", "данных:", "схема", "0001"]
    assert lines[-1] == "Итог: всё в порядке."


def test_report_non_essential_failure_is_a_warning() -> None:
    results = [
        CheckResult("База данных", True, "ок"),
        CheckResult("Хранилище паролей", False, "недоступно", essential=False),
    ]
    report, passed = format_report("1.2.3", results)
    assert passed
    assert _lines(report)[2].split()[0] == "ВНИМАНИЕ"
    assert "ОШИБКА" not in report
    assert _lines(report)[-1] == "Итог: всё в порядке."


def test_report_essential_failure_fails() -> None:
    results = [
        CheckResult("База данных", False, "нет прав"),
        CheckResult("Хранилище паролей", True, "ок", essential=False),
    ]
    report, passed = format_report("1.2.3", results)
    assert not passed
    lines = _lines(report)
    assert lines[1].split()[0] == "ОШИБКА"
    assert lines[2].split()[0] == "ОК"
    assert lines[-1] == "Итог: есть ошибки, программа работать не сможет."


def test_report_marks_are_aligned() -> None:
    results = [
        CheckResult("Первая", True, "x"),
        CheckResult("Вторая", False, "y"),
        CheckResult("Третья", False, "z", essential=False),
    ]
    report, _ = format_report("1", results)
    names = [result.name for result in results]
    columns = {line.index(f"{name}:") for line, name in zip(_lines(report)[1:4], names, strict=True)}
    assert len(columns) == 1


def test_check_database_passes_and_cleans_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    result = check_database()
    assert result.ok
    assert result.essential
    assert migrate.head_revision() in result.detail
    assert list(tmp_path.iterdir()) == []


def test_check_keyring_with_usable_backend() -> None:
    result = check_keyring()
    assert result.ok
    assert not result.essential
    assert result.detail == "tests.helpers.memory_keyring.MemoryKeyring"


def test_check_keyring_without_keyring_is_only_a_warning() -> None:
    keyring.set_keyring(fail.Keyring())
    result = check_keyring()
    assert not result.ok
    assert not result.essential
    assert result.detail.startswith("keyring.backends.fail.Keyring: ")
    assert "недоступно" in result.detail
    report, passed = format_report("1", run_checks(CORE_CHECKS))
    assert passed
    assert "ВНИМАНИЕ" in report


def test_core_checks_pass() -> None:
    results = run_checks(CORE_CHECKS)
    assert [result.name for result in results] == ["База данных", "Хранилище паролей"]
    assert all(result.ok for result in results)
    assert format_report("1", results)[1]
