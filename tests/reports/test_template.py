"""The editable contract template: the bundled one loads, broken ones give clear Russian errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.errors import ExpectedError
from reports.render import DocumentPart, render_documents
from reports.template import (
    PLACEHOLDERS,
    MissingPlaceholderError,
    TemplateError,
    TemplateSyntaxError,
    UnknownPlaceholderError,
    default_template_path,
    load_clause_template,
    parse_clause_template,
)
from tests.reports.builders import make_document
from tests.reports.conftest import page_texts

ALL_REQUIRED = " ".join(
    f"{{{name}}}" for name, (_, required) in PLACEHOLDERS.items() if required and name != "график_платежей"
)


def _minimal(extra: str = "") -> str:
    """A template with every required placeholder, plus ``extra`` as a paragraph of its own."""
    return f"== Раздел\n\n{ALL_REQUIRED}\n\n{{график_платежей}}\n\n{extra}\n"


def _bundled_text() -> str:
    return default_template_path().read_text(encoding="utf-8")


def test_the_bundled_template_loads_and_uses_every_required_placeholder() -> None:
    template = load_clause_template()
    used = {segment.text for block in template.blocks for segment in block.segments if segment.is_placeholder}
    required = {name for name, (_, is_required) in PLACEHOLDERS.items() if is_required}
    assert required <= used
    headings = [block for block in template.blocks if block.kind == "heading"]
    assert len(headings) == 8


def test_an_unknown_placeholder_is_named_with_its_line() -> None:
    text = _bundled_text().replace("{стоимость_цифрами}", "{стоимость_цыфрами}")
    line = next(
        number
        for number, row in enumerate(text.splitlines(), 1)
        if "{стоимость_цыфрами}" in row and not row.startswith("#")
    )
    with pytest.raises(UnknownPlaceholderError) as caught:
        parse_clause_template(text)
    error = caught.value
    assert isinstance(error, ExpectedError)
    assert error.placeholders == ("стоимость_цыфрами",)
    assert error.user_message == (
        f"В шаблоне договора «contract_clauses.txt» неизвестная подстановка: {{стоимость_цыфрами}} "
        f"(строка {line}). Проверьте написание: список допустимых подстановок — в начале файла шаблона."
    )


def test_several_unknown_placeholders_are_all_named() -> None:
    with pytest.raises(UnknownPlaceholderError) as caught:
        parse_clause_template(_minimal("{фио} и {сумма}"))
    assert caught.value.placeholders == ("фио", "сумма")
    assert "неизвестные подстановки: {фио} (строка 7), {сумма} (строка 7)" in caught.value.user_message


def test_a_missing_required_placeholder_is_named() -> None:
    text = _bundled_text().replace("{стоимость_прописью}", "прописью")
    with pytest.raises(MissingPlaceholderError) as caught:
        parse_clause_template(text)
    assert caught.value.placeholders == ("стоимость_прописью",)
    assert caught.value.user_message == (
        "В шаблоне договора «contract_clauses.txt» нет обязательной подстановки: {стоимость_прописью} "
        "(полная стоимость прописью). Без неё договор не содержит сведений, которые обязан содержать; "
        "добавьте её в текст договора."
    )


def test_missing_payment_table_is_named() -> None:
    text = _bundled_text().replace("{график_платежей}", "")
    with pytest.raises(MissingPlaceholderError, match=r"\{график_платежей\} \(таблица графика платежей\)"):
        parse_clause_template(text)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Стоимость {стоимость_цифрами", "строка 7: фигурная скобка «{» не закрыта"),
        ("Стоимость {стоимость_{цифрами}", "строка 7: фигурная скобка «{» не закрыта"),
        ("Стоимость стоимость_цифрами}", "строка 7: лишняя закрывающая фигурная скобка «}»"),
        ("Стоимость {Стоимость цифрами}", "строка 7: «{Стоимость цифрами}» — недопустимое имя подстановки"),
        ("Стоимость {}", "строка 7: «{}» — недопустимое имя подстановки"),
        ("Таблица: {график_платежей}", "подстановка {график_платежей} — это таблица"),
    ],
)
def test_broken_braces_are_a_syntax_error_with_the_line(line: str, message: str) -> None:
    text = f"== Раздел\n\n{ALL_REQUIRED}\n\n{{график_платежей}}\n\n{line}\n"
    with pytest.raises(TemplateSyntaxError) as caught:
        parse_clause_template(text)
    assert message in caught.value.user_message
    assert caught.value.user_message.startswith("Шаблон договора «contract_clauses.txt», строка")


def test_a_broken_bundled_template_reports_the_real_line() -> None:
    lines = _bundled_text().splitlines()
    index = next(i for i, row in enumerate(lines) if "{оплата_до_числа}" in row and not row.startswith("#"))
    lines[index] = lines[index].replace("{оплата_до_числа}", "{оплата_до_числа")
    with pytest.raises(TemplateSyntaxError) as caught:
        parse_clause_template("\n".join(lines))
    assert caught.value.line == index + 1
    assert f"строка {index + 1}: фигурная скобка «{{» не закрыта" in caught.value.user_message


def test_doubled_braces_print_a_brace_and_comments_are_skipped() -> None:
    template = parse_clause_template("# комментарий с {чем_угодно и } скобками\n" + _minimal("Скобки: {{пример}}."))
    filled = template.fill(dict.fromkeys(PLACEHOLDERS, "х"))
    assert filled[-1].text == "Скобки: {пример}."


def test_values_starting_a_sentence_are_capitalised() -> None:
    template = parse_clause_template(
        _minimal("{стоимость_прописью} — полная стоимость. Прописью: {стоимость_прописью}. 4.1. {доплата_прописью}")
    )
    values = dict.fromkeys(PLACEHOLDERS, "")
    values["стоимость_прописью"] = "одна тысяча двести рублей 00 копеек"
    values["доплата_прописью"] = "ноль рублей 00 копеек"
    assert template.fill(values)[-1].text == (
        "Одна тысяча двести рублей 00 копеек — полная стоимость. Прописью: одна тысяча двести рублей 00 копеек. "
        "4.1. Ноль рублей 00 копеек"
    )


def test_a_value_ending_in_a_full_stop_does_not_double_it() -> None:
    template = parse_clause_template(_minimal("Обучение по {дата_окончания}."))
    values = dict.fromkeys(PLACEHOLDERS, "")
    values["дата_окончания"] = "31 мая 2027 г."
    assert template.fill(values)[-1].text == "Обучение по 31 мая 2027 г."


def test_a_missing_file_and_a_wrong_encoding_are_expected_errors(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="Не найден файл шаблона договора"):
        load_clause_template(tmp_path / "нет.txt")
    cp1251 = tmp_path / "contract_clauses.txt"
    cp1251.write_bytes(_minimal().encode("cp1251"))
    with pytest.raises(TemplateError, match="не в кодировке UTF-8"):
        load_clause_template(cp1251)


def test_an_admin_edit_of_the_payment_terms_reaches_the_contract(tmp_path: Path) -> None:
    edited = _bundled_text().replace(
        "вносится не позднее {оплата_до_числа}-го числа месяца, следующего\nза оплачиваемым",
        "вносится авансом не позднее {оплата_до_числа}-го числа оплачиваемого месяца",
    )
    assert edited != _bundled_text()
    path = tmp_path / "contract_clauses.txt"
    path.write_text(edited, encoding="utf-8")
    pdf = render_documents(make_document(), [DocumentPart.CONTRACT], template=load_clause_template(path))[0]
    text = " ".join(page_texts(pdf.data))
    assert "вносится авансом не позднее 10-го числа оплачиваемого месяца" in text
    assert "следующего за оплачиваемым" not in text
