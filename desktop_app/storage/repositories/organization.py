"""The organization's profile and requisites (a single row) and its payment agreements with payers."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desktop_app.domain.organization import OrganizationProfile, PaymentAgreement
from desktop_app.storage.models import OrganizationRow, PaymentAgreementRow
from desktop_app.sync.server_records import OrganizationRecord

_FIELDS = [field.name for field in dataclasses.fields(OrganizationProfile) if field.name != "payment_agreements"]


class OrganizationRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self) -> OrganizationProfile | None:
        """The profile with its agreements; None before the first sync or the admin's first save."""
        row = self._session.get(OrganizationRow, 1)
        if row is None:
            return None
        agreements = tuple(self._agreements())
        return OrganizationProfile(**{name: getattr(row, name) for name in _FIELDS}, payment_agreements=agreements)

    def save(self, profile: OrganizationProfile, now: datetime) -> None:
        """Store the requisites (the agreements are the server's: ``apply_record`` replaces them)."""
        row = self._session.get(OrganizationRow, 1) or OrganizationRow(id=1)
        for name in _FIELDS:
            setattr(row, name, getattr(profile, name))
        row.updated_at = now
        self._session.add(row)

    def apply_record(self, record: OrganizationRecord, now: datetime, *, local_edits_pending: bool) -> None:
        """The server's record: agreements always; requisites unless the admin's edit is still waiting."""
        if not local_edits_pending or self._session.get(OrganizationRow, 1) is None:
            values = {name: getattr(record, name) for name in _FIELDS}
            self.save(OrganizationProfile(**values), now)
        self._session.execute(delete(PaymentAgreementRow))
        self._session.add_all(
            PaymentAgreementRow(
                payer_code=agreement.payer_code,
                payer_name=agreement.payer_name,
                number=agreement.number,
                signed_on=agreement.signed_on,
                starts_on=agreement.starts_on,
                ends_on=agreement.ends_on,
                active=agreement.status == "active",
            )
            for agreement in record.agreements
        )

    def _agreements(self) -> list[PaymentAgreement]:
        rows = self._session.scalars(
            select(PaymentAgreementRow).order_by(PaymentAgreementRow.signed_on, PaymentAgreementRow.number)
        )
        return [
            PaymentAgreement(
                payer_name=row.payer_name,
                number=row.number,
                signed_on=row.signed_on,
                payer_code=row.payer_code,
                starts_on=row.starts_on,
                ends_on=row.ends_on,
                active=row.active,
            )
            for row in rows
        ]
