"""What an operation handler gets and gives: the context, its outcome, and how it refuses.

A handler is ``handler(context, payload) -> Outcome`` and raises ``Rejection`` to refuse; everything it
changed is then rolled back (it runs inside a savepoint), and the refusal is the operation's final answer.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from desktop_app.domain.money import format_kopecks
from desktop_app.sync.protocol import OperationStatus
from server.clock import Clock
from server.config import ServerConfig
from server.db.models import Organization


@dataclass
class OperationContext:
    session: Session
    organization: Organization
    user_id: uuid.UUID | None
    now: datetime
    clock: Clock
    config: ServerConfig

    @property
    def today(self) -> date:
        return self.clock.local(self.now).date()

    def moment(self) -> str:
        """The decision's time as the region reads it: «12.09.2026 10:41»."""
        return self.clock.local(self.now).strftime("%d.%m.%Y %H:%M")


@dataclass
class Outcome:
    record: dict[str, Any]
    status: OperationStatus = OperationStatus.APPLIED
    message: str | None = None


class Rejection(Exception):  # noqa: N818 — a final answer, not an error of the server
    """The operation is refused for good; ``message`` is Russian, ``figures`` carry the amounts and times."""

    def __init__(self, code: str, message: str, figures: dict[str, int | str] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.figures = figures


@dataclass
class Handlers:
    """Operation handlers by type; ``register`` is used as a decorator by the modules that define them."""

    by_type: dict[str, Callable[[OperationContext, Any], Outcome]] = field(default_factory=dict)

    def register(
        self, *types: str
    ) -> Callable[[Callable[[OperationContext, Any], Outcome]], Callable[[OperationContext, Any], Outcome]]:
        def decorate(handler: Callable[[OperationContext, Any], Outcome]) -> Callable[[OperationContext, Any], Outcome]:
            for operation_type in types:
                self.by_type[operation_type] = handler
            return handler

        return decorate


HANDLERS = Handlers()


def money(kopecks: int) -> str:
    """Amounts in messages: «12 000,00 ₽» (ordinary spaces: messages are plain text)."""
    return format_kopecks(kopecks).replace("\u00a0", " ")
