"""The ``pfdo-server`` command line: serve, migrate, set up a region, import certificates, certify programs.

Every expected problem (bad arguments, a missing file, a refusal of the server's rules) is a short Russian
message on stderr and exit code 1, never a traceback. The commands themselves are in ``server.cli_commands``.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from sqlalchemy.exc import SQLAlchemyError

from server import cli_commands as commands
from server import cli_operator as operator_commands
from server.errors import ApiError
from server.services.import_files import ImportFileError

PROG = "pfdo-server"

_ARGPARSE_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"argument КОМАНДА: invalid choice: (.*?) \(choose from .*\)", r"неизвестная команда \1"),
    (r"the following arguments are required: (.*)", r"не указаны обязательные параметры: \1"),
    (r"unrecognized arguments: (.*)", r"неизвестные параметры: \1"),
    (
        r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)",
        r"параметр \1: недопустимое значение \2 (допустимы: \3)",
    ),
    (r"argument (\S+): expected one argument", r"параметр \1: нужно указать значение"),
    (r"argument (\S+): invalid \S+ value: (.*)", r"параметр \1: недопустимое значение \2"),
    (r"ambiguous option: (\S+) could match (.*)", r"неоднозначный параметр \1: подходит \2"),
    (r"argument (\S+): (.*)", r"параметр \1: \2"),
)


class UsageError(Exception):
    def __init__(self, prog: str, message: str) -> None:
        super().__init__(message)
        self.prog = prog
        self.message = message


def translate_argparse(message: str) -> str:
    """argparse speaks English; the people who run the server read Russian."""
    for pattern, replacement in _ARGPARSE_MESSAGES:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, replacement, message)
    return message


class RussianHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "Использование: " if prefix is None else prefix)


class RussianParser(argparse.ArgumentParser):
    """An argument parser with Russian headings, help and errors; errors raise instead of exiting."""

    def __init__(self, prog: str | None = None, *, add_help: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", RussianHelpFormatter)
        super().__init__(prog, add_help=False, **kwargs)
        self._positionals.title = "аргументы"
        self._optionals.title = "параметры"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="показать справку и выйти")

    def error(self, message: str) -> NoReturn:
        raise UsageError(self.prog, translate_argparse(message))


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"«{text}» — не номер порта (нужно число от 1 до 65535)")
    return int(text)


def _days(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"«{text}» — не число дней")
    return int(text)


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{text}» — не целое число") from None


Handler = Callable[[argparse.Namespace], int]
Adder = Callable[[str, str, Handler], RussianParser]


def build_parser() -> RussianParser:
    parser = RussianParser(prog=PROG, description="Эталонный центральный сервер ПФДО: запуск и администрирование.")
    database = RussianParser(add_help=False)
    database._optionals.title = "база данных"
    database.add_argument("--db", metavar="URL", help="адрес базы: sqlite:///путь или postgresql+psycopg://…")
    database.add_argument("--data-dir", metavar="ПАПКА", help="папка данных сервера (база SQLite, секретный ключ)")
    subcommands = parser.add_subparsers(dest="command", required=True, title="команды", metavar="КОМАНДА")

    def command(name: str, help_text: str, handler: Handler) -> RussianParser:
        sub: RussianParser = subcommands.add_parser(name, help=help_text, description=help_text, parents=[database])
        sub.set_defaults(handler=handler)
        return sub

    _server_commands(command)
    _account_commands(command)
    _registry_commands(command)
    _operator_commands(command)
    return parser


def _server_commands(command: Adder) -> None:
    serve = command("serve", "запустить сервер", commands.serve)
    serve.add_argument(
        "--host", default="127.0.0.1", metavar="АДРЕС", help="адрес, на котором слушать (по умолчанию 127.0.0.1)"
    )
    serve.add_argument("--port", type=_port, default=8765, metavar="ПОРТ", help="порт (по умолчанию 8765)")
    serve.add_argument("--demo", action="store_true", help="в пустой базе сначала создать демонстрационный регион")

    command("migrate", "создать или обновить структуру базы данных", commands.migrate)

    demo = command("init-demo", "создать демонстрационный регион в пустой базе", commands.init_demo)
    demo.add_argument("--seed", type=_int, default=commands.DEMO_SEED, metavar="ЧИСЛО", help="зерно случайных данных")
    demo.add_argument(
        "--scale",
        choices=("demo", *commands.REGION_SCALES),
        default="demo",
        help="размер: demo — несколько организаций; tiny и region — регион для замеров (region — 400 000 "
        "сертификатов, 8 000 программ, 1 500 организаций, 100 000 договоров)",
    )

    prune = command("prune-log", "сжать журнал изменений старше N дней", commands.prune_log)
    prune.add_argument(
        "--days", required=True, type=_days, metavar="ДНЕЙ", help="сколько дней журнала хранить полностью"
    )


def _account_commands(command: Adder) -> None:
    operator = command("create-operator", "создать пользователя-оператора региона", commands.create_operator)
    operator.add_argument("--username", required=True, metavar="ЛОГИН", help="имя для входа")
    operator.add_argument("--full-name", required=True, metavar="ФИО", help="фамилия, имя, отчество")
    _password_option(operator)

    organization = command(
        "create-organization", "создать организацию и её администратора", commands.create_organization
    )
    organization.add_argument("--name", required=True, metavar="НАЗВАНИЕ", help="полное наименование")
    organization.add_argument("--short-name", required=True, metavar="НАЗВАНИЕ", help="краткое наименование")
    organization.add_argument("--inn", required=True, metavar="ИНН", help="ИНН (10 или 12 цифр)")
    organization.add_argument("--admin-username", required=True, metavar="ЛОГИН", help="имя для входа администратора")
    organization.add_argument("--admin-full-name", required=True, metavar="ФИО", help="ФИО администратора")
    organization.add_argument(
        "--admin-password", dest="password", metavar="ПАРОЛЬ", help="пароль (иначе PFDO_PASSWORD или запрос)"
    )

    user = command("create-user", "создать сотрудника организации", commands.create_user)
    user.add_argument("--organization", required=True, metavar="ИНН_ИЛИ_ID", help="организация: ИНН или идентификатор")
    user.add_argument("--username", required=True, metavar="ЛОГИН", help="имя для входа")
    user.add_argument("--full-name", required=True, metavar="ФИО", help="фамилия, имя, отчество")
    user.add_argument(
        "--role",
        required=True,
        metavar="РОЛЬ",
        choices=("clerk", "org_admin"),
        help="clerk — сотрудник, org_admin — администратор",
    )
    _password_option(user)


def _registry_commands(command: Adder) -> None:
    payer = command("add-payer", "добавить плательщика (уполномоченную организацию)", commands.add_payer)
    payer.add_argument("--code", required=True, metavar="КОД", help="код плательщика: две цифры номера сертификата")
    payer.add_argument("--name", required=True, metavar="НАЗВАНИЕ", help="наименование")

    period = command("add-period", "добавить период финансирования сертификатов", commands.add_period)
    period.add_argument("--code", required=True, metavar="КОД", help="код периода, например 2026/2027")
    period.add_argument("--starts", required=True, metavar="ГГГГ-ММ-ДД", help="первый день")
    period.add_argument("--ends", required=True, metavar="ГГГГ-ММ-ДД", help="последний день")

    agreement = command("add-agreement", "добавить соглашение организации с плательщиком", commands.add_agreement)
    agreement.add_argument("--organization", required=True, metavar="ИНН", help="организация: ИНН или идентификатор")
    agreement.add_argument("--payer", required=True, metavar="КОД", help="код плательщика")
    agreement.add_argument("--number", required=True, metavar="НОМЕР", help="номер соглашения")
    agreement.add_argument("--signed", required=True, metavar="ГГГГ-ММ-ДД", help="дата подписания")
    agreement.add_argument("--starts", required=True, metavar="ГГГГ-ММ-ДД", help="начало действия")
    agreement.add_argument("--ends", required=True, metavar="ГГГГ-ММ-ДД", help="окончание действия")

    certificates = command(
        "import-certificates", "загрузить сертификаты из CSV или XLSX", operator_commands.import_certificates
    )
    certificates.add_argument(
        "file", metavar="ФАЙЛ", help="CSV (UTF-8, «;» или «,») или XLSX с заголовком в первой строке"
    )
    certificates.add_argument("--period", metavar="КОД", help="период балансов (по умолчанию — текущий)")


def _operator_commands(command: Adder) -> None:
    programs = command("list-programs", "показать программы и их модули", operator_commands.list_programs)
    programs.add_argument(
        "--status",
        default="submitted",
        choices=("submitted", "certified", "refused", "draft", "all"),
        metavar="СТАТУС",
        help="submitted (по умолчанию), certified, refused, draft или all",
    )

    certify = command(
        "certify", "сертифицировать программу с нормативной стоимостью модулей", operator_commands.certify
    )
    certify.add_argument("program", metavar="ID_ПРОГРАММЫ", help="идентификатор программы")
    certify.add_argument(
        "--normative",
        action="append",
        default=[],
        metavar="МОДУЛЬ=РУБ",
        help="норматив модуля: идентификатор или номер модуля = рубли (12000 или 12000,50)",
    )
    certify.add_argument("--all-normatives", metavar="РУБ", help="один норматив для всех модулей, в рублях")
    certify.add_argument("--remark", default="", metavar="ТЕКСТ", help="замечание оператора")
    certify.add_argument("--operator", metavar="ИМЯ", help="имя оператора (если операторов несколько)")

    refuse = command("refuse", "отказать программе в сертификации с замечанием", operator_commands.refuse)
    refuse.add_argument("program", metavar="ID_ПРОГРАММЫ", help="идентификатор программы")
    refuse.add_argument("--remark", required=True, metavar="ТЕКСТ", help="что исправить организации")
    refuse.add_argument("--operator", metavar="ИМЯ", help="имя оператора (если операторов несколько)")

    application = command(
        "file-application", "подать заявление родителя, как с регионального портала", operator_commands.file_application
    )
    application.add_argument("--certificate", required=True, metavar="НОМЕР", help="номер сертификата")
    application.add_argument("--surname", required=True, metavar="ФАМИЛИЯ", help="фамилия ребёнка")
    application.add_argument("--group", required=True, metavar="ID_ГРУППЫ", help="идентификатор группы")
    application.add_argument("--start", required=True, metavar="ГГГГ-ММ-ДД", help="дата начала обучения")


def _password_option(parser: RussianParser) -> None:
    parser.add_argument(
        "--password", metavar="ПАРОЛЬ", help="пароль (иначе переменная PFDO_PASSWORD или запрос с клавиатуры)"
    )


def _tolerant_output() -> None:
    """A console that cannot show a character (e.g. «₽» on an old Windows code page) gets «?», not a crash."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    _tolerant_output()
    parser = build_parser()
    try:
        arguments = parser.parse_args(argv)
    except UsageError as error:
        commands.fail(f"Ошибка в параметрах: {error.message}.\nСправка: {error.prog} --help")
        return 1
    except SystemExit as exit_:  # --help
        return exit_.code if isinstance(exit_.code, int) else 0
    handler: Callable[[argparse.Namespace], int] = arguments.handler
    try:
        return handler(arguments)
    except (commands.CliError, ImportFileError) as error:
        commands.fail(error.message)
    except ApiError as error:
        commands.fail(error.message)
    except SQLAlchemyError as error:
        commands.fail(f"Ошибка базы данных: {error.__class__.__name__}. Проверьте, что база доступна, и повторите.")
    except KeyboardInterrupt:
        commands.fail("Прервано.")
    except BrokenPipeError:
        # The reader of our output went away (``… | head``): nothing left to say, and nobody to say it to.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 1


if __name__ == "__main__":
    sys.exit(main())
