"""Programs of organizations with modules, groups and schedules, the operator's decisions on them, and the
organizations' reference lists of teachers and addresses.

Identifiers are the UUIDs the workstations made. Every row carries its organization, so isolation is one
``WHERE organization_id = ...`` away on every table.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db.models.base import Base


class ProgramRow(Base):
    __tablename__ = "programs"
    __table_args__ = (CheckConstraint("status IN ('draft', 'submitted', 'certified', 'refused')", name="status"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
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
    addresses_json: Mapped[str]
    status: Mapped[str] = mapped_column(String(16), index=True)
    archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ModuleRow(Base):
    __tablename__ = "modules"
    __table_args__ = (
        CheckConstraint("price >= 0", name="price_not_negative"),
        CheckConstraint("normative IS NULL OR normative >= 0", name="normative_not_negative"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    program_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programs.id"), index=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    position: Mapped[int]
    name: Mapped[str]
    months: Mapped[int]
    hours: Mapped[int]
    min_group_size: Mapped[int]
    max_group_size: Mapped[int]
    teacher_qualification: Mapped[str]
    price: Mapped[int] = mapped_column(BigInteger)
    normative: Mapped[int | None] = mapped_column(BigInteger)
    archived: Mapped[bool] = mapped_column(default=False)


class GroupRow(Base):
    __tablename__ = "study_groups"
    __table_args__ = (
        CheckConstraint("taken >= 0 AND taken <= capacity", name="places"),
        CheckConstraint("start_date <= end_date", name="dates"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    module_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("modules.id"), index=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    name: Mapped[str]
    teacher: Mapped[str]
    start_date: Mapped[date]
    end_date: Mapped[date]
    capacity: Mapped[int]
    taken: Mapped[int] = mapped_column(default=0)
    """Places held by open contracts; the database refuses more than the capacity."""
    archived: Mapped[bool] = mapped_column(default=False)


class ScheduleEntryRow(Base):
    __tablename__ = "schedule_entries"
    __table_args__ = (CheckConstraint("weekday BETWEEN 1 AND 7", name="weekday"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("study_groups.id"), index=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    weekday: Mapped[int]
    starts_at: Mapped[time]
    ends_at: Mapped[time]
    room: Mapped[str]
    address: Mapped[str]
    archived: Mapped[bool] = mapped_column(default=False)


class TeacherRow(Base):
    """A teacher (педагог) of the organization's reference list."""

    __tablename__ = "teachers"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    full_name: Mapped[str]
    category: Mapped[str] = mapped_column(String(100))
    """Qualification category, free text («высшая», «первая», «без категории»)."""
    archived: Mapped[bool] = mapped_column(default=False)


class AddressRow(Base):
    """A place where the organization's lessons take place (адрес проведения занятий)."""

    __tablename__ = "addresses"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    text: Mapped[str]
    note: Mapped[str]
    archived: Mapped[bool] = mapped_column(default=False)


class CertificationDecision(Base):
    """One step of a program's certification history: submitted, certified or refused with a remark."""

    __tablename__ = "certification_decisions"
    __table_args__ = (CheckConstraint("decision IN ('submitted', 'certified', 'refused')", name="decision"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    program_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programs.id"), index=True)
    decision: Mapped[str] = mapped_column(String(16))
    remark: Mapped[str] = mapped_column(default="")
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    author_name: Mapped[str]
    decided_at: Mapped[datetime]
