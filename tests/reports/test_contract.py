"""The contract's text: every field DOMAIN.md lists and the minimum of ПП РФ № 1441, read back from the PDF."""

from __future__ import annotations

import re

import pytest

from reports.render import DocumentPart
from tests.reports.conftest import Rendered

CONTRACT = DocumentPart.CONTRACT
_AMOUNT = r"\d{1,3}(?: \d{3})*,\d\d"


def _contract(case: Rendered) -> str:
    return case.text(CONTRACT)


def test_title_number_place_and_date(accepted: Rendered) -> None:
    text = _contract(accepted)
    assert text.startswith("ДОГОВОР № 17-ПФ об образовании по дополнительной общеобразовательной программе")
    assert "г. Кемерово «25» августа 2026 г." in text


ORGANIZATION_FIELDS = [
    "Муниципальное бюджетное учреждение дополнительного образования «Дом детского творчества № 2»",
    "Сокращённое наименование: МБУ ДО «Дом детского творчества № 2»",
    "ИНН 4205012340, КПП 420501001",
    "ОГРН 1024205123458",
    "Лицензия № Л035-01234-42/00567890 от 14.03.2016, выдана: Министерство образования Кузбасса",
    "Юридический адрес: 650000, Кемеровская область — Кузбасс, г. Кемерово, ул. Весенняя, д. 17",
    "Фактический адрес: 650000, Кемеровская область — Кузбасс, г. Кемерово, ул. Весенняя, д. 17, корп. 2",
    "Банк: Кемеровское отделение № 8615 ПАО Сбербанк",
    "БИК 043207612",
    "Расчётный счёт 40703810926000012345",
    "Корреспондентский счёт 30101810200000000612",
    "на основании Устава действует директор Ершова Татьяна Викторовна",
    "Директор ____",
    "/ Ершова Т. В. /",
    "М. П.",
]


@pytest.mark.parametrize("expected", ORGANIZATION_FIELDS)
def test_the_organization_and_its_requisites(accepted: Rendered, expected: str) -> None:
    assert expected in _contract(accepted)


PARTY_FIELDS = [
    "родитель (законный представитель) несовершеннолетнего — Соколова-Ёлкина Анна Петровна (далее — Заказчик)",
    "несовершеннолетнего обучающегося — Соколов-Ёлкин Фёдор Игоревич, дата рождения: 12.04.2016",
    "Адрес: 650021, г. Кемерово, ул. Волгоградская, д. 5, кв. 48",
    "Телефон: +7 913 123-45-67",
    "Эл. почта: sokolova-elkina@example.ru",
    "Документ, удостоверяющий личность: паспорт 32 15 № 654321, выдан ГУ МВД России по Кемеровской области",
    "Обучающийся: Соколов-Ёлкин Фёдор Игоревич, дата рождения: 12.04.2016",
    "сертификата дополнительного образования № 4201123456",
    "Сертификат дополнительного образования № 4201123456",
    "/ Соколова-Ёлкина А. П. /",
]


@pytest.mark.parametrize("expected", PARTY_FIELDS)
def test_the_parent_the_child_and_the_certificate(accepted: Rendered, expected: str) -> None:
    assert expected in _contract(accepted)


PROGRAM_FIELDS = [
    "по дополнительной общеобразовательной программе «Мастерская юного художника» (далее — Программа)",
    "Вид Программы — общеразвивающая",
    "направленность — художественная",
    "уровень — базовый",
    "форма обучения — очная",
    "модуль (год обучения) — «Первый год обучения»",
    "объём модуля — 144 академических часа",
    "Срок освоения Программы (продолжительность обучения) — 9 месяцев",
    "Период обучения по Договору — с 1 сентября 2026 г. по 31 мая 2027 г. ",
    "в группе «Акварель-1 (младшая)» (педагог — Иванова Мария Петровна)",
    "по расписанию: понедельник, 16:00–17:30, каб. 12; четверг, 16:00–17:30, каб. 12.",
    "Место проведения занятий: г. Кемерово, ул. Весенняя, д. 17, корп. 2.",
    "Документ, выдаваемый Обучающемуся после освоения Программы: свидетельство об обучении.",
]


@pytest.mark.parametrize("expected", PROGRAM_FIELDS)
def test_the_program_module_group_and_schedule(accepted: Rendered, expected: str) -> None:
    assert expected in _contract(accepted)


