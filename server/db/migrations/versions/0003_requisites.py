"""Requisites of organizations (КПП, ОГРН, licence, addresses, bank, signatory), printed on contracts.

Every organization gets a change-log entry, so workstations already in use receive their organization's
record (requisites and payment agreements) with their next pull.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_TEXT_COLUMNS = (
    ("kpp", sa.String(length=9)),
    ("ogrn", sa.String(length=15)),
    ("license_number", sa.Text()),
    ("license_issuer", sa.Text()),
    ("legal_address", sa.Text()),
    ("actual_address", sa.Text()),
    ("bank_name", sa.Text()),
    ("bik", sa.String(length=9)),
    ("settlement_account", sa.String(length=20)),
    ("correspondent_account", sa.String(length=20)),
    ("signatory_name", sa.Text()),
    ("signatory_position", sa.Text()),
    ("signatory_basis", sa.Text()),
)


def upgrade() -> None:
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        for name, column_type in _TEXT_COLUMNS:
            batch_op.add_column(sa.Column(name, column_type, nullable=False, server_default=""))
        batch_op.add_column(sa.Column("license_date", sa.Date(), nullable=True))
    organizations = sa.table("organizations", sa.column("id", sa.Uuid()))
    change_log = sa.table(
        "change_log",
        sa.column("organization_id", sa.Uuid()),
        sa.column("payer_id", sa.Uuid()),
        sa.column("entity", sa.String()),
        sa.column("entity_id", sa.String()),
        sa.column("deleted", sa.Boolean()),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    connection = op.get_bind()
    now = datetime.now(UTC)
    if connection.dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # the server keeps UTC instants naive on SQLite
    for (organization_id,) in connection.execute(sa.select(organizations.c.id)):
        connection.execute(
            change_log.insert().values(
                organization_id=organization_id,
                payer_id=None,
                entity="organization",
                entity_id=str(organization_id),
                deleted=False,
                created_at=now,
            )
        )


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM change_log WHERE entity = 'organization'"))
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.drop_column("license_date")
        for name, _type in reversed(_TEXT_COLUMNS):
            batch_op.drop_column(name)
