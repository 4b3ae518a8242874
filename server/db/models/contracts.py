"""Contracts, their status history, and the ledger of certificate money they hold."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from server.db.models.base import Base, BigSerial

OPEN_STATUSES = ("requested", "confirmed", "active", "terminating")
"""Contracts that hold a place and money; a child may have one of them per module."""
OPEN_STATUSES_SQL = "status IN ({})".format(", ".join(f"'{status}'" for status in OPEN_STATUSES))


class ContractRow(Base):
    __tablename__ = "contracts"
    __table_args__ = (
        UniqueConstraint("organization_id", "number", name="uq_contracts_organization_number"),
        CheckConstraint(
            "status IN ('requested', 'confirmed', 'active', 'terminating', 'closed', 'refused')", name="status"
        ),
        CheckConstraint("source IN ('desk', 'portal')", name="source"),
        CheckConstraint("price >= 0 AND normative >= 0 AND from_certificate >= 0 AND co_payment >= 0", name="amounts"),
        CheckConstraint("price = from_certificate + co_payment", name="split_sums_to_price"),
        CheckConstraint("start_date <= end_date", name="dates"),
        # A child may hold one open contract per module; the database refuses a second.
        Index(
            "uq_contracts_open_per_module",
            "certificate_id",
            "module_id",
            unique=True,
            sqlite_where=text(OPEN_STATUSES_SQL),
            postgresql_where=text(OPEN_STATUSES_SQL),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    number: Mapped[str] = mapped_column(String(32))
    provisional_number: Mapped[str | None] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), index=True)
    certificate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("certificates.id"), index=True)
    program_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programs.id"))
    module_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("modules.id"))
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("study_groups.id"), index=True)
    period_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("periods.id"))
    start_date: Mapped[date]
    end_date: Mapped[date]
    price: Mapped[int] = mapped_column(BigInteger)
    normative: Mapped[int] = mapped_column(BigInteger)
    from_certificate: Mapped[int] = mapped_column(BigInteger)
    co_payment: Mapped[int] = mapped_column(BigInteger)
    child_full_name: Mapped[str]
    child_address: Mapped[str] = mapped_column(default="")
    parent_full_name: Mapped[str] = mapped_column(default="")
    parent_phone: Mapped[str] = mapped_column(default="")
    parent_email: Mapped[str] = mapped_column(default="")
    parent_address: Mapped[str] = mapped_column(default="")
    parent_document: Mapped[str] = mapped_column(default="")
    requested_at: Mapped[datetime]
    signed_on: Mapped[date | None]
    terminates_on: Mapped[date | None]
    reason: Mapped[str | None]
    updated_at: Mapped[datetime]


class ContractStatusChange(Base):
    __tablename__ = "contract_status_history"

    id: Mapped[int] = mapped_column(BigSerial, primary_key=True, autoincrement=True)
    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contracts.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    changed_at: Mapped[datetime]
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(default="")


class LedgerEntry(Base):
    """A movement of certificate money. One reservation and one release per contract, no more."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        UniqueConstraint("contract_id", "kind", name="uq_ledger_entries_contract_kind"),
        CheckConstraint("kind IN ('reserve', 'release')", name="kind"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(BigSerial, primary_key=True, autoincrement=True)
    balance_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("certificate_balances.id"), index=True)
    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contracts.id"))
    kind: Mapped[str] = mapped_column(String(8))
    amount: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime]
