"""Where contracts are made: the settlement named in the organization's address."""

from __future__ import annotations

import pytest

from desktop_app.domain.organization import OrganizationProfile


@pytest.mark.parametrize(
    ("address", "locality"),
    [
        ("650000, г. Кемерово, ул. Весенняя, д. 11", "г. Кемерово"),
        ("654000, Кемеровская область — Кузбасс, г. Новокузнецк, пр. Металлургов, д. 24", "г. Новокузнецк"),
        ("Кемеровская область — Кузбасс, г.Белово, ул. Ленина, 1", "г.Белово"),
        ("652380, Кемеровская обл., пгт Промышленная, ул. Коммунистическая, 3", "пгт Промышленная"),
        ("с. Ягуново, ул. Центральная, 1", "с. Ягуново"),
        ("ул. Ленина, д. 1", ""),
        ("", ""),
    ],
)
def test_the_settlement_of_the_actual_address(address: str, locality: str) -> None:
    assert OrganizationProfile(actual_address=address).locality == locality


def test_the_legal_address_when_the_actual_one_names_no_settlement() -> None:
    profile = OrganizationProfile(actual_address="ул. Ленина, д. 1", legal_address="650000, г. Кемерово, ул. Ленина, 1")
    assert profile.locality == "г. Кемерово"
