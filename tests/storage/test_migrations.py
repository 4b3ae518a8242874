"""Tests of the schema migrations: new files, repeated opens, upgrades from every revision, failed upgrades."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine

from desktop_app.domain.certificate import CertificateRecord
from desktop_app.domain.contract import Contract, ContractStatus
from desktop_app.domain.organization import OrganizationProfile, PaymentAgreement
from desktop_app.domain.program import Program
from desktop_app.storage import migrate
from desktop_app.storage.database import Database
from desktop_app.storage.engine import create_sqlite_engine
from desktop_app.storage.models import Base
from desktop_app.sync.records import OutboxOperation, SyncState
from tests.storage.builders import (
    MOSCOW,
    NOW,
    make_certificate,
    make_contract,
    make_organization,
    make_program,
    query_rows,
    row_count,
)

# ---------------------------------------------------------------- data an older release left behind


@dataclass(frozen=True)
class SeedData:
    """What an older release had stored before the upgrade, described by the current domain objects."""

    program: Program
    contract: Contract
    certificate: CertificateRecord
    organization: OrganizationProfile
    outbox: OutboxOperation
    sync_state: SyncState
    agreements: tuple[PaymentAgreement, ...] = ()
    """Payment agreements (stored from revision 0003 on)."""


def make_seed_data(contract_status: ContractStatus = ContractStatus.ACTIVE) -> SeedData:
    program = make_program()
    return SeedData(
        program=program,
        contract=make_contract(program, status=contract_status, provisional_number="Л-0001"),
        certificate=make_certificate("a" * 64),
        organization=make_organization(),
        outbox=OutboxOperation(
            seq=1,
            op_id=uuid.uuid4(),
            op_type="contract.create",
            op_version=1,
            entity_id=uuid.uuid4(),
            payload={"ребёнок": "Петров Пётр", "сумма": 123_455, "части": [1, 2]},
            created_at=NOW,
        ),
        sync_state=SyncState(cursor=4_294_967_296, last_synced_at=NOW.astimezone(MOSCOW)),
        agreements=(
            PaymentAgreement("УО Перми", "12/2025", date(2025, 8, 20), "12", date(2025, 9, 1), date(2026, 8, 31)),
            PaymentAgreement(
                "УО Кунгура", "13/1", date(2026, 1, 10), "13", date(2026, 1, 10), date(2027, 12, 31), False
            ),
        ),
    )


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _insert(connection: Connection, table: str, rows: list[dict[str, Any]], **types: sa.types.TypeEngine[Any]) -> None:
    """Insert rows into a table described only by the columns and types given here (not by the models)."""
    connection.execute(sa.insert(sa.table(table, *(sa.column(name, type_) for name, type_ in types.items()))), rows)


def _seed_at_0001(connection: Connection, seed: SeedData) -> None:
    """Rows as revision 0001 stores them. Frozen with that schema: for a later one, add another seeder."""
    text, uid, day, moment, flag, integer = sa.Text(), sa.Uuid(), sa.Date(), sa.DateTime(), sa.Boolean(), sa.Integer()
    clock, program, contract = sa.Time(), seed.program, seed.contract
    stamp = _naive_utc(NOW)
    last_synced_at = seed.sync_state.last_synced_at
    assert last_synced_at is not None

    organization_columns = [
        "full_name", "short_name", "inn", "kpp", "ogrn", "license_number", "license_issuer", "legal_address",
        "actual_address", "bank_name", "bik", "settlement_account", "correspondent_account", "signatory_name",
        "signatory_position", "signatory_basis",
    ]  # fmt: skip
    _insert(
        connection,
        "organization_profile",
        [
            {name: getattr(seed.organization, name) for name in organization_columns}
            | {"id": 1, "license_date": seed.organization.license_date, "updated_at": stamp}
        ],
        id=integer,
        license_date=day,
        updated_at=moment,
        **dict.fromkeys(organization_columns, text),
    )
    _insert(
        connection,
        "programs",
        [
            {
                "id": program.id,
                "full_name": program.full_name,
                "short_name": program.short_name,
                "direction": program.direction and program.direction.value,
                "kind": program.kind and program.kind.value,
                "form": program.form and program.form.value,
                "level": program.level and program.level.value,
                "distance_technologies": program.distance_technologies,
                "age_from_months": program.age_range.from_months,
                "age_to_months": program.age_range.to_months,
                "duration_months": program.duration_months,
                "annotation": program.annotation,
                "goals": program.goals,
                "expected_results": program.expected_results,
                "medical_certificate_required": program.medical_certificate_required,
                "accessible_for_disabled": program.accessible_for_disabled,
                "final_document": program.final_document,
                "addresses_json": json.dumps(list(program.addresses), ensure_ascii=False),
                "status": program.status.value,
                "created_at": stamp,
                "updated_at": stamp,
            }
        ],
        id=uid,
        distance_technologies=flag,
        medical_certificate_required=flag,
        accessible_for_disabled=flag,
        age_from_months=integer,
        age_to_months=integer,
        duration_months=integer,
        created_at=moment,
        updated_at=moment,
        **dict.fromkeys(
            [
                *("full_name", "short_name", "direction", "kind", "form", "level", "annotation", "goals"),
                *("expected_results", "final_document", "addresses_json", "status"),
            ],
            text,
        ),
    )
    for module_position, module in enumerate(program.modules):
        _insert(
            connection,
            "modules",
            [
                {
                    "id": module.id,
                    "program_id": program.id,
                    "position": module_position,
                    "name": module.name,
                    "months": module.months,
                    "hours": module.hours,
                    "min_group_size": module.min_group_size,
                    "max_group_size": module.max_group_size,
                    "teacher_qualification": module.teacher_qualification,
                    "price": module.price,
                    "normative": module.normative,
                }
            ],
            id=uid,
            program_id=uid,
            name=text,
            teacher_qualification=text,
            **dict.fromkeys(
                ["position", "months", "hours", "min_group_size", "max_group_size", "price", "normative"], integer
            ),
        )
        for group_position, group in enumerate(module.groups):
            _insert(
                connection,
                "study_groups",
                [
                    {
                        "id": group.id,
                        "module_id": module.id,
                        "position": group_position,
                        "name": group.name,
                        "teacher": group.teacher,
                        "start_date": group.start_date,
                        "end_date": group.end_date,
                        "capacity": group.capacity,
                    }
                ],
                id=uid,
                module_id=uid,
                position=integer,
                name=text,
                teacher=text,
                start_date=day,
                end_date=day,
                capacity=integer,
            )
            _insert(
                connection,
                "schedule_entries",
                [
                    {
                        "id": entry.id,
                        "group_id": group.id,
                        "position": entry_position,
                        "weekday": int(entry.weekday),
                        "starts_at": entry.starts_at,
                        "ends_at": entry.ends_at,
                        "room": entry.room,
                        "address": entry.address,
                    }
                    for entry_position, entry in enumerate(group.schedule)
                ],
                id=uid,
                group_id=uid,
                position=integer,
                weekday=integer,
                starts_at=clock,
                ends_at=clock,
                room=text,
                address=text,
            )
    _insert(
        connection,
        "contracts",
        [
            {
                "id": contract.id,
                "provisional_number": contract.provisional_number,
                "number": contract.number,
                "status": contract.status.value,
                "certificate_number": contract.certificate_number,
                "child_full_name": contract.child_full_name,
                "child_birth_date": contract.child_birth_date,
                "parent_full_name": contract.parent_full_name,
                "program_id": contract.program_id,
                "module_id": contract.module_id,
                "group_id": contract.group_id,
                "start_date": contract.start_date,
                "end_date": contract.end_date,
                "price": contract.price,
                "from_certificate": contract.from_certificate,
                "co_payment": contract.co_payment,
                "created_at": stamp,
                "updated_at": stamp,
            }
        ],
        id=uid,
        program_id=uid,
        module_id=uid,
        group_id=uid,
        child_birth_date=day,
        start_date=day,
        end_date=day,
        created_at=moment,
        updated_at=moment,
        **dict.fromkeys(["price", "from_certificate", "co_payment"], integer),
        **dict.fromkeys(
            ["provisional_number", "number", "status", "certificate_number", "child_full_name", "parent_full_name"],
            text,
        ),
    )
    certificate = seed.certificate
    _insert(
        connection,
        "certificate_mirror",
        [
            {
                "lookup_key": certificate.lookup_key,
                "kind": certificate.kind.value,
                "birth_date": certificate.birth_date,
                "frozen": certificate.frozen,
                "balance_current": certificate.balance_current,
                "balance_next": certificate.balance_next,
                "payer_code": certificate.payer_code,
            }
        ],
        lookup_key=text,
        kind=text,
        birth_date=day,
        frozen=flag,
        balance_current=integer,
        balance_next=integer,
        payer_code=text,
    )
    operation = seed.outbox
    _insert(
        connection,
        "outbox",
        [
            {
                "seq": operation.seq,
                "op_id": operation.op_id,
                "op_type": operation.op_type,
                "op_version": operation.op_version,
                "entity_id": operation.entity_id,
                "payload_json": json.dumps(operation.payload, ensure_ascii=False),
                "created_at": _naive_utc(operation.created_at),
            }
        ],
        seq=integer,
        op_id=uid,
        op_type=text,
        op_version=integer,
        entity_id=uid,
        payload_json=text,
        created_at=moment,
    )
    _insert(
        connection,
        "sync_state",
        [{"id": 1, "cursor": seed.sync_state.cursor, "last_synced_at": _naive_utc(last_synced_at)}],
        id=integer,
        cursor=integer,
        last_synced_at=moment,
    )


def _seed_at_0003(connection: Connection, seed: SeedData) -> None:
    """Revision 0003 added the organization's payment agreements with payers."""
    _seed_at_0001(connection, seed)
    text, day = sa.Text(), sa.Date()
    _insert(
        connection,
        "payment_agreements",
        [
            {
                "payer_code": agreement.payer_code,
                "payer_name": agreement.payer_name,
                "number": agreement.number,
                "signed_on": agreement.signed_on,
                "starts_on": agreement.starts_on,
                "ends_on": agreement.ends_on,
                "active": agreement.active,
            }
            for agreement in seed.agreements
        ],
        payer_code=text,
        payer_name=text,
        number=text,
        signed_on=day,
        starts_on=day,
        ends_on=day,
        active=sa.Boolean(),
    )


