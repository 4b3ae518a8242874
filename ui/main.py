"""``pfdo-desktop``: start the workstation, or check the installation with ``--self-check``."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app import __version__
from desktop_app.bootstrap import AppContext, build_context, configure_logging
from desktop_app.credentials import keyring_usable
from desktop_app.errors import as_expected
from desktop_app.paths import DATA_DIR_VARIABLE, AppPaths, resolve_data_dir
from desktop_app.selfcheck import CORE_CHECKS, format_report, run_checks
from desktop_app.settings import load_settings
from ui.app import APPLICATION_NAME, configure_application
from ui.demo import DemoMode, demo_folder
from ui.error_presenter import ErrorPresenter, bug_message
from ui.main_window import MainWindow, WindowServices
from ui.pages.settings_page import WorkstationInfo
from ui.selfcheck import QT_CHECKS
from ui.sync_controller import SyncController
from ui.task_runner import Lane, TaskRunner

log = logging.getLogger(__name__)

DEMO_SERVER_LABEL = "встроенный демонстрационный сервер"


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


def _open(paths: AppPaths, demo: bool) -> AppContext:
    configure_logging(paths)
    return build_context(demo_folder(paths.data_dir) if demo else paths.data_dir)


def run_application(data_dir_option: str | None) -> int:
    paths = AppPaths(resolve_data_dir(data_dir_option))
    application = QApplication(sys.argv[:1])
    configure_application(application)
    presenter = ErrorPresenter(paths.log_file)
    settings = load_settings(paths.settings)
    demo = settings.server_url is None and settings.remembered_user is None
    try:
        context = _open(paths, demo)
    except Exception as error:
        expected = as_expected(error)
        if expected is None:
            log.exception("start-up failed")
        message = expected.user_message if expected else bug_message(paths.log_file)
        QMessageBox.critical(None, APPLICATION_NAME, f"Программа не может начать работу.\n\n{message}")
        return 1
    presenter.install_excepthook()
    runner = TaskRunner(presenter.present)
    controller = SyncController(context.sync, runner, presenter.present)
    info = WorkstationInfo(
        version=__version__,
        data_dir=context.paths.data_dir,
        database=context.paths.database,
        log_file=paths.log_file,
        server_url=DEMO_SERVER_LABEL if demo else context.session.server_url,
        keyring_ok=keyring_usable(),
    )
    window = MainWindow(WindowServices.from_context(context, info, runner, controller, demo=demo))
    presenter.set_parent_widget(window)
    window.show()
    log.info("main window shown, version %s%s", __version__, " (demo)" if demo else "")
    demo_mode = DemoMode(paths.data_dir) if demo else None
    if demo_mode is not None:
        runner.run(
            Lane.DATABASE, "demo", lambda _control: demo_mode.start(context.session), lambda _r: controller.start()
        )
    elif context.session.restore() is not None:
        controller.start()
    else:
        window.show_sign_in()
    try:
        return application.exec()
    finally:
        controller.stop()
        runner.shutdown()
        if demo_mode is not None:
            demo_mode.stop()
        context.close()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.self_check:
        return run_self_check()
    return run_application(args.data_dir)


if __name__ == "__main__":
    sys.exit(main())
