"""Financing periods of certificates, as the server publishes them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.pricing import FinancingPeriod
from desktop_app.storage.models import PeriodRow


class PeriodRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def list_all(self) -> list[FinancingPeriod]:
        rows = self._session.scalars(select(PeriodRow).order_by(PeriodRow.starts_on))
        return [FinancingPeriod(row.code, row.starts_on, row.ends_on) for row in rows]

    def save(self, period: FinancingPeriod) -> None:
        row = self._session.get(PeriodRow, period.code) or PeriodRow(code=period.code)
        row.starts_on = period.starts_on
        row.ends_on = period.ends_on
        self._session.add(row)
        self._session.flush()
