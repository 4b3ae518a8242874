"""The sync engine: push the outbox, then pull the server's changes. Plain blocking code, cancellable.

Push sends the outbox in batches, in order; a batch ends before an operation that needs a record created
earlier in the same batch. Each result is recorded in its own local transaction: the operation leaves the
outbox, its answer joins the history, the server's view of the record is written, and a refusal lands in
the inbox. A refused operation that created a record takes the queued operations that need that record with
it, unsent (they could only be refused too); a refusal of a change to a record the server has carries the
server's view of that record, which puts it back as the server has it. Pull applies each page
and its cursor in one transaction, so an interrupted sync resumes where it stopped. ``must_refetch`` drops
only the server-owned mirror; the outbox and drafts stay.

Failures worth retrying (no connection, 5xx, 429) propagate as ``ServerUnavailable``; the scheduler
decides when to try again. Nothing here sleeps.
"""

from __future__ import annotations

import dataclasses
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from desktop_app.progress import TaskControl
from desktop_app.storage.database import Database, UnitOfWork
from desktop_app.sync.apply import apply_page, apply_record, result_entity
from desktop_app.sync.protocol import (
    Operation,
    OperationResult,
    OperationStatus,
    PullResponse,
    PushResponse,
    Role,
)
from desktop_app.sync.records import OutboxOperation
from desktop_app.sync.tokens import TokenSource

log = logging.getLogger(__name__)

PUSH_BATCH = 100
PULL_PAGE = 1000  # the most a server gives (protocol.MAX_PULL_PAGE): half the round trips of a first sync
CREATING = (".create", "contract.request")


@dataclass
class SyncReport:
    pushed: int = 0
    rejected: int = 0
    pulled: int = 0
    cursor: int = 0
    server_time: datetime | None = None


def _utc_now() -> datetime:
    return datetime.now(UTC)


