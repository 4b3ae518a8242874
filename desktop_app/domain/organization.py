"""The organization's profile and requisites (реквизиты), as printed on contracts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class PaymentAgreement:
    """The organization's agreement with a payer (соглашение / договор об оплате с уполномоченной организацией).

    Certificate money reaches the organization only under such an agreement; the contract names it.
    """

    payer_name: str
    """The payer's full name (уполномоченная организация), e.g. «Управление образования администрации …»."""
    number: str
    signed_on: date
    payer_code: str = ""
    """The payer's two-digit code, as in digits 3–4 of the certificate number; empty when unknown."""


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
    payment_agreements: tuple[PaymentAgreement, ...] = ()
    """Agreements with payers; not stored locally yet (the settings page and its storage come later)."""

    def agreement_with(self, payer_code: str) -> PaymentAgreement | None:
        """The agreement with the payer of that code, or the only agreement when codes are not filled in."""
        for agreement in self.payment_agreements:
            if agreement.payer_code == payer_code:
                return agreement
        if len(self.payment_agreements) == 1 and not self.payment_agreements[0].payer_code:
            return self.payment_agreements[0]
        return None
