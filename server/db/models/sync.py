"""The change log pulled by workstations, stored answers to pushed operations, the audit log."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db.models.base import Base, BigSerial


class ChangeLogEntry(Base):
    """A record changed: pull returns entries after a cursor, with the record's current state.

    ``organization_id`` scopes the organization's own records; ``payer_id`` scopes certificates, which every
    organization with an agreement with that payer mirrors.
    """

    __tablename__ = "change_log"
    __table_args__ = (
        Index("ix_change_log_organization_seq", "organization_id", "seq"),
        Index("ix_change_log_payer_seq", "payer_id", "seq"),
        Index("ix_change_log_entity", "entity", "entity_id"),
    )

    seq: Mapped[int] = mapped_column(BigSerial, primary_key=True, autoincrement=True)
    organization_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organizations.id"))
    payer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("payers.id"))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    deleted: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]


class ProcessedOperation(Base):
    """The stored answer to a pushed operation: a replay gets these bytes back and changes nothing."""

    __tablename__ = "processed_operations"

    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), primary_key=True)
    op_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    op_type: Mapped[str] = mapped_column(String(64))
    body_hash: Mapped[str] = mapped_column(String(64))
    result_json: Mapped[str]
    created_at: Mapped[datetime]


class ServerState(Base):
    """Small named values of the server itself, e.g. the oldest change-log position still retained."""

    __tablename__ = "server_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str]


class AuditEntry(Base):
    """Who did what, written in the same transaction as the change. Triggers refuse UPDATE and DELETE."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigSerial, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    organization_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    details_json: Mapped[str] = mapped_column(default="{}")