class SyncEngine:
    def __init__(
        self,
        database: Database,
        tokens: TokenSource,
        *,
        push_batch: int = PUSH_BATCH,
        pull_page: int = PULL_PAGE,
        now: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._database = database
        self._tokens = tokens
        self._push_batch = push_batch
        self._pull_page = pull_page
        self._now = now

    def sync(self, control: TaskControl) -> SyncReport:
        """Push, then pull (so a round shows the results of its own pushes). Records the time of success."""
        report = SyncReport()
        self.push(control, report)
        self.pull(control, report)
        with self._database.write() as work:
            state = work.sync_state.get()
            offset = None
            if report.server_time is not None:
                offset = round((report.server_time - self._now()).total_seconds())
            work.sync_state.save(dataclasses.replace(state, last_synced_at=self._now(), clock_offset_seconds=offset))
        return report

    # ------------------------------------------------------------ push

    def push(self, control: TaskControl, report: SyncReport) -> None:
        held = self._held()
        with self._database.read() as work:
            total = work.outbox.count(held=held)
        while True:
            control.check()
            with self._database.read() as work:
                pending = work.outbox.pending(limit=self._push_batch, held=held)
                batch = _up_to_first_dependent(pending)
            if not batch:
                return
            response = self._send([_wire(operation) for operation in batch])
            report.server_time = response.server_time
            answered = {result.op_id: result for result in response.results}
            for operation in batch:
                result = answered.get(operation.op_id)
                if result is None:
                    raise RuntimeError(f"the server gave no answer for operation {operation.op_id}")
                with self._database.write() as work:
                    if self._record_result(work, operation, result, response.server_time):
                        report.rejected += 1
                report.pushed += 1
            control.report(report.pushed, max(total, report.pushed), "Отправка изменений")

    def _held(self) -> frozenset[str]:
        """Operations the signed-in user may not send wait for an admin's sync (the server would refuse them:
        an admin saved the requisites offline, then a clerk signed in on the same workstation)."""
        return frozenset() if self._tokens.role == Role.ORG_ADMIN.value else ADMIN_OPERATIONS

    def _send(self, operations: list[Operation]) -> PushResponse:
        return self._tokens.authorized(lambda token: self._tokens.client().push(token, operations))

    def _record_result(
        self, work: UnitOfWork, operation: OutboxOperation, result: OperationResult, decided_at: datetime
    ) -> bool:
        """Record one answer; return whether it was a refusal."""
        if not work.outbox.pending_by_id(operation.op_id):
            return False  # answered already, by an earlier round that died before this point was reached
        work.outbox.remove([operation.op_id])
        work.sync_results.record(
            operation,
            status=result.status.value,
            code=result.code,
            message=result.message,
            figures=result.figures,
            decided_at=decided_at,
        )
        if result.status is OperationStatus.REJECTED:
            self._refused(work, operation, result, decided_at)
            return True
        entity = result_entity(operation.op_type)
        if result.record is not None and entity is not None:
            apply_record(work, entity, result.record, self._now(), work.outbox.pending_entity_ids())
        return False

    def _refused(
        self, work: UnitOfWork, operation: OutboxOperation, result: OperationResult, decided_at: datetime
    ) -> None:
        reason = result.message or "Отклонено сервером."
        if operation.op_type == "contract.request":
            work.synced.mark_contract_rejected(operation.entity_id, reason, self._now())
        if not operation.op_type.endswith(CREATING):
            # The record is on the server, and here it already shows the refused change: the refusal carries
            # the server's view of the record, which puts it back as the server has it.
            entity = result_entity(operation.op_type)
            if result.record is not None and entity is not None:
                apply_record(work, entity, result.record, self._now(), work.outbox.pending_entity_ids())
            return
        for dependent in work.outbox.depending_on({operation.entity_id}):
            work.outbox.remove([dependent.op_id])
            work.sync_results.record(
                dependent,
                status=OperationStatus.REJECTED.value,
                code="depends_on_rejected",
                message=f"Не отправлено: сервер отклонил «{operation.summary}». {reason}",
                figures=None,
                decided_at=decided_at,
            )

    # ------------------------------------------------------------ pull

    def _fetch(self, cursor: int) -> PullResponse:
        return self._tokens.authorized(lambda token: self._tokens.client().pull(token, cursor, self._pull_page))

    def pull(self, control: TaskControl, report: SyncReport) -> None:
        while True:
            control.check()
            with self._database.read() as work:
                cursor = work.sync_state.get().cursor
            page = self._fetch(cursor)
            report.server_time = page.server_time
            with self._database.write() as work:
                state = work.sync_state.get()
                if page.must_refetch:
                    log.info("the server asked to refetch: dropping the mirror, pulling from the start")
                    work.certificates.remove_all()
                    work.sync_state.save(dataclasses.replace(state, cursor=0))
                    continue
                apply_page(work, list(page.changes), self._now())
                work.sync_state.save(dataclasses.replace(state, cursor=page.cursor))
            report.pulled += len(page.changes)
            report.cursor = page.cursor
            remaining = page.remaining if page.remaining is not None else 0
            control.report(report.pulled, report.pulled + remaining, "Получение изменений с сервера")
            if not page.has_more:
                return


ADMIN_OPERATIONS = frozenset({"organization.requisites"})
"""Operation types only the organization's admin may send."""


def _up_to_first_dependent(batch: list[OutboxOperation]) -> list[OutboxOperation]:
    """The batch, cut before the first operation that needs a record created earlier in it.

    That operation waits for the next batch: if its parent is refused, it is refused here without being sent
    (were it sent along, the server would answer it too, and the two answers would differ).
    """
    created: set[uuid.UUID] = set()
    for index, operation in enumerate(batch):
        if operation.entity_id in created or created.intersection(operation.refs):
            return batch[:index]
        if operation.op_type.endswith(CREATING):
            created.add(operation.entity_id)
    return batch


def _wire(operation: OutboxOperation) -> Operation:
    return Operation(
        op_id=operation.op_id, type=operation.op_type, version=operation.op_version, payload=operation.payload
    )
