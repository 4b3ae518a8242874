"""What each ``pfdo-server`` command does: open the database, call a service, say the result in Russian."""

from __future__ import annotations

import argparse
import errno
import getpass
import os
import socket
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import uvicorn
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from desktop_app import __version__
from desktop_app.domain.money import plural_form
from desktop_app.sync.protocol import Role
from server.auth.passwords import Passwords
from server.config import default_data_dir
from server.db import migrate as migrations
from server.db.models import Organization, Payer, Period
from server.runtime import Runtime, open_runtime
from server.services import accounts, changes, demo, import_files, region
from server.services.demo_data import DEMO_PASSWORD

DEMO_SEED = demo.DEMO_SEED
REGION_SCALES = tuple(region.SCALES)
PASSWORD_VARIABLE = "PFDO_PASSWORD"
MIN_PASSWORD_LENGTH = 8
URL_HINT = "Пишите sqlite:///путь/к/файлу.sqlite3 или postgresql+psycopg://пользователь:пароль@сервер/база."
_INN_WEIGHTS_10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN_WEIGHTS_11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN_WEIGHTS_12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
ROLE_LABELS = {
    Role.OPERATOR: "оператор региона",
    Role.ORG_ADMIN: "администратор организации",
    Role.CLERK: "сотрудник организации",
}