SEEDERS: dict[str, Callable[[Connection, SeedData], None]] = {"0001": _seed_at_0001, "0003": _seed_at_0003}
"""Per revision, how to store the seed data in that revision's schema. A revision without its own seeder
uses the newest earlier one: add a seeder when a migration changes what the old one writes."""


def _seeder_for(revision: str) -> Callable[[Connection, SeedData], None]:
    revisions = migrate.all_revisions()
    for candidate in reversed(revisions[: revisions.index(revision) + 1]):
        if candidate in SEEDERS:
            return SEEDERS[candidate]
    raise AssertionError(f"no seeder for revision {revision} or any earlier one")


def _assert_seed_survived(database: Database, seed: SeedData, seeded_at: str) -> None:
    if _seeder_for(seeded_at) is _seed_at_0001:
        seed = dataclasses.replace(seed, agreements=())  # that release kept no agreements
    seed = dataclasses.replace(
        seed, organization=dataclasses.replace(seed.organization, payment_agreements=seed.agreements)
    )
    with database.read() as work:
        assert work.programs.list_all() == [seed.program]
        assert work.contracts.list_all() == [seed.contract]
        assert work.certificates.find(seed.certificate.lookup_key) == seed.certificate
        assert work.certificates.count() == 1
        assert work.organization.get() == seed.organization
        assert work.outbox.pending() == [seed.outbox]
        assert work.sync_state.get() == seed.sync_state


