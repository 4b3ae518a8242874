"""The organization's profile and requisites (a single row)."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from sqlalchemy.orm import Session

from desktop_app.domain.organization import OrganizationProfile
from desktop_app.storage.models import OrganizationRow

# Payment agreements with payers have no table yet (the requisites settings page stores them later):
# the row keeps the scalar requisites, and a profile read back has no agreements.
_NOT_STORED = frozenset({"payment_agreements"})
_FIELDS = [field.name for field in dataclasses.fields(OrganizationProfile) if field.name not in _NOT_STORED]


class OrganizationRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self) -> OrganizationProfile | None:
        row = self._session.get(OrganizationRow, 1)
        if row is None:
            return None
        return OrganizationProfile(**{name: getattr(row, name) for name in _FIELDS})

    def save(self, profile: OrganizationProfile, now: datetime) -> None:
        row = self._session.get(OrganizationRow, 1) or OrganizationRow(id=1)
        for name in _FIELDS:
            setattr(row, name, getattr(profile, name))
        row.updated_at = now
        self._session.add(row)
