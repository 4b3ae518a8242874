"""The ``pfdo-server`` commands of the operator's daily work: certificates in, programs certified, applications."""

from __future__ import annotations

import argparse
import uuid
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.certificate import CertificateNumberError, normalize_certificate_number
from desktop_app.domain.contract import ContractStatus
from desktop_app.sync.protocol import Role
from server.cli_commands import CliError, count, fail, parse_day, parse_roubles, parse_uuid, runtime, say
from server.db.models import ModuleRow, Period, User
from server.services import certification, importer, portal
from server.services.import_files import read_table
from server.services.operations import money

PROGRAM_STATUS_LABELS = {
    "draft": "черновик",
    "submitted": "на сертификации",
    "certified": "сертифицирована",
    "refused": "отказ",
}


def _operator(session: Session, username: str | None) -> User:
    """The acting operator: the one named, or the only one there is."""
    query = select(User).where(User.role == Role.OPERATOR.value, User.active)
    if username is not None:
        operator = session.scalar(query.where(User.username == username))
        if operator is None:
            raise CliError(f"Оператор «{username}» не найден.")
        return operator
    operators = list(session.scalars(query.limit(2)))
    if not operators:
        raise CliError("В базе нет оператора: создайте его командой create-operator.")
    if len(operators) > 1:
        raise CliError("Операторов несколько: укажите, кто действует, параметром --operator.")
    return operators[0]


def import_certificates(arguments: argparse.Namespace) -> int:
    path = Path(arguments.file)
    table = read_table(path)
    with runtime(arguments) as opened, opened.database.transaction() as session:
        now = opened.clock.now()
        today = opened.clock.local(now).date()
        period = _import_period(session, arguments.period, today)
        result = importer.import_certificates(session, table, period=period, now=now, today=today, source=path.name)
    if result.errors:
        fail(
            f"В файле «{path.name}» ошибки в {count(len(result.errors), 'строке', 'строках', 'строках')}; "
            "ничего не загружено. Исправьте их и повторите загрузку."
        )
        for error in result.errors:
            fail(f"  {error.message}")
        return 1
    say(
        f"Загружено {count(result.imported, 'сертификат', 'сертификата', 'сертификатов')} "
        f"(ПФ: {result.financing}, учёта: {result.imported - result.financing}), балансы — в периоде «{period.code}»."
    )
    return 0


def _import_period(session: Session, code: str | None, today: date) -> Period:
    if code is not None:
        period = session.scalar(select(Period).where(Period.code == code.strip()))
        if period is None:
            raise CliError(f"Период «{code.strip()}» не найден: добавьте его командой add-period.")
        return period
    period = session.scalar(select(Period).where(Period.starts_on <= today, Period.ends_on >= today))
    if period is None:
        raise CliError(
            f"Нет периода финансирования, в который входит сегодняшний день ({today:%d.%m.%Y}): "
            "укажите --period или добавьте период командой add-period."
        )
    return period


def list_programs(arguments: argparse.Namespace) -> int:
    status = None if arguments.status == "all" else arguments.status
    with runtime(arguments) as opened, opened.database.transaction() as session:
        found = certification.programs_by_status(session, status)
        if not found:
            say("Программ нет.")
        for program, organization in found:
            label = PROGRAM_STATUS_LABELS[program.status]
            say(f"{program.id}  «{program.short_name}» — {organization.short_name}, {label}")
            for position, module in enumerate(certification.active_modules(session, program.id), start=1):
                normative = f", норматив {money(module.normative)}" if module.normative is not None else ""
                say(f"    модуль {position}: {module.id}  «{module.name}», цена {money(module.price)}{normative}")
    return 0


def certify(arguments: argparse.Namespace) -> int:
    program_id = parse_uuid(arguments.program, "программы")
    everything = parse_roubles(arguments.all_normatives, "Норматив") if arguments.all_normatives else None
    with runtime(arguments) as opened, opened.database.transaction() as session:
        operator = _operator(session, arguments.operator)
        modules = certification.active_modules(session, program_id)
        normatives = {module.id: everything for module in modules} if everything is not None else {}
        for item in arguments.normative:
            reference, separator, amount = item.partition("=")
            if not separator:
                raise CliError(f"«{item}»: норматив пишется как МОДУЛЬ=РУБЛИ, например 1=15000 или <id>=15000,50.")
            module_id = _module_reference(reference.strip(), modules)
            normatives[module_id] = parse_roubles(amount, f"Норматив модуля «{reference.strip()}»")
        program = certification.certify(
            session,
            program_id=program_id,
            normatives={module_id: amount for module_id, amount in normatives.items() if amount is not None},
            remark=arguments.remark,
            operator=operator,
            now=opened.clock.now(),
            max_price_percent=opened.config.max_price_percent_of_normative,
        )
        say(f"Программа «{program.short_name}» сертифицирована.")
        for module in modules:
            assert module.normative is not None
            say(f"  «{module.name}»: норматив {money(module.normative)}, цена {money(module.price)}")
    return 0


def _module_reference(reference: str, modules: list[ModuleRow]) -> uuid.UUID:
    if reference.isdigit() and 1 <= int(reference) <= len(modules):
        return modules[int(reference) - 1].id
    for module in modules:
        if str(module.id) == reference.lower():
            return module.id
    raise CliError(
        f"Модуль «{reference}» не найден среди модулей программы (укажите номер по порядку или идентификатор)."
    )


def refuse(arguments: argparse.Namespace) -> int:
    program_id = parse_uuid(arguments.program, "программы")
    with runtime(arguments) as opened, opened.database.transaction() as session:
        program = certification.refuse(
            session,
            program_id=program_id,
            remark=arguments.remark,
            operator=_operator(session, arguments.operator),
            now=opened.clock.now(),
        )
        say(f"Программе «{program.short_name}» отказано в сертификации. Замечание: {arguments.remark.strip()}")
    return 0


def file_application(arguments: argparse.Namespace) -> int:
    try:
        number = normalize_certificate_number(arguments.certificate)
    except CertificateNumberError as error:
        raise CliError(error.message) from None
    group_id = parse_uuid(arguments.group, "группы")
    start = parse_day(arguments.start, "Дата начала")
    with runtime(arguments) as opened:
        record = portal.file_application(
            opened.database,
            opened.config,
            opened.clock,
            certificate_number=number,
            surname=arguments.surname,
            group_id=group_id,
            start_date=start,
        )
    status = ContractStatus(str(record["status"]))
    say(f"Заявление подано: договор № {record['number']}, статус «{status.label}».")
    price, from_certificate = record["price"], record["from_certificate"]
    assert isinstance(price, int) and isinstance(from_certificate, int)
    say(
        f"Стоимость {money(price)}, из сертификата {money(from_certificate)}, "
        f"доплата родителя {money(price - from_certificate)}."
    )
    return 0