def _schema_differences(engine: Engine) -> list[Any]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    created = create_sqlite_engine(tmp_path / "migrated.sqlite3")
    yield created
    created.dispose()


# ---------------------------------------------------------------- opening


def test_revisions_are_listed_oldest_first_and_end_at_head() -> None:
    revisions = migrate.all_revisions()
    assert revisions
    assert len(set(revisions)) == len(revisions)
    assert revisions[-1] == migrate.head_revision()
    assert revisions[0] in SEEDERS  # so every revision gets some data in the upgrade tests


def test_open_creates_a_new_file_at_the_head_revision(tmp_path: Path) -> None:
    path = tmp_path / "pfdo.sqlite3"
    assert not path.exists()
    database = Database.open(path)
    database.close()
    engine = create_sqlite_engine(path)
    try:
        assert migrate.current_revision(engine) == migrate.head_revision()
    finally:
        engine.dispose()


def test_empty_database_has_no_revision(engine: Engine) -> None:
    assert migrate.current_revision(engine) is None


def test_opening_twice_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "pfdo.sqlite3"
    seed = make_seed_data()
    database = Database.open(path)
    with database.write() as work:
        work.programs.save(seed.program, NOW)
    database.close()
    before = _dump(path)

    again = Database.open(path)
    try:
        with again.read() as work:
            assert work.programs.list_all() == [seed.program]
    finally:
        again.close()
    assert _dump(path) == before
    assert query_rows(path, "SELECT version_num FROM alembic_version") == [(migrate.head_revision(),)]


