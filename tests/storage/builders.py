"""Builders of domain objects and small helpers shared by the storage tests."""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path

from desktop_app.domain.age import AgeRange
from desktop_app.domain.certificate import CertificateKind, CertificateRecord
from desktop_app.domain.contract import Contract, ContractStatus
from desktop_app.domain.organization import OrganizationProfile
from desktop_app.domain.program import (
    CertificationStatus,
    Direction,
    Group,
    Level,
    Module,
    Program,
    ProgramKind,
    ScheduleEntry,
    StudyForm,
    Weekday,
)

NOW = datetime(2026, 11, 28, 9, 30, 15, 123456, tzinfo=UTC)
MOSCOW = timezone(timedelta(hours=3), "MSK")

WAIT_SECONDS = 5.0
"""How long a thread handshake may take before the test gives up (never a synchronisation by sleep)."""
JOIN_SECONDS = 30.0
"""Longer than the busy timeout, so a thread stuck on a lock has always finished when it is joined."""

TREE_TABLES = ("programs", "modules", "study_groups", "schedule_entries")


def make_schedule_entry(weekday: Weekday, starts_hour: int, room: str = "каб. 12") -> ScheduleEntry:
    return ScheduleEntry(
        id=uuid.uuid4(),
        weekday=weekday,
        starts_at=time(starts_hour, 30),
        ends_at=time(starts_hour + 1, 15),
        room=room,
        address="г. Пермь, ул. Ленина, д. 1",
    )


def make_group(name: str, *weekdays: Weekday) -> Group:
    return Group(
        id=uuid.uuid4(),
        name=name,
        teacher="Иванова Мария Петровна",
        start_date=date(2026, 9, 1),
        end_date=date(2027, 5, 31),
        capacity=12,
        schedule=tuple(make_schedule_entry(weekday, 15 + index) for index, weekday in enumerate(weekdays)),
    )


def make_module(name: str, groups: tuple[Group, ...], *, price: int, normative: int | None) -> Module:
    return Module(
        id=uuid.uuid4(),
        name=name,
        months=9,
        hours=72,
        min_group_size=5,
        max_group_size=15,
        price=price,
        teacher_qualification="высшее педагогическое образование",
        normative=normative,
        groups=groups,
    )


def make_program(full_name: str = "Робототехника для начинающих") -> Program:
    """A program with every field filled in: two modules of two groups each, with weekly schedules."""
    first = make_module(
        "Первый год обучения",
        (
            make_group("Группа 1-А", Weekday.MONDAY, Weekday.WEDNESDAY),
            make_group("Группа 1-Б", Weekday.TUESDAY),
        ),
        price=1_234_550,
        normative=1_300_000,
    )
    second = make_module(
        "Второй год обучения",
        (
            make_group("Группа 2-А", Weekday.THURSDAY, Weekday.SATURDAY),
            make_group("Группа 2-Б", Weekday.FRIDAY, Weekday.SUNDAY),
        ),
        price=1_500_000,
        normative=None,
    )
    return Program(
        id=uuid.uuid4(),
        full_name=full_name,
        short_name=full_name.split(maxsplit=1)[0],
        direction=Direction.TECHNICAL,
        kind=ProgramKind.GENERAL_DEVELOPMENTAL,
        form=StudyForm.MIXED,
        level=Level.BASIC,
        age_range=AgeRange.from_years(7, 11),
        duration_months=18,
        distance_technologies=True,
        annotation="Конструирование и программирование роботов «ЛЕГО».",
        goals="Развитие инженерного мышления",
        expected_results="Участие в соревнованиях; ё и Ё сохраняются",
        medical_certificate_required=True,
        accessible_for_disabled=True,
        final_document="Сертификат об окончании",
        addresses=("г. Пермь, ул. Ленина, д. 1", "г. Пермь, ул. Мира, д. 7"),
        status=CertificationStatus.CERTIFIED,
        modules=(first, second),
    )


