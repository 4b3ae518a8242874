"""``pfdo-desktop``: start the workstation, or check the installation with ``--self-check``."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app import __version__
from desktop_app.bootstrap import build_context, configure_logging
from desktop_app.credentials import keyring_usable
from desktop_app.errors import as_expected
from desktop_app.paths import DATA_DIR_VARIABLE, AppPaths, resolve_data_dir
from desktop_app.selfcheck import CORE_CHECKS, format_report, run_checks
from ui.app import APPLICATION_NAME, configure_application
from ui.error_presenter import ErrorPresenter, bug_message
from ui.main_window import MainWindow
from ui.pages.settings_page import WorkstationInfo
from ui.selfcheck import QT_CHECKS
from ui.task_runner import TaskRunner

log = logging.getLogger(__name__)


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="pfdo-desktop", description=f"{APPLICATION_NAME}, версия {__version__}")
    parser.add_argument(
        "--data-dir",
        help=f"папка данных программы (по умолчанию папка пользователя; также переменная {DATA_DIR_VARIABLE})",
    )
    parser.add_argument(
        "--self-check", action="store_true", help="проверить установку без открытия окна и выйти (код 0 или 1)"
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser.parse_args(argv)


def run_self_check() -> int:
    """Print the self-check report; exit code 0 when every essential check passed."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    report, passed = format_report(__version__, run_checks((*CORE_CHECKS, *QT_CHECKS)))
    if sys.stdout is not None:
        sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]
        print(report)  # noqa: T201 — the report is the command's output
    return 0 if passed else 1


def run_application(data_dir_option: str | None) -> int:
    paths = AppPaths(resolve_data_dir(data_dir_option))
    application = QApplication(sys.argv[:1])
    configure_application(application)
    presenter = ErrorPresenter(paths.log_file)
    try:
        configure_logging(paths)
        context = build_context(paths.data_dir)
    except Exception as error:
        expected = as_expected(error)
        if expected is None:
            log.exception("start-up failed")
        message = expected.user_message if expected else bug_message(paths.log_file)
        QMessageBox.critical(None, APPLICATION_NAME, f"Программа не может начать работу.\n\n{message}")
        return 1
    presenter.install_excepthook()
    runner = TaskRunner(presenter.present)
    info = WorkstationInfo(
        version=__version__,
        data_dir=paths.data_dir,
        database=paths.database,
        log_file=paths.log_file,
        server_url=context.settings.server_url,
        keyring_ok=keyring_usable(),
    )
    window = MainWindow(info, context.status, runner)
    presenter.set_parent_widget(window)
    window.show()
    log.info("main window shown, version %s", __version__)
    try:
        return application.exec()
    finally:
        runner.shutdown()
        context.close()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.self_check:
        return run_self_check()
    return run_application(args.data_dir)


if __name__ == "__main__":
    sys.exit(main())