# ---------------------------------------------------------------- upgrades from every revision


@pytest.mark.parametrize("start", [None, *migrate.all_revisions()], ids=lambda start: f"from-{start or 'empty'}")
def test_upgrade_from_revision_keeps_data_and_matches_the_models(engine: Engine, start: str | None) -> None:
    seed = make_seed_data()
    if start is not None:
        migrate.upgrade(engine, start)
        assert migrate.current_revision(engine) == start
        with engine.begin() as connection:
            _seeder_for(start)(connection, seed)

    migrate.upgrade(engine)

    assert migrate.current_revision(engine) == migrate.head_revision()
    assert _schema_differences(engine) == []
    engine.dispose()
    database = Database.open(Path(str(engine.url.database)))
    try:
        if start is None:
            with database.read() as work:
                assert work.programs.list_all() == []
        else:
            _assert_seed_survived(database, seed, start)
    finally:
        database.close()


def _constraint_facts(engine: Engine) -> dict[str, Any]:
    """CHECK constraints and foreign keys with their actions, which autogenerate does not compare."""
    inspector = sa.inspect(engine)
    facts: dict[str, Any] = {}
    for table in inspector.get_table_names():
        if table == "alembic_version":
            continue
        checks = {
            (check["name"], " ".join(check["sqltext"].split())) for check in inspector.get_check_constraints(table)
        }
        keys = {
            (
                key["name"],
                tuple(key["constrained_columns"]),
                key["referred_table"],
                tuple(key["referred_columns"]),
                tuple(sorted((key.get("options") or {}).items())),
            )
            for key in inspector.get_foreign_keys(table)
        }
        facts[table] = (checks, keys)
    return facts


def test_migrated_checks_and_foreign_keys_match_the_models(engine: Engine, tmp_path: Path) -> None:
    migrate.upgrade(engine)
    from_models = create_sqlite_engine(tmp_path / "from-models.sqlite3")
    try:
        Base.metadata.create_all(from_models)
        expected = _constraint_facts(from_models)
    finally:
        from_models.dispose()

    actual = _constraint_facts(engine)

    assert actual == expected
    assert any(checks for checks, _ in actual.values())
    assert ("ck_contracts_split_sums_to_price", "price = from_certificate + co_payment") in actual["contracts"][0]


