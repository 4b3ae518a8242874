"""Contracts of the organization, as the workstation knows them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, func, select
from sqlalchemy.engine.interfaces import DBAPICursor
from sqlalchemy.orm import Session

from desktop_app.domain.contract import Contract, ContractStatus
from desktop_app.storage.models import ContractRow, GroupRow, ModuleRow, ProgramRow
from desktop_app.storage.prepared import PreparedSelect

_FIELDS = (
    "provisional_number",
    "number",
    "certificate_number",
    "child_full_name",
    "child_birth_date",
    "parent_full_name",
    "program_id",
    "module_id",
    "group_id",
    "start_date",
    "end_date",
    "price",
    "from_certificate",
    "co_payment",
    "normative",
    "child_surname",
    "child_address",
    "parent_phone",
    "parent_email",
    "parent_address",
    "parent_document",
    "source",
    "signed_on",
    "terminates_on",
    "reason",
)

_CONTRACTS = ContractRow.__table__
_OF_CERTIFICATE = (
    select(*(_CONTRACTS.c[name] for name in ("id", "status", *_FIELDS)))
    .where(_CONTRACTS.c.certificate_number == bindparam("certificate_number"))
    .order_by(_CONTRACTS.c.start_date.desc(), _CONTRACTS.c.provisional_number)
)
_OF_CERTIFICATE_PREPARED = PreparedSelect(_OF_CERTIFICATE)


class ContractListing(NamedTuple):
    """A contract with the names of its program, module and group (archived ones too), for lists."""

    contract: Contract
    program_name: str
    module_name: str
    group_name: str
    made_at: datetime
    """When the contract was made here, or first arrived here (an online application)."""


class ContractRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, contract_id: uuid.UUID) -> Contract | None:
        row = self._session.get(ContractRow, contract_id)
        return None if row is None else _contract(row)

    def list_all(self) -> list[Contract]:
        """Every contract, newest first (by when it was made here; for display only)."""
        rows = self._session.scalars(
            select(ContractRow).order_by(ContractRow.created_at.desc(), ContractRow.provisional_number.desc())
        )
        return [_contract(row) for row in rows]

    def listing(
        self,
        *,
        status: ContractStatus | None = None,
        source: str | None = None,
        certificate_number: str | None = None,
    ) -> list[ContractListing]:
        """Contracts (those matching what is given) with the names of where they are, newest first."""
        query = (
            select(ContractRow, ProgramRow.short_name, ProgramRow.full_name, ModuleRow.name, GroupRow.name)
            .outerjoin(ProgramRow, ProgramRow.id == ContractRow.program_id)
            .outerjoin(ModuleRow, ModuleRow.id == ContractRow.module_id)
            .outerjoin(GroupRow, GroupRow.id == ContractRow.group_id)
            .order_by(ContractRow.created_at.desc(), ContractRow.provisional_number.desc())
        )
        if status is not None:
            query = query.where(ContractRow.status == status.value)
        if source is not None:
            query = query.where(ContractRow.source == source)
        if certificate_number is not None:
            query = query.where(ContractRow.certificate_number == certificate_number)
        rows = self._session.execute(query).all()
        return [
            ContractListing(_contract(row), short or full or "—", module or "—", group or "—", row.created_at)
            for row, short, full, module, group in rows
        ]

    def pending_per_group(self) -> dict[uuid.UUID, int]:
        """Places that contracts made here hold before the server has counted them, by group."""
        rows = self._session.execute(
            select(ContractRow.group_id, func.count())
            .where(ContractRow.status == ContractStatus.PENDING.value)
            .group_by(ContractRow.group_id)
        ).all()
        return {group_id: int(count) for group_id, count in rows}

    def of_certificate(self, certificate_number: str) -> list[Contract]:
        """The child's contracts with this organization, newest first (what is flushed in this session)."""
        rows = self._session.connection().execute(_OF_CERTIFICATE, {"certificate_number": certificate_number})
        return [_contract(row) for row in rows]

    def count_with_prefix(self, prefix: str) -> int:
        """How many contracts carry a provisional number starting with the prefix (this workstation's)."""
        return len(
            self._session.scalars(
                select(ContractRow.id).where(ContractRow.provisional_number.startswith(prefix, autoescape=True))
            ).all()
        )

    def open_on_module(self, certificate_number: str, module_id: uuid.UUID) -> list[Contract]:
        """Open contracts of one certificate on one module (a second one is not allowed)."""
        open_statuses = [status.value for status in ContractStatus if status.is_open]
        rows = self._session.scalars(
            select(ContractRow).where(
                ContractRow.certificate_number == certificate_number,
                ContractRow.module_id == module_id,
                ContractRow.status.in_(open_statuses),
            )
        )
        return [_contract(row) for row in rows]

    def save(self, contract: Contract, now: datetime) -> None:
        """Insert a contract or overwrite the stored one."""
        row = self._session.get(ContractRow, contract.id)
        if row is None:
            row = ContractRow(id=contract.id, created_at=now)
            self._session.add(row)
        for name in _FIELDS:
            setattr(row, name, getattr(contract, name))
        row.status = contract.status.value
        row.updated_at = now
        self._session.flush()


def contracts_of_certificate(cursor: DBAPICursor, certificate_number: str) -> list[Contract]:
    """``ContractRepository.of_certificate`` on the driver's cursor (the desk's hot path)."""
    return [_contract(row) for row in _OF_CERTIFICATE_PREPARED.rows(cursor, certificate_number=certificate_number)]


def _contract(row: Any) -> Contract:
    """A contract from its ORM row or a Core row of the same columns."""
    values = {name: getattr(row, name) for name in _FIELDS}
    return Contract(id=row.id, status=ContractStatus(row.status), **values)