def test_the_cost_in_figures_and_words_with_the_split(accepted: Rendered) -> None:
    text = _contract(accepted)
    split = accepted.document.split
    assert (split.price, split.from_certificate, split.co_payment) == (1_296_000, 900_000, 396_000)
    assert "составляет 12 960,00 ₽ (двенадцать тысяч девятьсот шестьдесят рублей 00 копеек)" in text
    assert "За счёт средств Сертификата оплачивается 9 000,00 ₽ (девять тысяч рублей 00 копеек)" in text
    assert "Заказчик оплачивает 3 960,00 ₽ (три тысячи девятьсот шестьдесят рублей 00 копеек)" in text


def test_payment_terms_payer_and_agreement(accepted: Rendered) -> None:
    text = _contract(accepted)
    assert "вносится не позднее 10-го числа месяца, следующего за оплачиваемым" in text
    assert "уполномоченная организация — Управление образования администрации города Кемерово —" in text
    assert "в соответствии с соглашением от 20.01.2026 № ПФ-42/017" in text


def _schedule_rows(text: str) -> list[tuple[int, str, int, int, int]]:
    pattern = re.compile(rf"(\d+) ([А-Я][а-я]+ \d{{4}}) ({_AMOUNT}) ({_AMOUNT}) ({_AMOUNT})")

    def kopecks(amount: str) -> int:
        return int(amount.replace(" ", "").replace(",", ""))

    return [
        (int(number), month, kopecks(certificate), kopecks(parent), kopecks(total))
        for number, month, certificate, parent, total in pattern.findall(text)
    ]


@pytest.mark.parametrize(
    ("case_name", "months"),
    [
        ("accepted", ["Сентябрь 2026", "Октябрь 2026", "Ноябрь 2026", "Декабрь 2026", "Январь 2027",
                      "Февраль 2027", "Март 2027", "Апрель 2027", "Май 2027"]),
        ("long_texts", ["Сентябрь 2026", "Октябрь 2026", "Ноябрь 2026", "Декабрь 2026", "Январь 2027",
                        "Февраль 2027", "Март 2027", "Апрель 2027", "Май 2027", "Июнь 2027", "Июль 2027",
                        "Август 2027"]),
    ],
)  # fmt: skip
def test_every_schedule_month_is_printed_and_the_months_sum_to_the_total(
    case_name: str, months: list[str], request: pytest.FixtureRequest
) -> None:
    case: Rendered = request.getfixturevalue(case_name)
    text = _contract(case)
    rows = _schedule_rows(text)
    assert [row[1] for row in rows] == months
    assert [row[0] for row in rows] == list(range(1, len(months) + 1))
    split = case.document.split
    for _, month, certificate, parent, total in rows:
        assert certificate + parent == total, month
    assert sum(row[2] for row in rows) == split.from_certificate
    assert sum(row[3] for row in rows) == split.co_payment
    assert sum(row[4] for row in rows) == split.price
    printed = [(row[2], row[3]) for row in rows]
    assert printed == [(payment.from_certificate, payment.co_payment) for payment in case.document.schedule]
    total_row = re.search(rf"Итого по Договору ({_AMOUNT}) ({_AMOUNT}) ({_AMOUNT})", text)
    assert total_row is not None
    assert total_row.groups() == tuple(
        f"{kopecks // 100:,}".replace(",", " ") + f",{kopecks % 100:02d}"
        for kopecks in (split.from_certificate, split.co_payment, split.price)
    )


def test_the_schedule_header_repeats_when_the_table_breaks_across_pages(long_texts: Rendered) -> None:
    from tests.reports.conftest import page_texts

    pages = page_texts(long_texts.separate[CONTRACT])
    with_table = [page for page in pages if re.search(r"\d+ [А-Я][а-я]+ 20\d\d " + _AMOUNT, page)]
    assert len(with_table) >= 2, "the 12-month table is expected to break across pages here"
    for page in with_table:
        assert "№ Месяц За счёт средств Сертификата, ₽ Оплачивает Заказчик, ₽ Итого за месяц, ₽" in page