# ---------------------------------------------------------------- migrations added by a later release


@pytest.fixture
def add_revision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], str]:
    """Let a test append a revision to a copy of the migrations; ``migrate`` then uses that copy."""
    directory = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, directory, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", directory)

    def add(upgrade_body: str) -> str:
        parent = migrate.head_revision()
        revision = f"{parent}_test"
        lines = [
            "import sqlalchemy as sa",
            "from alembic import op",
            f"revision = {revision!r}",
            f"down_revision = {parent!r}",
            "branch_labels = None",
            "depends_on = None",
            "def upgrade() -> None:",
            *(f"    {line}" for line in upgrade_body.strip().splitlines()),
            "def downgrade() -> None:",
            "    raise NotImplementedError",
        ]
        (directory / "versions" / f"{revision}.py").write_text("\n".join(lines) + "\n", encoding="utf-8")
        assert migrate.head_revision() == revision
        return revision

    return add


def _dump(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as connection:
        return list(connection.iterdump())


def _seeded_file(path: Path) -> SeedData:
    seed = make_seed_data(ContractStatus.PENDING)
    database = Database.open(path)
    try:
        with database.write() as work:
            work.programs.save(seed.program, NOW)
            work.contracts.save(seed.contract, NOW)
    finally:
        database.close()
    return seed


def test_failing_migration_leaves_the_file_as_it_was(tmp_path: Path, add_revision: Callable[[str], str]) -> None:
    path = tmp_path / "pfdo.sqlite3"
    _seeded_file(path)
    before = _dump(path)
    old_head = migrate.head_revision()
    add_revision(
        """
op.create_table("extra", sa.Column("id", sa.Integer(), primary_key=True))
op.execute("INSERT INTO extra (id) VALUES (1)")
with op.batch_alter_table("programs", recreate="always") as batch:
    batch.add_column(sa.Column("extra", sa.Integer(), nullable=True))
op.execute("DELETE FROM contracts")
op.execute("INSERT INTO organization_profile (id) VALUES (2)")
"""
    )
    engine = create_sqlite_engine(path)
    try:
        with pytest.raises(sa.exc.IntegrityError):
            migrate.upgrade(engine)
        assert migrate.current_revision(engine) == old_head
        with engine.connect() as connection:  # the pooled connection got its foreign keys back
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()
    assert _dump(path) == before


def test_migration_that_breaks_foreign_keys_is_rolled_back(tmp_path: Path, add_revision: Callable[[str], str]) -> None:
    path = tmp_path / "pfdo.sqlite3"
    seed = _seeded_file(path)
    before = _dump(path)
    add_revision(f"op.execute(\"DELETE FROM modules WHERE id = '{seed.program.modules[0].id.hex}'\")")
    engine = create_sqlite_engine(path)
    try:
        with pytest.raises(RuntimeError, match="foreign keys"):
            migrate.upgrade(engine)
    finally:
        engine.dispose()
    assert _dump(path) == before


def test_migration_that_recreates_parent_tables_keeps_their_child_rows(
    tmp_path: Path, add_revision: Callable[[str], str]
) -> None:
    path = tmp_path / "pfdo.sqlite3"
    seed = _seeded_file(path)
    new_head = add_revision(
        """
for table in ("programs", "modules", "study_groups"):
    with op.batch_alter_table(table, recreate="always") as batch:
        batch.add_column(sa.Column("note", sa.Text(), nullable=True))
"""
    )

    database = Database.open(path)
    try:
        with database.read() as work:
            assert work.programs.list_all() == [seed.program]
            assert work.contracts.list_all() == [seed.contract]
    finally:
        database.close()
    assert row_count(path, "schedule_entries") == sum(
        len(group.schedule) for module in seed.program.modules for group in module.groups
    )
    assert query_rows(path, "SELECT version_num FROM alembic_version") == [(new_head,)]
    assert query_rows(path, "PRAGMA foreign_key_check") == []
