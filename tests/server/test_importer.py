"""Reading and checking certificate files: amounts in kopecks, dates, kinds, and every bad row reported."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.certificate import CertificateKind
from server.services.import_files import (
    ImportFileError,
    ValueProblem,
    parse_date,
    parse_kind,
    parse_roubles,
    read_table,
)
from server.services.importer import map_columns, parse_certificates

TODAY = date(2026, 9, 10)
HEADER = "номер;фамилия;имя;отчество;дата рождения;вид;код плательщика;номинал"


@pytest.mark.parametrize(
    ("typed", "kopecks"),
    [
        ("12000", 1_200_000),
        ("12000,50", 1_200_050),
        ("12000,5", 1_200_050),
        ("12000.05", 1_200_005),
        ("12 000,50", 1_200_050),
        ("12\u00a0000,50 ₽", 1_200_050),
        ("0", 0),
        ("0,01", 1),
    ],
)
def test_roubles_become_kopecks(typed: str, kopecks: int) -> None:
    assert parse_roubles(typed) == kopecks


@pytest.mark.parametrize("typed", ["", "-5", "12,345", "двенадцать", "1e5", "12,", ",5", "12000000000,00"])
def test_what_is_not_an_amount_says_so(typed: str) -> None:
    with pytest.raises(ValueProblem) as raised:
        parse_roubles(typed)
    assert raised.value.message


@given(st.integers(min_value=0, max_value=10**11))
def test_written_amounts_read_back_exactly(kopecks: int) -> None:
    roubles, rest = divmod(kopecks, 100)
    assert parse_roubles(f"{roubles},{rest:02d}") == kopecks
    assert parse_roubles(f"{roubles}.{rest:02d}") == kopecks


def test_dates_in_russian_and_iso_form() -> None:
    assert parse_date("01.09.2015") == date(2015, 9, 1)
    assert parse_date("1.9.2015") == date(2015, 9, 1)
    assert parse_date("2015-09-01") == date(2015, 9, 1)
    with pytest.raises(ValueProblem, match="не бывает"):
        parse_date("31.02.2015")
    with pytest.raises(ValueProblem, match=r"ДД\.ММ\.ГГГГ"):
        parse_date("2015/09/01")


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("учёт", CertificateKind.ACCOUNTING),
        ("Учет", CertificateKind.ACCOUNTING),
        ("сертификат учёта", CertificateKind.ACCOUNTING),
        ("accounting", CertificateKind.ACCOUNTING),
        ("ПФ", CertificateKind.FINANCING),
        ("сертификат ПФ", CertificateKind.FINANCING),
        ("персонифицированного финансирования", CertificateKind.FINANCING),
        ("financing", CertificateKind.FINANCING),
    ],
)
def test_kinds_as_registries_write_them(typed: str, kind: CertificateKind) -> None:
    assert parse_kind(typed) is kind


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueProblem, match="учёт"):
        parse_kind("платный")


def test_csv_with_bom_semicolons_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "реестр.csv"
    text = (
        f"{HEADER}\n"
        "4212000001;Петров;Пётр;Иванович;01.03.2015;ПФ;12;12000,50\n"
        "\n"
        ";;;;;;;\n"
        "42 12 000002;Ёлкина;Анна;;2014-05-06;учёт;12;\n"
    )
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    table = read_table(path)
    assert [line for line, _cells in table] == [1, 2, 5]
    assert table[0][1][0] == "номер"
    parsed = parse_certificates(table, payer_codes={"12"}, today=TODAY)
    assert parsed.errors == []
    first, second = parsed.rows
    assert (first.number, first.nominal, first.kind, first.birth_date) == (
        "4212000001",
        1_200_050,
        CertificateKind.FINANCING,
        date(2015, 3, 1),
    )
    assert (second.number, second.surname, second.nominal, second.kind) == (
        "4212000002",
        "Ёлкина",
        0,
        CertificateKind.ACCOUNTING,
    )


def test_csv_with_commas_and_english_headers(tmp_path: Path) -> None:
    path = tmp_path / "registry.csv"
    path.write_text(
        "number,surname,first_name,patronymic,birth_date,kind,payer_code,nominal\n"
        '4213000007,Smith,John,,2016-01-31,financing,13,"15000,75"\n',
        encoding="utf-8",
    )
    parsed = parse_certificates(read_table(path), payer_codes={"13"}, today=TODAY)
    assert parsed.errors == []
    assert parsed.rows[0].nominal == 1_500_075
    assert parsed.rows[0].payer_code == "13"


def test_xlsx_cells_of_every_type(tmp_path: Path) -> None:
    path = tmp_path / "реестр.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(
        ["Номер сертификата", "Фамилия", "Имя", "Отчество", "Дата рождения", "Вид", "Код плательщика", "Номинал, руб."]
    )
    sheet.append([4212000011, "Орлова", "Мария", "Павловна", date(2013, 4, 5), "ПФ", 12, 15000.5])
    sheet.append(
        [
            4212000012.0,
            "Орлов",
            "Илья",
            "",
            datetime(2012, 1, 2),  # noqa: DTZ001 — spreadsheet cells have no time zone
            "сертификат учёта",
            "12",
            None,
        ]
    )
    sheet.append(["4212000013", "Ким", "Ева", None, "02.02.2016", "ПФ", 12, "9 000"])
    workbook.save(path)
    workbook.close()
    parsed = parse_certificates(read_table(path), payer_codes={"12"}, today=TODAY)
    assert parsed.errors == []
    assert [(row.number, row.nominal, row.birth_date) for row in parsed.rows] == [
        ("4212000011", 1_500_050, date(2013, 4, 5)),
        ("4212000012", 0, date(2012, 1, 2)),
        ("4212000013", 900_000, date(2016, 2, 2)),
    ]


def test_every_bad_row_is_reported_with_its_line(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "4212000001;Петров;Пётр;;01.03.2015;ПФ;12;12000",  # 2: good
        "421200000;Иванов;Иван;;01.01.2015;ПФ;12;100",  # 3: nine digits
        "4212000003;;Иван;;31.02.2015;платный;14;-5",  # 4: five problems
        "4212000001;Петров;Пётр;;01.03.2015;ПФ;12;12000",  # 5: repeats line 2
        "4212000005;Сидоров;Олег;;01.01.2030;ПФ;12;100",  # 6: not born yet
        "4212000006;Сидоров;Олег;;01.01.2000;ПФ;12;100",  # 7: already 18
        "4212000007;Сидорова;Ольга;;01.01.2015;учёт;12;500",  # 8: учёт with money
        "4212000008;Сидорова;Ольга;;01.01.2015;ПФ;12;",  # 9: ПФ without nominal
        "4212000009;Сидорова;Ольга;;01.01.2015;;;12,345",  # 10: kind, payer and nominal
    ]
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    parsed = parse_certificates(read_table(path), payer_codes={"12"}, today=TODAY)
    assert [row.line for row in parsed.rows] == [2]
    by_line = {error.line: error for error in parsed.errors}
    assert sorted(by_line) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "9 цифр" in by_line[3].message
    assert len(by_line[4].reasons) == 5
    assert "не указана фамилия" in by_line[4].reasons
    assert any("31.02.2015" in reason for reason in by_line[4].reasons)
    assert any("«14» не найден" in reason for reason in by_line[4].reasons)
    assert "уже был в строке 2" in by_line[5].message
    assert "ещё не наступила" in by_line[6].message
    assert "18 лет" in by_line[7].message
    assert "учёта нет номинала" in by_line[8].message
    assert "не указан номинал" in by_line[9].message
    assert len(by_line[10].reasons) == 3
    assert by_line[3].message.startswith("строка 3: ")


def test_missing_columns_are_named(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="«дата рождения», «вид»"):
        map_columns(["номер", "фамилия", "имя", "код плательщика"])
    with pytest.raises(ImportFileError, match="дважды"):
        map_columns(["номер", "number", "фамилия", "имя", "дата рождения", "вид", "код плательщика"])


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "пуст"),
        ("header.csv", HEADER.encode(), "только заголовок"),
        ("cp1251.csv", HEADER.encode("cp1251"), "UTF-8"),
        ("broken.xlsx", b"not a workbook", "XLSX"),
        ("old.xls", b"\xd0\xcf\x11\xe0", "не поддерживается"),
    ],
)
def test_unreadable_files_get_one_clear_message(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=message):
        parse_certificates(read_table(path), payer_codes={"12"}, today=TODAY)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="не найден"):
        read_table(tmp_path / "nothere.csv")
