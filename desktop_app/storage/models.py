"""ORM tables of the local database. These classes never leave the storage package.

Money columns hold integer kopecks. Identifiers of things made on the workstation are UUIDs made here.
Timestamps are stored as UTC and come back time-zone aware.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UTCDateTime(TypeDecorator[datetime]):
    """A time-zone-aware UTC timestamp; SQLite keeps no zone, so it is stripped and restored here."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a naive datetime cannot be stored: timestamps must carry a time zone")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), str: Text()}  # noqa: RUF012


class OrganizationRow(Base):
    """The one organization this workstation works for."""

    __tablename__ = "organization_profile"
    __table_args__ = (CheckConstraint("id = 1", name="singleton"),)

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    full_name: Mapped[str] = mapped_column(default="")
    short_name: Mapped[str] = mapped_column(default="")
    inn: Mapped[str] = mapped_column(String(12), default="")
    kpp: Mapped[str] = mapped_column(String(9), default="")
    ogrn: Mapped[str] = mapped_column(String(15), default="")
    license_number: Mapped[str] = mapped_column(default="")
    license_date: Mapped[date | None]
    license_issuer: Mapped[str] = mapped_column(default="")
    legal_address: Mapped[str] = mapped_column(default="")
    actual_address: Mapped[str] = mapped_column(default="")
    bank_name: Mapped[str] = mapped_column(default="")
    bik: Mapped[str] = mapped_column(String(9), default="")
    settlement_account: Mapped[str] = mapped_column(String(20), default="")
    correspondent_account: Mapped[str] = mapped_column(String(20), default="")
    signatory_name: Mapped[str] = mapped_column(default="")
    signatory_position: Mapped[str] = mapped_column(default="")
    signatory_basis: Mapped[str] = mapped_column(default="")
    updated_at: Mapped[datetime]


class PaymentAgreementRow(Base):
    """An agreement of the organization with a payer: server-owned, replaced whole with every pull."""

    __tablename__ = "payment_agreements"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    payer_code: Mapped[str] = mapped_column(String(2))
    payer_name: Mapped[str]
    number: Mapped[str]
    signed_on: Mapped[date]
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    active: Mapped[bool]


