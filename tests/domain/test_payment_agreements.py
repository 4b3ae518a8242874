"""Which payment agreement a contract names: the active one with the certificate's payer, in force on the
contract's start when that date is given (last year's agreement stays registered next to this year's)."""

from __future__ import annotations

from datetime import date

from desktop_app.domain.organization import OrganizationProfile, PaymentAgreement

LAST_YEAR = PaymentAgreement("УО Кемерово", "12/2025", date(2025, 8, 20), "12", date(2025, 9, 1), date(2026, 8, 31))
THIS_YEAR = PaymentAgreement("УО Кемерово", "12/2026", date(2026, 8, 20), "12", date(2026, 9, 1), date(2027, 8, 31))
SUSPENDED = PaymentAgreement(
    "УО Новокузнецка", "13/1", date(2026, 1, 10), "13", date(2026, 1, 10), date(2027, 12, 31), False
)


def test_the_agreement_in_force_on_the_start_date_is_named() -> None:
    profile = OrganizationProfile(payment_agreements=(LAST_YEAR, THIS_YEAR, SUSPENDED))
    assert profile.agreement_with("12", date(2026, 10, 1)) == THIS_YEAR
    assert profile.agreement_with("12", date(2026, 8, 31)) == LAST_YEAR
    assert profile.agreement_with("12", date(2026, 9, 1)) == THIS_YEAR
    assert profile.agreement_with("12", date(2027, 9, 1)) is None
    assert profile.agreement_with("12") == LAST_YEAR, "without a date: the first active one, as registered"


def test_a_suspended_agreement_is_never_named() -> None:
    profile = OrganizationProfile(payment_agreements=(SUSPENDED,))
    assert profile.agreement_with("13") is None
    assert profile.agreement_with("13", date(2026, 10, 1)) is None


def test_an_agreement_without_dates_or_code_is_in_force_on_any_day() -> None:
    lone = PaymentAgreement("УО", "1", date(2026, 1, 1))
    profile = OrganizationProfile(payment_agreements=(lone,))
    assert profile.agreement_with("77", date(2030, 1, 1)) == lone
    expired_lone = PaymentAgreement("УО", "1", date(2020, 1, 1), "", date(2020, 1, 1), date(2020, 12, 31))
    assert OrganizationProfile(payment_agreements=(expired_lone,)).agreement_with("77", date(2026, 10, 1)) is None
