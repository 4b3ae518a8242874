"""Requisites of the demo organizations, so that demo contracts print complete.

The values are made up but pass every check the program makes: the ОГРН's check digit and the settlement
account's control key are computed, not typed.
"""

from __future__ import annotations

from datetime import date

from desktop_app.domain.requisites import settlement_account_error
from server.db.models import Organization
from server.services.demo_data import OrganizationPlan

DEMO_BANK = ("Кемеровское отделение № 8615 ПАО Сбербанк", "043207612", "30101810200000000612")
LICENSE_ISSUER = "Министерство образования Кузбасса"


def fill_demo_requisites(organization: Organization, plan: OrganizationPlan, serial: int) -> None:
    """Give a demo organization complete requisites; ``serial`` makes its numbers differ from the others'."""
    bank_name, bik, correspondent = DEMO_BANK
    organization.kpp = plan.inn[:4] + "01001"
    organization.ogrn = _ogrn(f"10242{plan.inn[2:4]}{serial:05d}")
    organization.license_number = f"Л035-01234-42/00{serial:06d}"
    organization.license_date = date(2016, 3, 1 + serial)
    organization.license_issuer = LICENSE_ISSUER
    organization.legal_address = plan.address
    organization.actual_address = plan.address
    organization.bank_name = bank_name
    organization.bik = bik
    organization.settlement_account = _account(f"40701810{serial:03d}", bik)
    organization.correspondent_account = correspondent
    organization.signatory_name = plan.admin_name
    organization.signatory_position = "директор"
    organization.signatory_basis = "Устава"


def _ogrn(first_twelve: str) -> str:
    return first_twelve + str(int(first_twelve) % 11 % 10)


def _account(prefix: str, bik: str) -> str:
    """A settlement account whose control key (its 9th digit) matches the bank's БИК."""
    tail = prefix[8:].rjust(11, "0")
    for key in "0123456789":
        account = prefix[:8] + key + tail
        if settlement_account_error(account, bik) is None:
            return account
    raise AssertionError("some control key always fits")