TERMINATION = [
    "5. ОСНОВАНИЯ ИЗМЕНЕНИЯ И РАСТОРЖЕНИЯ ДОГОВОРА",
    "Договор может быть расторгнут по соглашению Сторон.",
    "Договор может быть расторгнут по инициативе Исполнителя в одностороннем порядке",
    "Договор считается расторгнутым с последнего дня месяца, в котором подано заявление.",
]


@pytest.mark.parametrize("expected", TERMINATION)
def test_termination_terms(accepted: Rendered, expected: str) -> None:
    assert expected in _contract(accepted)


# ПП РФ № 1441 of 15.09.2020, п. 12: what a contract must state at least, each item with the text that
# shows it in our contract.
MINIMUM_1441 = {
    "полное наименование и место нахождения исполнителя": [
        "Муниципальное бюджетное учреждение дополнительного образования «Дом детского творчества № 2»",
        "Юридический адрес: 650000",
    ],
    "наименование (ФИО), место нахождения, телефон заказчика": [
        "Соколова-Ёлкина Анна Петровна",
        "Адрес: 650021",
        "Телефон: +7 913 123-45-67",
    ],
    "ФИО представителей сторон и документ, удостоверяющий полномочия": [
        "на основании Устава действует директор Ершова Татьяна Викторовна",
        "/ Соколова-Ёлкина А. П. /",
    ],
    "ФИО обучающегося, место жительства, телефон": [
        "Соколов-Ёлкин Фёдор Игоревич",
        "Обучающийся: Соколов-Ёлкин Фёдор Игоревич, дата рождения: 12.04.2016 Адрес: 650021",
    ],
    "права, обязанности и ответственность сторон и обучающегося": [
        "2. ПРАВА ИСПОЛНИТЕЛЯ, ЗАКАЗЧИКА И ОБУЧАЮЩЕГОСЯ",
        "3. ОБЯЗАННОСТИ ИСПОЛНИТЕЛЯ, ЗАКАЗЧИКА И ОБУЧАЮЩЕГОСЯ",
        "6. ОТВЕТСТВЕННОСТЬ ИСПОЛНИТЕЛЯ, ЗАКАЗЧИКА И ОБУЧАЮЩЕГОСЯ",
    ],
    "полная стоимость и порядок оплаты": [
        "Полная стоимость образовательных услуг за весь период обучения по Договору составляет 12 960,00 ₽",
        "Оплата производится ежемесячно по графику платежей",
    ],
    "сведения о лицензии (орган, номер, дата)": [
        "регистрационный номер лицензии: Л035-01234-42/00567890, дата предоставления: 14.03.2016, "
        "лицензирующий орган: Министерство образования Кузбасса",
    ],
    "вид, уровень и направленность программы": ["Вид Программы — общеразвивающая", "уровень — базовый"],
    "форма обучения": ["форма обучения — очная"],
    "сроки освоения программы": ["Срок освоения Программы (продолжительность обучения) — 9 месяцев"],
    "документ, выдаваемый после освоения": ["после освоения Программы: свидетельство об обучении"],
    "порядок изменения и расторжения договора": [
        "5. ОСНОВАНИЯ ИЗМЕНЕНИЯ И РАСТОРЖЕНИЯ ДОГОВОРА",
        "Изменения оформляются дополнительным соглашением в письменной форме.",
    ],
}


@pytest.mark.parametrize("item", MINIMUM_1441)
def test_the_minimum_of_pp_1441(accepted: Rendered, item: str) -> None:
    text = _contract(accepted)
    missing = [phrase for phrase in MINIMUM_1441[item] if phrase not in text]
    assert not missing, f"{item}: {missing}"


def test_the_draft_and_the_accepted_contract_say_the_same_but_the_number(accepted: Rendered, draft: Rendered) -> None:
    accepted_text = _contract(accepted)
    draft_text = _contract(draft).replace("ПРОЕКТ — действителен после подтверждения ", "")
    assert "17-ПФ" not in draft_text
    assert "Л-0007" not in accepted_text
    # Apart from the number, the verification code and the watermark, the two contracts say the same.
    draft_text = draft_text.replace("Л-0007", "17-ПФ").replace(draft.document.verification_code, "")
    accepted_text = accepted_text.replace(accepted.document.verification_code, "")
    assert draft_text.replace("ПРОЕКТ", "").split() == accepted_text.split()