class ProgramRow(Base):
    __tablename__ = "programs"
    __table_args__ = (
        CheckConstraint("age_from_months < age_to_months", name="age_range"),
        CheckConstraint("duration_months >= 0", name="duration"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    full_name: Mapped[str]
    short_name: Mapped[str]
    direction: Mapped[str | None] = mapped_column(String(32))
    kind: Mapped[str | None] = mapped_column(String(32))
    form: Mapped[str | None] = mapped_column(String(32))
    level: Mapped[str | None] = mapped_column(String(32))
    distance_technologies: Mapped[bool]
    age_from_months: Mapped[int]
    age_to_months: Mapped[int]
    duration_months: Mapped[int]
    annotation: Mapped[str]
    goals: Mapped[str]
    expected_results: Mapped[str]
    medical_certificate_required: Mapped[bool]
    accessible_for_disabled: Mapped[bool]
    final_document: Mapped[str]
    addresses_json: Mapped[str] = mapped_column(default="[]")
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    modules: Mapped[list[ModuleRow]] = relationship(
        back_populates="program", cascade="all, delete-orphan", order_by="ModuleRow.position"
    )
    decisions: Mapped[list[ProgramDecisionRow]] = relationship(
        cascade="all, delete-orphan", order_by="(ProgramDecisionRow.decided_at.desc(), ProgramDecisionRow.id)"
    )


class ProgramDecisionRow(Base):
    """A step of the program's certification history, as the server reported it."""

    __tablename__ = "program_decisions"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    program_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(String(16))
    remark: Mapped[str]
    author: Mapped[str]
    decided_at: Mapped[datetime]


class ModuleRow(Base):
    __tablename__ = "modules"
    __table_args__ = (
        CheckConstraint("price >= 0", name="price_not_negative"),
        CheckConstraint("normative IS NULL OR normative >= 0", name="normative_not_negative"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    program_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    name: Mapped[str]
    months: Mapped[int]
    hours: Mapped[int]
    min_group_size: Mapped[int]
    max_group_size: Mapped[int]
    teacher_qualification: Mapped[str]
    price: Mapped[int] = mapped_column(BigInteger)
    normative: Mapped[int | None] = mapped_column(BigInteger)
    archived: Mapped[bool] = mapped_column(default=False, server_default="0")

    program: Mapped[ProgramRow] = relationship(back_populates="modules")
    groups: Mapped[list[GroupRow]] = relationship(
        back_populates="module", cascade="all, delete-orphan", order_by="GroupRow.position"
    )


class GroupRow(Base):
    __tablename__ = "study_groups"
    __table_args__ = (CheckConstraint("capacity >= 0", name="capacity_not_negative"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    module_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    name: Mapped[str]
    teacher: Mapped[str]
    start_date: Mapped[date]
    end_date: Mapped[date]
    capacity: Mapped[int]
    taken: Mapped[int] = mapped_column(default=0, server_default="0")
    """Places held by open contracts on the server, as of the last sync."""
    archived: Mapped[bool] = mapped_column(default=False, server_default="0")

    module: Mapped[ModuleRow] = relationship(back_populates="groups")
    schedule: Mapped[list[ScheduleEntryRow]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="ScheduleEntryRow.position"
    )


class ScheduleEntryRow(Base):
    __tablename__ = "schedule_entries"
    __table_args__ = (CheckConstraint("weekday BETWEEN 1 AND 7", name="weekday"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("study_groups.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    weekday: Mapped[int]
    starts_at: Mapped[time]
    ends_at: Mapped[time]
    room: Mapped[str]
    address: Mapped[str]
    archived: Mapped[bool] = mapped_column(default=False, server_default="0")

    group: Mapped[GroupRow] = relationship(back_populates="schedule")


class TeacherRow(Base):
    """A teacher (педагог) of the organization's reference list."""

    __tablename__ = "teachers"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    full_name: Mapped[str]
    category: Mapped[str] = mapped_column(String(100))
    archived: Mapped[bool] = mapped_column(default=False)


class AddressRow(Base):
    """A place where the organization's lessons take place (адрес проведения занятий)."""

    __tablename__ = "addresses"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    text: Mapped[str]
    note: Mapped[str] = mapped_column(default="")
    archived: Mapped[bool] = mapped_column(default=False)


class CertificateRow(Base):
    """The offline mirror of the payers' certificates: a keyed hash instead of names."""

    __tablename__ = "certificate_mirror"

    lookup_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    birth_date: Mapped[date]
    frozen: Mapped[bool]
    balance_current: Mapped[int] = mapped_column(BigInteger)
    balance_next: Mapped[int] = mapped_column(BigInteger)
    payer_code: Mapped[str] = mapped_column(String(16))


class PeriodRow(Base):
    """A financing period of certificates, as the server publishes it (reference data)."""

    __tablename__ = "periods"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]


class ContractRow(Base):
    __tablename__ = "contracts"
    __table_args__ = (
        CheckConstraint("price >= 0 AND from_certificate >= 0 AND co_payment >= 0", name="amounts_not_negative"),
        CheckConstraint("price = from_certificate + co_payment", name="split_sums_to_price"),
        CheckConstraint("start_date <= end_date", name="dates"),
        Index("ix_contracts_certificate_module", "certificate_number", "module_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    provisional_number: Mapped[str] = mapped_column(String(32), unique=True)
    number: Mapped[str | None] = mapped_column(String(32), unique=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    certificate_number: Mapped[str] = mapped_column(String(10))
    child_full_name: Mapped[str]
    child_surname: Mapped[str] = mapped_column(default="", server_default="")
    child_birth_date: Mapped[date]
    child_address: Mapped[str] = mapped_column(default="", server_default="")
    parent_full_name: Mapped[str]
    parent_phone: Mapped[str] = mapped_column(default="", server_default="")
    parent_email: Mapped[str] = mapped_column(default="", server_default="")
    parent_address: Mapped[str] = mapped_column(default="", server_default="")
    parent_document: Mapped[str] = mapped_column(default="", server_default="")
    source: Mapped[str] = mapped_column(String(8), default="desk", server_default="desk")
    program_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programs.id"))
    module_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("modules.id"))
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("study_groups.id"), index=True)
    start_date: Mapped[date]
    end_date: Mapped[date]
    price: Mapped[int] = mapped_column(BigInteger)
    normative: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    from_certificate: Mapped[int] = mapped_column(BigInteger)
    co_payment: Mapped[int] = mapped_column(BigInteger)
    signed_on: Mapped[date | None]
    terminates_on: Mapped[date | None]
    reason: Mapped[str] = mapped_column(default="", server_default="")
    """Why it was refused, terminated or rejected by the server (the server's own words)."""
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class OutboxRow(Base):
    """A change waiting to be sent to the server, in the order it was made."""

    __tablename__ = "outbox"
    # AUTOINCREMENT: a sequence number is never reused, even after the outbox has been emptied.
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    op_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    op_type: Mapped[str] = mapped_column(String(64))
    op_version: Mapped[int]
    entity_id: Mapped[uuid.UUID] = mapped_column(index=True)
    refs_json: Mapped[str] = mapped_column(default="[]", server_default="[]")
    """Ids of the records the operation needs to exist (its parents): if one is refused, so is this."""
    summary: Mapped[str] = mapped_column(default="", server_default="")
    """What the change is, in the clerk's words («Программа „Шахматы“: изменения»)."""
    payload_json: Mapped[str]
    created_at: Mapped[datetime]


class SyncResultRow(Base):
    """The server's answer to one operation: the history of sync, and the inbox of what needs a look."""

    __tablename__ = "sync_results"
    __table_args__ = (Index("ix_sync_results_inbox", "status", "acknowledged_at"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    op_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    op_type: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[uuid.UUID] = mapped_column(index=True)
    summary: Mapped[str]
    """What the operation was, in the clerk's words («Договор П-1-17: заявка»)."""
    status: Mapped[str] = mapped_column(String(16))
    code: Mapped[str | None] = mapped_column(String(64))
    message: Mapped[str | None]
    figures_json: Mapped[str | None]
    queued_at: Mapped[datetime]
    decided_at: Mapped[datetime]
    acknowledged_at: Mapped[datetime | None]


class SyncStateRow(Base):
    """Where pulling from the server stopped, and when the last sync succeeded."""

    __tablename__ = "sync_state"
    __table_args__ = (CheckConstraint("id = 1", name="singleton"),)

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    cursor: Mapped[int] = mapped_column(BigInteger, default=0)
    last_synced_at: Mapped[datetime | None]
    organization_id: Mapped[uuid.UUID | None]
    """The organization this database belongs to, fixed by the first sign-in."""
    clock_offset_seconds: Mapped[int | None]
    """Server time minus this computer's time at the last sync (only to warn; never used to order)."""
