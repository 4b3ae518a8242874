"""Tests of the server's migrations on a database in use: 0003 gives existing organizations empty
requisites and a change-log entry each, so their workstations receive the organization's record (with its
payment agreements) with the next pull. Runs on SQLite and, where available, on PostgreSQL.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from desktop_app.sync.protocol import Role
from server.api.app import create_app
from server.auth.passwords import Passwords
from server.clock import FixedClock
from server.config import ServerConfig
from server.db import migrate
from server.db.engine import ServerDatabase, create_server_engine
from server.db.models import Base, ChangeLogEntry, Organization
from server.services import accounts
from tests.server.world import PASSWORD, login

ORGANIZATION_ID = uuid.UUID("00000000-0000-4000-8000-000000000001")
OTHER_ID = uuid.UUID("00000000-0000-4000-8000-000000000002")
PAYER_ID = uuid.UUID("00000000-0000-4000-8000-000000000003")
REQUISITES = (
    "kpp", "ogrn", "license_number", "license_issuer", "legal_address", "actual_address", "bank_name", "bik",
    "settlement_account", "correspondent_account", "signatory_name", "signatory_position", "signatory_basis",
)  # fmt: skip


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    created = create_server_engine(database_url)
    yield created
    created.dispose()


def _insert(connection: sa.Connection, table: str, rows: list[dict[str, Any]], **types: Any) -> None:
    """Insert rows into a table described only by the columns given here (as revision 0002 had it)."""
    connection.execute(sa.insert(sa.table(table, *(sa.column(name, type_) for name, type_ in types.items()))), rows)


def _stamp(connection: sa.Connection) -> datetime:
    now = datetime(2026, 9, 1, 5, 0, tzinfo=UTC)
    return now.replace(tzinfo=None) if connection.dialect.name == "sqlite" else now


def _seed_at_0002(engine: Engine) -> None:
    """Two organizations, a payer, an agreement and a period's change-log entry, stored by revision 0002."""
    with engine.begin() as connection:
        stamp = _stamp(connection)
        organizations = [
            {"id": organization_id, "name": name, "short_name": name, "inn": inn}
            for organization_id, name, inn in (
                (ORGANIZATION_ID, "ДДТ № 2", "4205012340"),
                (OTHER_ID, "Спортшкола", "4205012357"),
            )
        ]
        _insert(
            connection,
            "organizations",
            [row | {"mirror_key": "0" * 64, "contract_counter": 3, "created_at": stamp} for row in organizations],
            id=sa.Uuid(),
            name=sa.Text(),
            short_name=sa.Text(),
            inn=sa.Text(),
            mirror_key=sa.Text(),
            contract_counter=sa.Integer(),
            created_at=sa.DateTime(timezone=True),
        )
        _insert(
            connection, "payers", [{"id": PAYER_ID, "code": "12", "name": "Управление образования Кемерово"}],
            id=sa.Uuid(), code=sa.Text(), name=sa.Text(),
        )  # fmt: skip
        _insert(
            connection,
            "agreements",
            [
                {
                    "id": uuid.uuid4(),
                    "organization_id": ORGANIZATION_ID,
                    "payer_id": PAYER_ID,
                    "number": "12/1",
                    "signed_on": date(2026, 1, 10),
                    "starts_on": date(2026, 1, 10),
                    "ends_on": date(2027, 8, 31),
                    "status": "active",
                }
            ],
            id=sa.Uuid(),
            organization_id=sa.Uuid(),
            payer_id=sa.Uuid(),
            number=sa.Text(),
            signed_on=sa.Date(),
            starts_on=sa.Date(),
            ends_on=sa.Date(),
            status=sa.Text(),
        )
        _insert(
            connection,
            "change_log",
            [{"entity": "period", "entity_id": "2026/27", "deleted": False, "created_at": stamp}],
            entity=sa.Text(),
            entity_id=sa.Text(),
            deleted=sa.Boolean(),
            created_at=sa.DateTime(timezone=True),
        )


def test_existing_organizations_get_empty_requisites_and_a_change_log_entry(engine: Engine) -> None:
    migrate.upgrade(engine, "0002")
    _seed_at_0002(engine)
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision() == "0003"

    database = ServerDatabase(engine)
    with database.transaction() as session:
        entries = list(session.scalars(select(ChangeLogEntry).order_by(ChangeLogEntry.seq)))
        assert (entries[0].entity, len(entries)) == ("period", 3), "the new entries come after the old ones"
        assert {(entry.entity, entry.entity_id, entry.organization_id, entry.payer_id) for entry in entries[1:]} == {
            ("organization", str(organization_id), organization_id, None)
            for organization_id in (ORGANIZATION_ID, OTHER_ID)
        }
        assert not any(entry.deleted for entry in entries)
        organization = session.get(Organization, ORGANIZATION_ID)
        assert organization is not None
        assert {name: getattr(organization, name) for name in REQUISITES} == dict.fromkeys(REQUISITES, "")
        assert (organization.name, organization.inn, organization.license_date, organization.contract_counter) == (
            "ДДТ № 2",
            "4205012340",
            None,
            3,
        )
        # The upgraded table takes new organizations as the models make them.
        accounts.create_organization(session, name="Новая", short_name="Н", inn="4205012364", now=datetime.now(UTC))


def test_a_workstation_of_an_upgraded_server_pulls_its_organization(engine: Engine, config: ServerConfig) -> None:
    migrate.upgrade(engine, "0002")
    _seed_at_0002(engine)
    migrate.upgrade(engine)
    database = ServerDatabase(engine)
    clock = FixedClock(config.timezone, datetime(2026, 9, 10, 3, 30, tzinfo=UTC))
    with database.transaction() as session:
        accounts.create_user(
            session,
            Passwords(fast=True),
            username="clerk",
            full_name="Сотрудник",
            password=PASSWORD,
            role=Role.CLERK,
            organization_id=ORGANIZATION_ID,
            now=clock.now(),
        )
    with TestClient(create_app(config, database, clock)) as client:
        headers = login(client, "clerk")
        response = client.get("/api/v1/sync/pull", headers=headers, params={"cursor": 0, "limit": 100})
        assert response.status_code == 200, response.text
        changes = [change for change in response.json()["changes"] if change["entity"] == "organization"]
    assert [(change["id"], change["deleted"]) for change in changes] == [(str(ORGANIZATION_ID), False)]
    data = changes[0]["data"]
    assert (data["full_name"], data["inn"], data["kpp"], data["license_date"]) == ("ДДТ № 2", "4205012340", "", None)
    assert data["agreements"] == [
        {
            "payer_code": "12",
            "payer_name": "Управление образования Кемерово",
            "number": "12/1",
            "signed_on": "2026-01-10",
            "starts_on": "2026-01-10",
            "ends_on": "2027-08-31",
            "status": "active",
        }
    ]


def test_the_organizations_table_matches_the_models_after_the_upgrade(engine: Engine) -> None:
    migrate.upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = list(compare_metadata(context, Base.metadata))
    assert [difference for difference in differences if "organizations" in repr(difference)] == []
