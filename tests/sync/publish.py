"""Put every record of a test region into the server's change log, as real operations would have."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from desktop_app.sync.protocol import ChangeEntity
from server.db.engine import ServerDatabase
from server.db.models import Certificate, GroupRow, ModuleRow, Period, ProgramRow, ScheduleEntryRow
from server.services.changes import record_change


def publish_world(database: ServerDatabase, now: datetime) -> None:
    with database.transaction() as session:
        for period in session.scalars(select(Period).order_by(Period.starts_on)):
            record_change(session, now=now, entity=ChangeEntity.PERIOD, entity_id=period.code)
        for model, entity in (
            (ProgramRow, ChangeEntity.PROGRAM),
            (ModuleRow, ChangeEntity.MODULE),
            (GroupRow, ChangeEntity.GROUP),
            (ScheduleEntryRow, ChangeEntity.SCHEDULE_ENTRY),
        ):
            for row in session.scalars(select(model)):
                record_change(session, now=now, entity=entity, entity_id=row.id, organization_id=row.organization_id)
        for certificate in session.scalars(select(Certificate)):
            record_change(
                session,
                now=now,
                entity=ChangeEntity.CERTIFICATE,
                entity_id=certificate.id,
                payer_id=certificate.payer_id,
            )
