"""The offline certificate mirror, looked up by the keyed hash of number and surname."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.engine.interfaces import DBAPICursor
from sqlalchemy.orm import Session

from desktop_app.domain.certificate import CertificateKind, CertificateRecord
from desktop_app.storage.models import CertificateRow, SyncStateRow
from desktop_app.storage.prepared import PreparedSelect

_UPDATABLE = ("kind", "birth_date", "frozen", "balance_current", "balance_next", "payer_code")

_MIRROR = CertificateRow.__table__
_STATE = SyncStateRow.__table__
_LOOK_UP = PreparedSelect(
    select(_STATE.c.last_synced_at, *_MIRROR.c)
    .select_from(_STATE.outerjoin(_MIRROR, _MIRROR.c.lookup_key == bindparam("lookup_key")))
    .where(_STATE.c.id == 1)
)
"""The sync state's one row with the mirror entry of the key, if any: the offline check in one statement."""


@dataclass(frozen=True, slots=True)
class MirrorLookup:
    last_synced_at: datetime | None
    """None: the mirror has never been filled (no sync yet)."""
    record: CertificateRecord | None


def look_up(cursor: DBAPICursor, lookup_key: str) -> MirrorLookup:
    """The mirror entry and when the mirror was last synced, in one statement (the desk's hot path)."""
    rows = _LOOK_UP.rows(cursor, lookup_key=lookup_key)
    if not rows:
        return MirrorLookup(last_synced_at=None, record=None)
    row = rows[0]
    return MirrorLookup(row.last_synced_at, None if row.lookup_key is None else _to_record(row))


class CertificateMirrorRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def find(self, lookup_key: str) -> CertificateRecord | None:
        row = self._session.get(CertificateRow, lookup_key)
        return None if row is None else _to_record(row)

    def upsert_many(self, records: Iterable[CertificateRecord]) -> None:
        """Insert or refresh mirror entries (one page of a pull)."""
        values = [
            {
                "lookup_key": record.lookup_key,
                "kind": record.kind.value,
                "birth_date": record.birth_date,
                "frozen": record.frozen,
                "balance_current": record.balance_current,
                "balance_next": record.balance_next,
                "payer_code": record.payer_code,
            }
            for record in records
        ]
        if not values:
            return
        statement = insert(CertificateRow)
        statement = statement.on_conflict_do_update(
            index_elements=[CertificateRow.lookup_key],
            set_={name: statement.excluded[name] for name in _UPDATABLE},
        )
        self._session.execute(statement, values)

    def remove(self, lookup_keys: Iterable[str]) -> None:
        """Drop entries the server no longer serves (tombstones)."""
        keys = list(lookup_keys)
        if keys:
            self._session.execute(delete(CertificateRow).where(CertificateRow.lookup_key.in_(keys)))

    def remove_all(self) -> None:
        """Forget the whole mirror (the server asked for a refetch)."""
        self._session.execute(delete(CertificateRow))

    def count(self) -> int:
        return self._session.scalar(select(func.count()).select_from(CertificateRow)) or 0


def _to_record(row: Any) -> CertificateRecord:
    """A mirror entry from its ORM row or a Core row of the same columns."""
    return CertificateRecord(
        lookup_key=row.lookup_key,
        kind=CertificateKind(row.kind),
        birth_date=row.birth_date,
        frozen=row.frozen,
        balance_current=row.balance_current,
        balance_next=row.balance_next,
        payer_code=row.payer_code,
    )
