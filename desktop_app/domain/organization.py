"""The organization's profile and requisites (реквизиты), as printed on contracts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# A settlement in a Russian address: «г. Новокузнецк», «пгт Промышленная», «с. Ягуново», «пос. Металлплощадка».
_LOCALITY = re.compile(r"(?:^|,\s*)((?:г|пгт|рп|с|п|пос|д|ст)(?:\.\s*|\s+)[А-ЯЁ][^,]*)")


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
    starts_on: date | None = None
    ends_on: date | None = None
    active: bool = True
    """False once the operator suspended or terminated it: no new contracts name it."""


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
    """Agreements with payers, as the operator registered them (they arrive by sync)."""

    @property
    def locality(self) -> str:
        """Where contracts are made: the settlement of the actual (else the legal) address; empty if none."""
        for address in (self.actual_address, self.legal_address):
            found = _LOCALITY.search(address)
            if found:
                return found.group(1).strip()
        return ""

    def agreement_with(self, payer_code: str, on: date | None = None) -> PaymentAgreement | None:
        """The active agreement with the payer of that code, or the only one when codes are not filled in.

        With ``on`` (a contract's start), only an agreement in force that day counts: an expired agreement of
        last year stays registered next to this year's one with the same payer.
        """
        active = [agreement for agreement in self.payment_agreements if agreement.active and _in_force(agreement, on)]
        for agreement in active:
            if agreement.payer_code == payer_code:
                return agreement
        if len(active) == 1 and not active[0].payer_code:
            return active[0]
        return None


def _in_force(agreement: PaymentAgreement, on: date | None) -> bool:
    if on is None:
        return True
    started = agreement.starts_on is None or agreement.starts_on <= on
    return started and (agreement.ends_on is None or on <= agreement.ends_on)