class CliError(Exception):
    """An expected problem; ``message`` is what the person at the console reads."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def say(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def fail(text: str) -> None:
    sys.stderr.write(text + "\n")


# ---------------------------------------------------------------- shared helpers


@contextmanager
def runtime(arguments: argparse.Namespace) -> Iterator[Runtime]:
    """The migrated database of ``--db`` / ``--data-dir``, closed afterwards."""
    url: str | None = arguments.db
    folder = Path(arguments.data_dir) if arguments.data_dir else None
    if url is not None:
        try:
            where = make_url(url).render_as_string(hide_password=True)
        except ArgumentError:
            raise CliError(f"Адрес базы данных не распознан. {URL_HINT}") from None
    else:
        where = f"в папке {folder or default_data_dir()}"
    try:
        opened = open_runtime(url, folder)
    except ImportError as error:
        raise CliError(f"Нет драйвера для базы {where}. {URL_HINT}") from error
    except NoSuchModuleError as error:
        raise CliError(f"Неизвестный вид базы данных {where}. {URL_HINT}") from error
    except OSError as error:
        raise CliError(f"Не удалось открыть базу данных {where}: {os_reason(error)}.") from error
    except (SQLAlchemyError, ValueError) as error:
        raise CliError(f"Не удалось открыть базу данных {where}: {_reason(error)}") from error
    try:
        yield opened
    finally:
        opened.close()


def os_reason(error: OSError) -> str:
    """What the operating system refused, in Russian, with the path it concerns."""
    reasons = {
        errno.ENOENT: "нет такого файла или папки",
        errno.EACCES: "нет прав доступа",
        errno.EPERM: "нет прав доступа",
        errno.ENOSPC: "нет места на диске",
        errno.EROFS: "диск доступен только для чтения",
        errno.ENOTDIR: "часть пути — не папка",
        errno.EADDRINUSE: "адрес уже занят другой программой",
        errno.EADDRNOTAVAIL: "у этого компьютера нет такого адреса",
    }
    reason = reasons.get(error.errno or 0, error.strerror or error.__class__.__name__)
    return f"{reason} ({error.filename})" if error.filename else reason


def _reason(error: Exception) -> str:
    original = getattr(error, "orig", None)
    text = str(original if original is not None else error).strip()
    return text.splitlines()[0] if text else error.__class__.__name__


def read_password(given: str | None) -> str:
    """The option, else ``PFDO_PASSWORD``, else asked twice at the keyboard."""
    password = given if given is not None else os.environ.get(PASSWORD_VARIABLE)
    if password is None:
        password = getpass.getpass("Пароль: ")
        if getpass.getpass("Повторите пароль: ") != password:
            raise CliError("Пароли не совпадают.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise CliError(f"Пароль слишком короткий: нужно не меньше {MIN_PASSWORD_LENGTH} символов.")
    return password


def parse_day(text: str, what: str) -> date:
    try:
        return import_files.parse_date(text)
    except import_files.ValueProblem as problem:
        raise CliError(f"{what}: {problem.message}.") from None


def parse_uuid(text: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        raise CliError(f"«{text}» — не идентификатор {what}.") from None


def parse_roubles(text: str, what: str) -> int:
    try:
        return import_files.parse_roubles(text)
    except import_files.ValueProblem as problem:
        raise CliError(f"{what}: {problem.message}.") from None


def check_inn(inn: str) -> str:
    """An ИНН of an organization (10 digits) or an entrepreneur (12), with its check digits verified."""
    inn = inn.strip()
    if not inn.isdigit() or len(inn) not in (10, 12):
        raise CliError(f"ИНН «{inn}» должен состоять из 10 или 12 цифр.")
    digits = [int(char) for char in inn]

    def control(weights: tuple[int, ...]) -> int:
        return sum(weight * digit for weight, digit in zip(weights, digits, strict=False)) % 11 % 10

    if len(inn) == 10:
        valid = control(_INN_WEIGHTS_10) == digits[9]
    else:
        valid = control(_INN_WEIGHTS_11) == digits[10] and control(_INN_WEIGHTS_12) == digits[11]
    if not valid:
        raise CliError(f"ИНН {inn} не проходит проверку контрольных цифр: проверьте, нет ли опечатки.")
    return inn


def count(number: int, one: str, few: str, many: str) -> str:
    return f"{number} {plural_form(number, one, few, many)}"


def _say_logins(logins: demo.DemoLogins) -> None:
    say(
        f"Создан демонстрационный регион: {count(logins.organizations, 'организация', 'организации', 'организаций')}, "
        f"{count(logins.programs, 'программа', 'программы', 'программ')}, "
        f"{count(logins.certificates, 'сертификат', 'сертификата', 'сертификатов')}."
    )
    say("Учётные записи для входа:")
    for login in logins.logins:
        role = ROLE_LABELS[login.role]
        where = f"{role}, {login.organization}" if login.organization else role
        say(f"  логин: {login.username:<12} пароль: {login.password:<6} {where}")


# ---------------------------------------------------------------- commands


def serve(arguments: argparse.Namespace) -> int:
    _check_port_free(arguments.host, arguments.port)
    with runtime(arguments) as opened:
        logins = None
        if arguments.demo:
            with opened.database.transaction() as session:
                if session.scalar(select(func.count()).select_from(Organization)):
                    say("В базе уже есть организации: демонстрационный регион не создаётся.")
                else:
                    passwords = Passwords(fast=opened.config.fast_password_hashing)
                    logins = demo.init_demo(session, passwords, opened.clock.now(), timezone=opened.config.timezone)
        if logins is not None:
            _say_logins(logins)
        host = f"[{arguments.host}]" if ":" in arguments.host else arguments.host
        address = f"http://{host}:{arguments.port}"
        say(f"Сервер ПФДО {__version__}: {address} (описание API — {address}/docs). Остановка — Ctrl+C.")
        sys.stdout.flush()
        uvicorn.run(opened.app(), host=arguments.host, port=arguments.port, log_level="info")
    return 0


def _check_port_free(host: str, port: int) -> None:
    """Say plainly that the address is taken, before the database is opened and uvicorn logs in English."""
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            if os.name != "nt":  # as uvicorn does; on Windows the option would let us share a taken port
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as error:
        hint = "Укажите другой --host." if error.errno == errno.EADDRNOTAVAIL else "Укажите другой --port."
        raise CliError(f"Не удалось занять адрес {host}:{port}: {os_reason(error)}. {hint}") from None


def migrate(arguments: argparse.Namespace) -> int:
    with runtime(arguments) as opened:
        revision = migrations.current_revision(opened.database.engine)
        say(f"Структура базы данных в актуальном состоянии (версия схемы {revision}).")
    return 0


def create_operator(arguments: argparse.Namespace) -> int:
    password = read_password(arguments.password)
    with runtime(arguments) as opened, opened.database.transaction() as session:
        accounts.create_user(
            session,
            Passwords(fast=opened.config.fast_password_hashing),
            username=arguments.username.strip(),
            full_name=arguments.full_name.strip(),
            password=password,
            role=Role.OPERATOR,
            organization_id=None,
            now=opened.clock.now(),
        )
    say(f"Оператор «{arguments.username.strip()}» создан.")
    return 0


def create_organization(arguments: argparse.Namespace) -> int:
    inn = check_inn(arguments.inn)
    password = read_password(arguments.password)
    with runtime(arguments) as opened, opened.database.transaction() as session:
        now = opened.clock.now()
        organization = accounts.create_organization(
            session, name=arguments.name.strip(), short_name=arguments.short_name.strip(), inn=inn, now=now
        )
        accounts.create_user(
            session,
            Passwords(fast=opened.config.fast_password_hashing),
            username=arguments.admin_username.strip(),
            full_name=arguments.admin_full_name.strip(),
            password=password,
            role=Role.ORG_ADMIN,
            organization_id=organization.id,
            now=now,
        )
        say(
            f"Организация «{organization.short_name}» (ИНН {inn}) создана, идентификатор {organization.id}; "
            f"администратор — «{arguments.admin_username.strip()}»."
        )
    return 0


def create_user(arguments: argparse.Namespace) -> int:
    password = read_password(arguments.password)
    with runtime(arguments) as opened, opened.database.transaction() as session:
        organization = accounts.organization_by_reference(session, arguments.organization.strip())
        role = Role(arguments.role)
        accounts.create_user(
            session,
            Passwords(fast=opened.config.fast_password_hashing),
            username=arguments.username.strip(),
            full_name=arguments.full_name.strip(),
            password=password,
            role=role,
            organization_id=organization.id,
            now=opened.clock.now(),
        )
        say(f"Пользователь «{arguments.username.strip()}» ({ROLE_LABELS[role]}, {organization.short_name}) создан.")
    return 0


def add_payer(arguments: argparse.Namespace) -> int:
    code = arguments.code.strip()
    if len(code) != 2 or not code.isdigit():
        raise CliError(f"Код плательщика «{code}» должен состоять из двух цифр.")
    if not arguments.name.strip():
        raise CliError("Укажите наименование плательщика.")
    with runtime(arguments) as opened, opened.database.transaction() as session:
        if session.scalar(select(Payer.id).where(Payer.code == code)) is not None:
            raise CliError(f"Плательщик с кодом {code} уже есть.")
        accounts.create_payer(session, code=code, name=arguments.name.strip())
    say(f"Плательщик {code} «{arguments.name.strip()}» добавлен.")
    return 0


def add_period(arguments: argparse.Namespace) -> int:
    code = arguments.code.strip()
    starts = parse_day(arguments.starts, "Начало периода")
    ends = parse_day(arguments.ends, "Окончание периода")
    if not code or len(code) > 16:
        raise CliError("Код периода — от 1 до 16 символов, например 2026/2027.")
    if ends < starts:
        raise CliError("Период заканчивается раньше, чем начинается.")
    with runtime(arguments) as opened, opened.database.transaction() as session:
        if session.scalar(select(Period.id).where(Period.code == code)) is not None:
            raise CliError(f"Период «{code}» уже есть.")
        overlapping = session.scalar(select(Period).where(Period.starts_on <= ends, Period.ends_on >= starts))
        if overlapping is not None:
            raise CliError(
                f"Период пересекается с периодом «{overlapping.code}» "
                f"({overlapping.starts_on:%d.%m.%Y} – {overlapping.ends_on:%d.%m.%Y})."
            )
        accounts.create_period(session, code=code, starts_on=starts, ends_on=ends)
    say(f"Период «{code}» ({starts:%d.%m.%Y} – {ends:%d.%m.%Y}) добавлен.")
    return 0


def add_agreement(arguments: argparse.Namespace) -> int:
    signed = parse_day(arguments.signed, "Дата подписания")
    starts = parse_day(arguments.starts, "Начало действия")
    ends = parse_day(arguments.ends, "Окончание действия")
    if ends < starts:
        raise CliError("Соглашение заканчивается раньше, чем начинается.")
    if not arguments.number.strip():
        raise CliError("Укажите номер соглашения.")
    with runtime(arguments) as opened, opened.database.transaction() as session:
        organization = accounts.organization_by_reference(session, arguments.organization.strip())
        payer = session.scalar(select(Payer).where(Payer.code == arguments.payer.strip()))
        if payer is None:
            raise CliError(f"Плательщик с кодом «{arguments.payer.strip()}» не найден.")
        accounts.create_agreement(
            session,
            organization=organization,
            payer=payer,
            number=arguments.number.strip(),
            signed_on=signed,
            starts_on=starts,
            ends_on=ends,
        )
        say(
            f"Соглашение № {arguments.number.strip()} «{organization.short_name}» с плательщиком {payer.code} "
            f"действует {starts:%d.%m.%Y} – {ends:%d.%m.%Y}."
        )
    return 0


def init_demo(arguments: argparse.Namespace) -> int:
    if arguments.scale != "demo":
        return _init_region(arguments)
    with runtime(arguments) as opened:
        with opened.database.transaction() as session:
            passwords = Passwords(fast=opened.config.fast_password_hashing)
            logins = demo.init_demo(
                session, passwords, opened.clock.now(), arguments.seed, timezone=opened.config.timezone
            )
        _say_logins(logins)
    return 0


def _init_region(arguments: argparse.Namespace) -> int:
    with runtime(arguments) as opened:
        with opened.database.transaction() as session:
            passwords = Passwords(fast=opened.config.fast_password_hashing)
            built = region.build_region(
                session,
                passwords,
                opened.clock.now(),
                region.SCALES[arguments.scale],
                arguments.seed,
                timezone=opened.config.timezone,
            )
        say(
            f"Создан регион для замеров: {count(built.organizations, 'организация', 'организации', 'организаций')}, "
            f"{count(built.programs, 'программа', 'программы', 'программ')}, "
            f"{count(built.certificates, 'сертификат', 'сертификата', 'сертификатов')}, "
            f"{count(built.contracts, 'договор', 'договора', 'договоров')}."
        )
        say(
            f"Пароль всех пользователей: {DEMO_PASSWORD}. Оператор: operator; организации: org0001-admin, "
            f"org0001-clerk … (сотрудник {built.hub_username} видит сертификаты всех плательщиков)."
        )
    return 0


def prune_log(arguments: argparse.Namespace) -> int:
    with runtime(arguments) as opened, opened.database.transaction() as session:
        dropped = changes.prune_log(session, before=opened.clock.now() - timedelta(days=arguments.days))
    say(f"Из журнала изменений удалено записей: {dropped}.")
    return 0