def make_contract(
    program: Program,
    *,
    module_index: int = 0,
    status: ContractStatus = ContractStatus.PENDING,
    certificate_number: str = "5900123456",
    provisional_number: str | None = None,
    price: int = 1_234_550,
    from_certificate: int = 1_000_000,
    co_payment: int = 234_550,
    start_date: date = date(2026, 9, 1),
    end_date: date = date(2027, 5, 31),
) -> Contract:
    """A contract on the first group of one of the program's modules."""
    module = program.modules[module_index]
    contract_id = uuid.uuid4()
    return Contract(
        id=contract_id,
        provisional_number=provisional_number or f"Л-{contract_id.hex[:8]}",
        number=None,
        status=status,
        certificate_number=certificate_number,
        child_full_name="Петров Пётр Петрович",
        child_birth_date=date(2017, 3, 14),
        parent_full_name="Петрова Анна Сергеевна",
        program_id=program.id,
        module_id=module.id,
        group_id=module.groups[0].id,
        start_date=start_date,
        end_date=end_date,
        price=price,
        from_certificate=from_certificate,
        co_payment=co_payment,
    )


def make_certificate(lookup_key: str, *, balance: int = 2_500_000, frozen: bool = False) -> CertificateRecord:
    return CertificateRecord(
        lookup_key=lookup_key,
        kind=CertificateKind.FINANCING,
        birth_date=date(2016, 2, 29),
        frozen=frozen,
        balance_current=balance,
        balance_next=balance // 2,
        payer_code="59",
    )


def make_organization(full_name: str = "МБУ ДО «Дом детского творчества»") -> OrganizationProfile:
    return OrganizationProfile(
        full_name=full_name,
        short_name="МБУ ДО ДДТ",
        inn="5902123456",
        kpp="590201001",
        ogrn="1025900000000",
        license_number="№ 1234",
        license_date=date(2015, 6, 30),
        license_issuer="Министерство образования и науки Пермского края",
        legal_address="614000, г. Пермь, ул. Ленина, д. 1",
        actual_address="614000, г. Пермь, ул. Мира, д. 7",
        bank_name="ПАО Сбербанк",
        bik="045773603",
        settlement_account="40702810000000000001",
        correspondent_account="30101810900000000603",
        signatory_name="Сидорова Ольга Ивановна",
        signatory_position="директор",
        signatory_basis="Устава",
    )


def query_rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    """Rows of a query, read with a plain sqlite3 connection that bypasses the package entirely."""
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(sql).fetchall()


def row_count(path: Path, table: str) -> int:
    rows = query_rows(path, f"SELECT count(*) FROM {table}")
    return int(str(rows[0][0]))


def stored_ids(path: Path, table: str, *, archived: bool | None = None) -> set[uuid.UUID]:
    """The UUID primary keys stored in a table; only the archived or the active ones when asked."""
    if archived is None:
        where = ""
    elif table == "programs":
        where = " WHERE status = 'archived'" if archived else " WHERE status != 'archived'"
    else:
        where = f" WHERE archived = {int(archived)}"
    return {uuid.UUID(str(row[0])) for row in query_rows(path, f"SELECT id FROM {table}{where}")}


def tree_ids(program: Program) -> dict[str, set[uuid.UUID]]:
    """The identifiers of every row a program's tree should occupy, per table."""
    groups = [group for module in program.modules for group in module.groups]
    return {
        "programs": {program.id},
        "modules": {module.id for module in program.modules},
        "study_groups": {group.id for group in groups},
        "schedule_entries": {entry.id for group in groups for entry in group.schedule},
    }


def union_of_trees(programs: Iterable[Program]) -> dict[str, set[uuid.UUID]]:
    union: dict[str, set[uuid.UUID]] = {table: set() for table in TREE_TABLES}
    for program in programs:
        for table, ids in tree_ids(program).items():
            union[table] |= ids
    return union


@contextmanager
def background(
    target: Callable[[], None], *, name: str, on_exit: Iterable[threading.Event] = ()
) -> Iterator[threading.Thread]:
    """Run ``target`` in a thread for the duration of the block; always join it, then re-raise its error.

    ``on_exit`` events are set before joining, so a thread waiting for a handshake is released even when
    the block fails.
    """
    errors: list[BaseException] = []

    def run() -> None:
        try:
            target()
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    try:
        yield thread
    finally:
        for event in on_exit:
            event.set()
        thread.join(JOIN_SECONDS)
    assert not thread.is_alive(), f"thread {name} is still running"
    if errors:
        raise errors[0]


def wait_for(event: threading.Event, what: str) -> None:
    """Wait for a handshake from another thread; raise (instead of hanging) if it never comes."""
    if not event.wait(WAIT_SECONDS):
        raise TimeoutError(f"no signal within {WAIT_SECONDS} s: {what}")
