"""The organization's profile and requisites (реквизиты), as printed on contracts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class OrganizationProfile:
    """Who the workstation works for. Empty strings mean «not filled in yet»."""

    full_name: str = ""
    short_name: str = ""
    inn: str = ""
    kpp: str = ""
    ogrn: str = ""
    license_number: str = ""
    license_date: date | None = None
    license_issuer: str = ""
    legal_address: str = ""
    actual_address: str = ""
    bank_name: str = ""
    bik: str = ""
    settlement_account: str = ""
    correspondent_account: str = ""
    signatory_name: str = ""
    signatory_position: str = ""
    signatory_basis: str = ""
    """The document the signatory acts on, e.g. «Устава»."""
