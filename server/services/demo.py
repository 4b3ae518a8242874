"""A demo region in an empty database: an operator, payers, organizations with users, programs, certificates.

Everything comes from one ``random.Random(seed)``, so the same seed and day give the same region. Every
record a workstation mirrors gets a change-log entry, so a workstation's first pull downloads it all.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from desktop_app.domain.age import add_months
from desktop_app.sync.protocol import ChangeEntity, Role
from server.auth.passwords import Passwords
from server.config import DEFAULT_TIMEZONE
from server.db.models import (
    Certificate,
    CertificateBalance,
    CertificationDecision,
    GroupRow,
    ModuleRow,
    Organization,
    Payer,
    Period,
    ProgramRow,
    ScheduleEntryRow,
    User,
)
from server.errors import ApiError
from server.services import accounts
from server.services.audit import audit
from server.services.changes import record_change
from server.services.demo_data import (
    DEMO_PASSWORD,
    FATHERS,
    FEMALE_NAMES,
    MALE_NAMES,
    OPERATOR,
    ORGANIZATIONS,
    PAYERS,
    SURNAMES,
    TEACHERS,
    OrganizationPlan,
    ProgramPlan,
    female_surname,
)
from server.services.demo_requisites import fill_demo_requisites

DEMO_SEED = 42
DEMO_CERTIFICATES = 2000
REGION_CODE = "42"
FINANCING_SHARE_PERCENT = 80
FROZEN_PER_THOUSAND = 10
PAYER_SHARES_PERCENT = {"12": 60, "13": 40}
WEEKLY_PATTERNS = ((1, 3), (2, 4), (3, 5), (1, 4), (2, 5), (2, 6), (4, 6))
LESSON_STARTS = (time(14, 0), time(15, 30), time(16, 0), time(17, 0), time(18, 30))
LESSON_MINUTES = 90
NOT_EMPTY = (
    "Демонстрационный регион создаётся только в пустой базе, а в этой уже есть организации, плательщики, "
    "периоды или сертификаты. Укажите другую базу (--db или --data-dir)."
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    full_name: str
    role: Role
    organization: str | None


@dataclass(frozen=True)
class DemoLogins:
    logins: tuple[DemoLogin, ...]
    organizations: int
    programs: int
    certificates: int


def school_year_start(day: date) -> date:
    """1 September of the school year (1 September – 31 August) the day falls in."""
    return date(day.year if day.month >= 9 else day.year - 1, 9, 1)


def is_empty(session: Session) -> bool:
    return all(
        not session.scalar(select(func.count()).select_from(model))
        for model in (Organization, Payer, Period, Certificate)
    )


def init_demo(
    session: Session,
    passwords: Passwords,
    now: datetime,
    seed: int = DEMO_SEED,
    *,
    timezone: str = DEFAULT_TIMEZONE,
    certificates: int = DEMO_CERTIFICATES,
) -> DemoLogins:
    """Create the demo region in the session's transaction and return who can log in.

    Raises:
        ApiError: the database is not empty (409), or a demo username is taken.
    """
    if not is_empty(session):
        raise ApiError(409, "not_empty", NOT_EMPTY)
    rng = random.Random(seed)
    today = now.astimezone(ZoneInfo(timezone)).date()
    this_year = school_year_start(today)
    next_year = date(this_year.year + 1, 9, 1)
    periods = [
        accounts.create_period(
            session, code=f"{start.year}/{start.year + 1}", starts_on=start, ends_on=date(start.year + 1, 8, 31)
        )
        for start in (this_year, next_year)
    ]
    payers = {code: accounts.create_payer(session, code=code, name=name) for code, name in PAYERS}
    operator = _user(session, passwords, OPERATOR[0], OPERATOR[1], Role.OPERATOR, None, now)
    logins = [DemoLogin(OPERATOR[0], DEMO_PASSWORD, OPERATOR[1], Role.OPERATOR, None)]
    # Groups run in the school year people enrol for now: this one until June, the next one in summer.
    group_year = this_year if today < date(this_year.year + 1, 6, 1) else next_year
    programs = 0
    for serial, plan in enumerate(ORGANIZATIONS, start=1):
        organization = accounts.create_organization(
            session, name=plan.name, short_name=plan.short_name, inn=plan.inn, now=now
        )
        fill_demo_requisites(organization, plan, serial)
        for index, code in enumerate(plan.payer_codes, start=1):
            accounts.create_agreement(
                session,
                organization=organization,
                payer=payers[code],
                number=f"{code}/{this_year.year}-{plan.inn[-3:]}-{index}",
                signed_on=this_year - timedelta(days=10),
                starts_on=this_year,
                ends_on=periods[-1].ends_on,
            )
        for suffix, full_name, role in (
            ("admin", plan.admin_name, Role.ORG_ADMIN),
            ("clerk", plan.clerk_name, Role.CLERK),
        ):
            username = f"{plan.key}-{suffix}"
            _user(session, passwords, username, full_name, role, organization.id, now)
            logins.append(DemoLogin(username, DEMO_PASSWORD, full_name, role, organization.short_name))
        for program_plan in plan.programs:
            _program(session, rng, organization, plan, program_plan, operator, group_year, now)
            programs += 1
    created = _certificates(session, rng, payers, periods, today, now, certificates)
    audit(
        session,
        at=now,
        action="demo.init",
        entity="region",
        entity_id="demo",
        details={"seed": seed, "certificates": created, "programs": programs},
    )
    return DemoLogins(tuple(logins), len(ORGANIZATIONS), programs, created)


def _user(
    session: Session,
    passwords: Passwords,
    username: str,
    full_name: str,
    role: Role,
    organization_id: uuid.UUID | None,
    now: datetime,
) -> User:
    return accounts.create_user(
        session,
        passwords,
        username=username,
        full_name=full_name,
        password=DEMO_PASSWORD,
        role=role,
        organization_id=organization_id,
        now=now,
    )


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _program(
    session: Session,
    rng: random.Random,
    organization: Organization,
    organization_plan: OrganizationPlan,
    plan: ProgramPlan,
    operator: User,
    group_year: date,
    now: datetime,
) -> None:
    """A certified program with its modules, groups and weekly schedules, all in the change log."""
    owner = organization.id
    program = ProgramRow(
        id=_uuid(rng),
        organization_id=owner,
        full_name=plan.full_name,
        short_name=plan.short_name,
        direction=plan.direction,
        kind=plan.kind,
        form="full_time",
        level=plan.level,
        distance_technologies=False,
        age_from_months=plan.ages[0] * 12,
        age_to_months=plan.ages[1] * 12,
        duration_months=sum(module.months for module in plan.modules),
        annotation=plan.annotation,
        goals=plan.goals,
        expected_results=plan.expected_results,
        medical_certificate_required=plan.medical_certificate_required,
        accessible_for_disabled=plan.accessible_for_disabled,
        final_document=plan.final_document,
        addresses_json=json.dumps([organization_plan.address], ensure_ascii=False),
        status="certified",
        archived=False,
        created_at=now - timedelta(days=30),
        updated_at=now - timedelta(days=7),
    )
    session.add(program)
    session.flush()
    session.add_all(
        [
            CertificationDecision(
                id=_uuid(rng),
                program_id=program.id,
                decision="submitted",
                author_name=organization.short_name,
                decided_at=now - timedelta(days=14),
            ),
            CertificationDecision(
                id=_uuid(rng),
                program_id=program.id,
                decision="certified",
                remark="Программа соответствует требованиям.",
                author_id=operator.id,
                author_name=operator.full_name,
                decided_at=now - timedelta(days=7),
            ),
        ]
    )
    record_change(session, now=now, entity=ChangeEntity.PROGRAM, entity_id=program.id, organization_id=owner)
    group_end = date(group_year.year + 1, 5, 31)
    for position, module_plan in enumerate(plan.modules):
        module = ModuleRow(
            id=_uuid(rng),
            program_id=program.id,
            organization_id=owner,
            position=position,
            name=module_plan.name,
            months=module_plan.months,
            hours=module_plan.hours,
            min_group_size=module_plan.min_group_size,
            max_group_size=module_plan.max_group_size,
            teacher_qualification=module_plan.teacher_qualification,
            price=module_plan.price_roubles * 100,
            normative=module_plan.normative_roubles * 100,
            archived=False,
        )
        session.add(module)
        session.flush()
        record_change(session, now=now, entity=ChangeEntity.MODULE, entity_id=module.id, organization_id=owner)
        for number in range(1, rng.randint(1, 3) + 1):
            group = GroupRow(
                id=_uuid(rng),
                module_id=module.id,
                organization_id=owner,
                name=f"Группа {position + 1}.{number}",
                teacher=rng.choice(TEACHERS),
                start_date=group_year,
                end_date=group_end,
                capacity=rng.randint(module_plan.min_group_size, module_plan.max_group_size),
                taken=0,
                archived=False,
            )
            session.add(group)
            session.flush()
            record_change(session, now=now, entity=ChangeEntity.GROUP, entity_id=group.id, organization_id=owner)
            _schedule(session, rng, group, organization_plan.address, now)


def _schedule(session: Session, rng: random.Random, group: GroupRow, address: str, now: datetime) -> None:
    starts = rng.choice(LESSON_STARTS)
    ends = (datetime.combine(date.min, starts) + timedelta(minutes=LESSON_MINUTES)).time()
    room = f"каб. {rng.randint(1, 40)}"
    entries = [
        ScheduleEntryRow(
            id=_uuid(rng),
            group_id=group.id,
            organization_id=group.organization_id,
            weekday=weekday,
            starts_at=starts,
            ends_at=ends,
            room=room,
            address=address,
            archived=False,
        )
        for weekday in rng.choice(WEEKLY_PATTERNS)
    ]
    session.add_all(entries)
    session.flush()
    for entry in entries:
        record_change(
            session,
            now=now,
            entity=ChangeEntity.SCHEDULE_ENTRY,
            entity_id=entry.id,
            organization_id=group.organization_id,
        )


def _certificates(
    session: Session,
    rng: random.Random,
    payers: dict[str, Payer],
    periods: list[Period],
    today: date,
    now: datetime,
    count: int,
) -> int:
    """Certificates of children aged 5–17 with balances in both periods (zero for certificates of учёт)."""
    youngest = add_months(today, -5 * 12)
    oldest = add_months(today, -18 * 12) + timedelta(days=1)
    span = (youngest - oldest).days
    codes = list(PAYER_SHARES_PERCENT)
    counts = {code: count * PAYER_SHARES_PERCENT[code] // 100 for code in codes}
    counts[codes[0]] += count - sum(counts.values())
    certificates: list[dict[str, Any]] = []
    balances: list[dict[str, Any]] = []
    for code in codes:
        for serial in rng.sample(range(1_000_000), counts[code]):
            certificate_id = _uuid(rng)
            male = rng.random() < 0.5
            surname = rng.choice(SURNAMES)
            father = rng.choice(FATHERS)
            financing = rng.randrange(100) < FINANCING_SHARE_PERCENT
            nominal = rng.randrange(20, 61) * 50_000 if financing else 0
            certificates.append(
                {
                    "id": certificate_id,
                    "number": f"{REGION_CODE}{code}{serial:06d}",
                    "surname": surname if male else female_surname(surname),
                    "first_name": rng.choice(MALE_NAMES if male else FEMALE_NAMES),
                    "patronymic": father[0] if male else father[1],
                    "birth_date": oldest + timedelta(days=rng.randint(0, span)),
                    "kind": "financing" if financing else "accounting",
                    "payer_id": payers[code].id,
                    "frozen": rng.randrange(1000) < FROZEN_PER_THOUSAND,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            balances.extend(
                {
                    "id": _uuid(rng),
                    "certificate_id": certificate_id,
                    "period_id": period.id,
                    "nominal": nominal,
                    "balance": nominal,
                    "reserve": 0,
                }
                for period in periods
            )
    session.execute(insert(Certificate), certificates)
    session.execute(insert(CertificateBalance), balances)
    for certificate in certificates:
        record_change(
            session,
            now=now,
            entity=ChangeEntity.CERTIFICATE,
            entity_id=certificate["id"],
            payer_id=certificate["payer_id"],
        )
    return len(certificates)
