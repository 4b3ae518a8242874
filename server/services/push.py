"""Applying a pushed batch: each operation in its own transaction, its answer stored under its op_id.

A replayed op_id gets the stored answer byte for byte and changes nothing; the same op_id with a different
body is refused. Two pushes of one operation racing each other: the second insert of the answer fails on
the primary key, and the loser returns the winner's stored answer.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError

from desktop_app.sync.payloads import OPERATION_PAYLOADS
from desktop_app.sync.protocol import Operation, OperationResult, OperationStatus
from server.clock import Clock
from server.config import ServerConfig
from server.db.engine import ServerDatabase
from server.db.models import Organization, ProcessedOperation
from server.services import (  # noqa: F401 — they register handlers (requisites_ops is also used)
    contract_lifecycle,
    contract_request,
    program_ops,
    reference_ops,
    requisites_ops,
)
from server.services.operations import HANDLERS, OperationContext, Rejection
from server.services.records import ORGANIZATION_ENTITIES, owned_record

log = logging.getLogger(__name__)

RACE_RETRIES = 3


def body_hash(operation: Operation) -> str:
    canonical = json.dumps(
        {"type": operation.type, "version": operation.version, "payload": operation.payload},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def apply_batch(
    database: ServerDatabase,
    config: ServerConfig,
    clock: Clock,
    organization_id: uuid.UUID,
    user_id: uuid.UUID | None,
    operations: list[Operation],
) -> list[str]:
    """Apply operations in order; return each one's answer as stored JSON text."""
    return [apply_one(database, config, clock, organization_id, user_id, operation) for operation in operations]


def apply_one(
    database: ServerDatabase,
    config: ServerConfig,
    clock: Clock,
    organization_id: uuid.UUID,
    user_id: uuid.UUID | None,
    operation: Operation,
) -> str:
    digest = body_hash(operation)
    for _attempt in range(RACE_RETRIES):
        try:
            with database.transaction() as session:
                stored = session.get(ProcessedOperation, (organization_id, operation.op_id))
                if stored is not None:
                    return stored.result_json if stored.body_hash == digest else _reused(operation)
                organization = session.get(Organization, organization_id)
                assert organization is not None
                context = OperationContext(session, organization, user_id, clock.now(), clock, config)
                result = _run(context, operation)
                session.add(
                    ProcessedOperation(
                        organization_id=organization_id,
                        op_id=operation.op_id,
                        op_type=operation.type,
                        body_hash=digest,
                        result_json=result,
                        created_at=context.now,
                    )
                )
                return result
        except IntegrityError:
            log.info("operation %s raced with a duplicate; reading the stored answer", operation.op_id)
    raise RuntimeError(f"operation {operation.op_id} kept conflicting")


def _run(context: OperationContext, operation: Operation) -> str:
    payload_model = OPERATION_PAYLOADS.get((operation.type, operation.version))
    handler = HANDLERS.by_type.get(operation.type)
    if payload_model is None or handler is None:
        return _rejected(
            operation,
            Rejection(
                "unknown_operation",
                f"Сервер не знает операцию «{operation.type}» версии {operation.version}. "
                "Обновите сервер или программу.",
            ),
        )
    try:
        payload = payload_model.model_validate(operation.payload)
    except ValidationError as error:
        return _rejected(operation, Rejection("invalid_payload", _describe_invalid(error)))
    savepoint = context.session.begin_nested()
    try:
        outcome = handler(context, payload)
        context.session.flush()
    except Rejection as rejection:
        savepoint.rollback()
        return _rejected(operation, rejection, _current(context, operation.type, payload))
    savepoint.commit()
    return OperationResult(
        op_id=operation.op_id, status=outcome.status, message=outcome.message, record=outcome.record
    ).model_dump_json()


def _rejected(operation: Operation, rejection: Rejection, record: dict[str, Any] | None = None) -> str:
    return OperationResult(
        op_id=operation.op_id,
        status=OperationStatus.REJECTED,
        code=rejection.code,
        message=rejection.message,
        figures=rejection.figures,
        record=record,
    ).model_dump_json()


_TARGETS = {"schedule": "schedule_entry"}
_TARGET_FIELDS = ("id", "contract_id", "program_id")


def _current(context: OperationContext, operation_type: str, payload: Any) -> dict[str, Any] | None:
    """The record a refused operation wanted to change, as it stands: the workstation restores it."""
    prefix = operation_type.split(".", 1)[0]
    if prefix == "organization":
        return requisites_ops.organization_record(context.session, context.organization)
    entity = _TARGETS.get(prefix, prefix)
    target = next((getattr(payload, name) for name in _TARGET_FIELDS if hasattr(payload, name)), None)
    if entity not in ORGANIZATION_ENTITIES or target is None:
        return None
    return owned_record(context.session, context.organization.id, entity, target)


def _reused(operation: Operation) -> str:
    return _rejected(
        operation,
        Rejection(
            "op_id_reused",
            "Операция с этим идентификатором уже была принята с другим содержанием; повтор отклонён.",
        ),
    )


def _describe_invalid(error: ValidationError) -> str:
    fields = sorted({".".join(str(part) for part in item["loc"]) or "(всё)" for item in error.errors()})
    return f"Неверные данные операции, поля: {', '.join(fields[:10])}."
