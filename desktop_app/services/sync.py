"""Sync as the clerk sees it: run a round, what waits to be sent, the history, the inbox of rejections."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from desktop_app.domain.money import format_kopecks
from desktop_app.progress import TaskControl
from desktop_app.services.session import SessionService
from desktop_app.storage.database import Database
from desktop_app.sync.engine import ADMIN_OPERATIONS, PULL_PAGE, SyncEngine, SyncReport
from desktop_app.sync.protocol import Role
from desktop_app.sync.records import OutboxOperation, SyncResult

CLOCK_SKEW_WARNING_S = 5 * 60
WAITS_FOR_ADMIN = "отправится, когда синхронизирует администратор организации"

_MONEY_FIGURES = {
    "requested": "Запрошено из сертификата",
    "available": "Доступно на сертификате",
    "price": "Стоимость по данным сервера",
    "requested_price": "Стоимость, рассчитанная здесь",
    "normative": "Нормативная стоимость",
}
_COUNT_FIGURES = {
    "capacity": "Мест в группе",
    "taken": "Занято мест",
    "percent": "Допустимая доля, %",
    "errors": "Ошибок",
}


def describe_figures(figures: dict[str, int | str]) -> list[str]:
    """The figures behind a rejection, as lines a clerk reads: «Доступно на сертификате: 4 500,00 ₽»."""
    lines = []
    for key, value in figures.items():
        if key in _MONEY_FIGURES and isinstance(value, int):
            lines.append(f"{_MONEY_FIGURES[key]}: {format_kopecks(value)}")
        elif key in _COUNT_FIGURES:
            lines.append(f"{_COUNT_FIGURES[key]}: {value}")
        elif key == "decided_at" and isinstance(value, str):
            moment = datetime.fromisoformat(value).astimezone()
            lines.append(f"Решение сервера: {moment:%d.%m.%Y %H:%M}")
    return lines


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class SyncOverview:
    last_synced_at: datetime | None
    pending: int
    inbox: int
    clock_offset_seconds: int | None

    @property
    def clock_warning(self) -> str | None:
        """Said when this computer's clock is more than 5 minutes off the server's (it is never used to order)."""
        offset = self.clock_offset_seconds
        if offset is None or abs(offset) <= CLOCK_SKEW_WARNING_S:
            return None
        direction = "отстают" if offset > 0 else "спешат"
        duration = _duration(abs(offset))
        ending = "" if duration.endswith(".") else "."  # «на 7 мин.», not «на 7 мин..»
        return (
            f"Часы этого компьютера {direction} от часов сервера на {duration}{ending} "
            "Данные от этого не пострадают, но время в документах может быть неверным: поправьте часы."
        )


def _duration(seconds: int) -> str:
    """«7 мин.», «3 ч 20 мин.», «79 сут. 6 ч»: large offsets (a wrong date) read in days, not minutes."""
    minutes = seconds // 60
    days, hours = divmod(minutes // 60, 24)
    if days:
        return f"{days} сут. {hours} ч" if hours else f"{days} сут."
    if hours:
        return f"{hours} ч {minutes % 60} мин."
    return f"{minutes} мин."


class SyncService:
    def __init__(
        self,
        database: Database,
        session: SessionService,
        now: Callable[[], datetime] = _utc_now,
        *,
        pull_page: int = PULL_PAGE,
    ) -> None:
        self._database = database
        self._session = session
        self._now = now
        self._pull_page = pull_page  # changes per pull request; tests use small pages to make a long sync

    def sync(self, control: TaskControl) -> SyncReport:
        """One round: push the outbox, pull the changes (blocking; run it on the database lane)."""
        return SyncEngine(self._database, self._session, pull_page=self._pull_page, now=self._now).sync(control)

    def overview(self) -> SyncOverview:
        with self._database.read() as work:
            state = work.sync_state.get()
            return SyncOverview(
                last_synced_at=state.last_synced_at,
                pending=work.outbox.count(),
                inbox=work.sync_results.inbox_count(),
                clock_offset_seconds=state.clock_offset_seconds,
            )

    def queue(self) -> list[OutboxOperation]:
        """Changes waiting to be sent, oldest first; those only an admin may send say so."""
        with self._database.read() as work:
            pending = work.outbox.pending()
        if self._session.role == Role.ORG_ADMIN.value:
            return pending
        return [
            dataclasses.replace(operation, summary=f"{operation.summary} — {WAITS_FOR_ADMIN}")
            if operation.op_type in ADMIN_OPERATIONS
            else operation
            for operation in pending
        ]

    def history(self, limit: int = 200) -> list[SyncResult]:
        with self._database.read() as work:
            return work.sync_results.history(limit)

    def inbox(self) -> list[SyncResult]:
        with self._database.read() as work:
            return work.sync_results.inbox()

    def acknowledge(self, result_id: int) -> None:
        with self._database.write() as work:
            work.sync_results.acknowledge(result_id, self._now())
