"""Tests of desktop_app.domain.validation: each rule of validate_program, one field path and message apiece."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import date, time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain.age import AgeRange
from desktop_app.domain.program import (
    Direction,
    Group,
    Level,
    Module,
    Program,
    ProgramKind,
    ScheduleEntry,
    StudyForm,
    Weekday,
)
from desktop_app.domain.validation import FieldError, ValidationPolicy, validate_program

NBSP = "\u00a0"


def _id(number: int) -> uuid.UUID:
    return uuid.UUID(int=number)


def make_group(number: int, name: str) -> Group:
    """A valid group of 12 places with two weekly lessons."""
    return Group(
        id=_id(100 + number),
        name=name,
        teacher="Петрова Анна Сергеевна",
        start_date=date(2025, 9, 1),
        end_date=date(2026, 5, 31),
        capacity=12,
        schedule=(
            ScheduleEntry(
                id=_id(200 + 2 * number),
                weekday=Weekday.MONDAY,
                starts_at=time(15, 0),
                ends_at=time(15, 45),
                room="каб. 12",
                address="г. Кемерово, ул. Весенняя, 5",
            ),
            ScheduleEntry(
                id=_id(201 + 2 * number),
                weekday=Weekday.THURSDAY,
                starts_at=time(16, 0),
                ends_at=time(16, 45),
                room="каб. 12",
                address="г. Кемерово, ул. Весенняя, 5",
            ),
        ),
    )


def make_module(number: int, name: str) -> Module:
    """A valid nine-month module of 72 hours, 5 to 15 children, priced at 90 % of the normative cost."""
    return Module(
        id=_id(10 + number),
        name=name,
        months=9,
        hours=72,
        min_group_size=5,
        max_group_size=15,
        price=900_000,
        teacher_qualification="высшее педагогическое",
        normative=1_000_000,
        groups=(make_group(2 * number, "Группа 1"), make_group(2 * number + 1, "Группа 2")),
    )


def make_program() -> Program:
    """A valid full-time program of two nine-month modules, each with two groups of two lessons a week."""
    return Program(
        id=_id(1),
        full_name="Робототехника: от простых механизмов к программируемым моделям",
        short_name="Робототехника",
        direction=Direction.TECHNICAL,
        kind=ProgramKind.GENERAL_DEVELOPMENTAL,
        form=StudyForm.FULL_TIME,
        level=Level.BASIC,
        age_range=AgeRange.from_years(7, 12),
        duration_months=18,
        annotation="Конструирование и программирование роботов.",
        addresses=("г. Кемерово, ул. Весенняя, 5",),
        modules=(make_module(0, "Первый год обучения"), make_module(1, "Второй год обучения")),
    )


def change_module(program: Program, index: int, **changes: Any) -> Program:
    """The program with one module changed."""
    modules = list(program.modules)
    modules[index] = replace(modules[index], **changes)
    return replace(program, modules=tuple(modules))


def change_group(program: Program, module_index: int, group_index: int, **changes: Any) -> Program:
    """The program with one group of one module changed."""
    groups = list(program.modules[module_index].groups)
    groups[group_index] = replace(groups[group_index], **changes)
    return change_module(program, module_index, groups=tuple(groups))


def change_entry(program: Program, module_index: int, group_index: int, entry_index: int, **changes: Any) -> Program:
    """The program with one schedule entry of one group changed."""
    entries = list(program.modules[module_index].groups[group_index].schedule)
    entries[entry_index] = replace(entries[entry_index], **changes)
    return change_group(program, module_index, group_index, schedule=tuple(entries))


Change = Callable[[Program], Program]


def program_change(**changes: Any) -> Change:
    return lambda program: replace(program, **changes)


def module_change(index: int, **changes: Any) -> Change:
    return lambda program: change_module(program, index, **changes)


def group_change(module_index: int, group_index: int, **changes: Any) -> Change:
    return lambda program: change_group(program, module_index, group_index, **changes)


def entry_change(module_index: int, group_index: int, entry_index: int, **changes: Any) -> Change:
    return lambda program: change_entry(program, module_index, group_index, entry_index, **changes)


# ---------------------------------------------------------------- the fixture itself


def test_valid_program_has_no_errors() -> None:
    program = make_program()
    assert len(program.modules) == 2
    assert all(len(module.groups) == 2 for module in program.modules)
    assert all(len(group.schedule) == 2 for module in program.modules for group in module.groups)
    assert validate_program(program) == []
    assert validate_program(program, ValidationPolicy()) == []


def test_default_policy_allows_price_up_to_the_normative() -> None:
    assert ValidationPolicy().max_price_percent_of_normative == 100


# ---------------------------------------------------------------- one rule, one error

RULES = [
    pytest.param(
        program_change(full_name=""),
        FieldError("full_name", "Укажите полное название программы."),
        id="full-name-empty",
    ),
    pytest.param(
        program_change(full_name=" \t "),
        FieldError("full_name", "Укажите полное название программы."),
        id="full-name-blank",
    ),
    pytest.param(
        program_change(full_name="я" * 501),
        FieldError("full_name", "Слишком длинное полное название программы: не больше 500 символов."),
        id="full-name-too-long",
    ),
    pytest.param(
        program_change(short_name=""),
        FieldError("short_name", "Укажите краткое название программы."),
        id="short-name-empty",
    ),
    pytest.param(
        program_change(short_name="я" * 151),
        FieldError("short_name", "Слишком длинное краткое название программы: не больше 150 символов."),
        id="short-name-too-long",
    ),
    pytest.param(
        program_change(direction=None),
        FieldError("direction", "Выберите направленность программы."),
        id="direction-none",
    ),
    pytest.param(program_change(kind=None), FieldError("kind", "Выберите вид программы."), id="kind-none"),
    pytest.param(program_change(form=None), FieldError("form", "Выберите форму обучения."), id="form-none"),
    pytest.param(program_change(level=None), FieldError("level", "Выберите уровень программы."), id="level-none"),
    pytest.param(
        program_change(age_range=AgeRange(59, 144)),
        FieldError("age_range.from_months", "Программа может принимать детей не младше 5 лет."),
        id="age-below-5",
    ),
    pytest.param(
        program_change(age_range=AgeRange(84, 217)),
        FieldError("age_range.to_months", "Программа может принимать детей только до 18 лет."),
        id="age-above-18",
    ),
    pytest.param(
        program_change(age_range=AgeRange(120, 120)),
        FieldError("age_range.to_months", "Возраст «до» должен быть больше возраста «от»."),
        id="age-from-equals-to",
    ),
    pytest.param(
        program_change(age_range=AgeRange(144, 96)),
        FieldError("age_range.to_months", "Возраст «до» должен быть больше возраста «от»."),
        id="age-from-above-to",
    ),
    pytest.param(
        program_change(duration_months=0),
        FieldError("duration_months", "Продолжительность программы — от 1 до 120 месяцев."),
        id="duration-zero",
    ),
    pytest.param(
        program_change(duration_months=121),
        FieldError("duration_months", "Продолжительность программы — от 1 до 120 месяцев."),
        id="duration-above-120",
    ),
    pytest.param(
        program_change(duration_months=17),
        FieldError("duration_months", "Модули вместе длятся 18 мес., а программа — 17 мес."),
        id="modules-longer-than-program",
    ),
    pytest.param(
        program_change(modules=()),
        FieldError("modules", "Добавьте хотя бы один модуль."),
        id="no-modules",
    ),
    pytest.param(
        program_change(addresses=()),
        FieldError("addresses", "Укажите хотя бы один адрес, где проходят занятия."),
        id="full-time-without-address",
    ),
    pytest.param(
        program_change(addresses=("", "   ")),
        FieldError("addresses", "Укажите хотя бы один адрес, где проходят занятия."),
        id="full-time-blank-addresses",
    ),
    pytest.param(
        program_change(form=StudyForm.MIXED, addresses=()),
        FieldError("addresses", "Укажите хотя бы один адрес, где проходят занятия."),
        id="mixed-without-address",
    ),
    pytest.param(
        module_change(1, name=""),
        FieldError("modules[1].name", "Укажите название модуля."),
        id="module-name-empty",
    ),
    pytest.param(
        module_change(0, name="  "),
        FieldError("modules[0].name", "Укажите название модуля."),
        id="module-name-blank",
    ),
    pytest.param(
        module_change(0, months=0),
        FieldError("modules[0].months", "Модуль длится хотя бы один месяц."),
        id="module-months-zero",
    ),
    pytest.param(
        module_change(1, hours=0),
        FieldError("modules[1].hours", "Укажите число часов модуля: хотя бы один час."),
        id="module-hours-zero",
    ),
    pytest.param(
        module_change(0, min_group_size=0),
        FieldError("modules[0].min_group_size", "Минимальный размер группы — хотя бы 1 человек."),
        id="module-min-group-zero",
    ),
    pytest.param(
        module_change(1, min_group_size=14, max_group_size=13),
        FieldError("modules[1].max_group_size", "Максимальный размер группы меньше минимального."),
        id="module-max-below-min",
    ),
    pytest.param(
        module_change(0, price=-1),
        FieldError("modules[0].price", "Цена модуля не может быть отрицательной."),
        id="module-price-negative",
    ),
    pytest.param(
        module_change(1, price=1_000_001),
        FieldError(
            "modules[1].price",
            f"Цена модуля 10{NBSP}000,01{NBSP}₽ выше допустимой: не более 100{NBSP}% нормативной стоимости, "
            f"то есть 10{NBSP}000,00{NBSP}₽.",
        ),
        id="module-price-above-normative",
    ),
    pytest.param(
        group_change(0, 1, name=""),
        FieldError("modules[0].groups[1].name", "Укажите название группы."),
        id="group-name-empty",
    ),
    pytest.param(
        group_change(1, 0, teacher=" "),
        FieldError("modules[1].groups[0].teacher", "Укажите педагога группы."),
        id="group-teacher-empty",
    ),
    pytest.param(
        group_change(1, 1, end_date=date(2025, 8, 31)),
        FieldError("modules[1].groups[1].end_date", "Дата окончания занятий раньше даты начала."),
        id="group-end-before-start",
    ),
    pytest.param(
        group_change(0, 0, capacity=0),
        FieldError("modules[0].groups[0].capacity", "В группе должно быть хотя бы одно место."),
        id="group-capacity-zero",
    ),
    pytest.param(
        group_change(0, 1, capacity=16),
        FieldError("modules[0].groups[1].capacity", "Мест в группе больше, чем допускает модуль: не более 15."),
        id="group-capacity-above-module-max",
    ),
    pytest.param(
        entry_change(1, 0, 1, ends_at=time(16, 0)),
        FieldError("modules[1].groups[0].schedule[1].ends_at", "Занятие должно заканчиваться позже, чем начинается."),
        id="schedule-ends-when-it-starts",
    ),
    pytest.param(
        entry_change(0, 1, 0, ends_at=time(14, 0)),
        FieldError("modules[0].groups[1].schedule[0].ends_at", "Занятие должно заканчиваться позже, чем начинается."),
        id="schedule-ends-before-start",
    ),
]


@pytest.mark.parametrize(("change", "error"), RULES)
def test_each_rule_yields_exactly_its_error(change: Change, error: FieldError) -> None:
    assert validate_program(change(make_program())) == [error]


# ---------------------------------------------------------------- limits that are fine

FINE = [
    pytest.param(program_change(full_name="я" * 500), id="full-name-500"),
    pytest.param(program_change(short_name="я" * 150), id="short-name-150"),
    pytest.param(program_change(age_range=AgeRange.from_years(5, 18)), id="age-5-to-18"),
    pytest.param(program_change(age_range=AgeRange(60, 61)), id="age-one-month-wide"),
    pytest.param(program_change(duration_months=120), id="duration-120"),
    pytest.param(
        lambda program: replace(program, duration_months=1, modules=(replace(program.modules[0], months=1),)),
        id="duration-1-one-module",
    ),
    pytest.param(program_change(form=StudyForm.CORRESPONDENCE, addresses=()), id="correspondence-no-address"),
    pytest.param(program_change(addresses=("", "г. Кемерово, пр. Ленина, 1")), id="one-real-address"),
    pytest.param(module_change(0, price=1_000_000), id="price-equal-to-normative"),
    pytest.param(module_change(0, price=0), id="price-zero"),
    pytest.param(module_change(0, normative=None, price=999_999_999), id="no-normative-no-limit"),
    pytest.param(module_change(1, min_group_size=15, max_group_size=15), id="min-equals-max"),
    pytest.param(module_change(0, min_group_size=1, max_group_size=12), id="max-equals-capacity"),
    pytest.param(group_change(0, 0, capacity=15), id="capacity-equals-module-max"),
    pytest.param(group_change(0, 0, capacity=1), id="capacity-one"),
    pytest.param(group_change(0, 0, end_date=date(2025, 9, 1)), id="one-day-group"),
    pytest.param(group_change(1, 1, schedule=()), id="group-without-schedule"),
    pytest.param(module_change(1, groups=()), id="module-without-groups"),
    pytest.param(entry_change(0, 0, 0, ends_at=time(15, 1)), id="one-minute-lesson"),
]


@pytest.mark.parametrize("change", FINE)
def test_limits_that_are_fine(change: Change) -> None:
    assert validate_program(change(make_program())) == []


# ---------------------------------------------------------------- the price policy


@pytest.mark.parametrize(
    ("price", "percent", "errors"),
    [
        pytest.param(1_200_000, 120, [], id="120-at-limit"),
        pytest.param(1_100_000, 120, [], id="120-below-limit"),
        pytest.param(
            1_200_001,
            120,
            [
                FieldError(
                    "modules[0].price",
                    f"Цена модуля 12{NBSP}000,01{NBSP}₽ выше допустимой: не более 120{NBSP}% нормативной "
                    f"стоимости, то есть 12{NBSP}000,00{NBSP}₽.",
                )
            ],
            id="120-above-limit",
        ),
        pytest.param(800_000, 80, [], id="80-at-limit"),
        pytest.param(
            900_000,
            80,
            [
                FieldError(
                    "modules[0].price",
                    f"Цена модуля 9{NBSP}000,00{NBSP}₽ выше допустимой: не более 80{NBSP}% нормативной "
                    f"стоимости, то есть 8{NBSP}000,00{NBSP}₽.",
                )
            ],
            id="80-above-limit",
        ),
    ],
)
def test_custom_price_policy(price: int, percent: int, errors: list[FieldError]) -> None:
    program = change_module(make_program(), 0, price=price)
    program = change_module(program, 1, price=0)
    policy = ValidationPolicy(max_price_percent_of_normative=percent)
    assert validate_program(program, policy) == errors


def test_price_limit_message_shows_the_rounded_down_limit() -> None:
    # 12 345 kopecks at 100 %: the shown limit is the normative itself.
    program = change_module(make_program(), 0, normative=12_345, price=12_346)
    assert validate_program(program) == [
        FieldError(
            "modules[0].price",
            f"Цена модуля 123,46{NBSP}₽ выше допустимой: не более 100{NBSP}% нормативной стоимости, "
            f"то есть 123,45{NBSP}₽.",
        )
    ]


@settings(max_examples=150, deadline=None)
@given(
    normative=st.integers(min_value=0, max_value=10**9),
    percent=st.integers(min_value=1, max_value=300),
    price=st.integers(min_value=0, max_value=3 * 10**9),
)
def test_price_limit_is_exact_integer_share(normative: int, percent: int, price: int) -> None:
    program = change_module(make_program(), 0, normative=normative, price=price)
    program = change_module(program, 1, normative=None)
    errors = validate_program(program, ValidationPolicy(max_price_percent_of_normative=percent))
    if price * 100 <= normative * percent:
        assert errors == []
    else:
        assert [error.field for error in errors] == ["modules[0].price"]
        assert errors[0].message.startswith("Цена модуля ")
        assert f"не более {percent}{NBSP}% нормативной стоимости" in errors[0].message


# ---------------------------------------------------------------- several problems at once


def test_all_problems_are_reported_in_field_order() -> None:
    program = make_program()
    program = replace(program, full_name="", level=None, age_range=AgeRange(48, 48), duration_months=10)
    program = change_module(program, 0, hours=0, price=-5)
    program = change_group(program, 0, 1, capacity=0)
    program = change_entry(program, 1, 1, 0, ends_at=time(14, 0))
    assert validate_program(program) == [
        FieldError("full_name", "Укажите полное название программы."),
        FieldError("level", "Выберите уровень программы."),
        FieldError("age_range.from_months", "Программа может принимать детей не младше 5 лет."),
        FieldError("age_range.to_months", "Возраст «до» должен быть больше возраста «от»."),
        FieldError("modules[0].hours", "Укажите число часов модуля: хотя бы один час."),
        FieldError("modules[0].price", "Цена модуля не может быть отрицательной."),
        FieldError("modules[0].groups[1].capacity", "В группе должно быть хотя бы одно место."),
        FieldError("modules[1].groups[1].schedule[0].ends_at", "Занятие должно заканчиваться позже, чем начинается."),
        FieldError("duration_months", "Модули вместе длятся 18 мес., а программа — 10 мес."),
    ]


def test_zero_duration_does_not_also_complain_about_module_months() -> None:
    errors = validate_program(replace(make_program(), duration_months=0))
    assert [error.field for error in errors] == ["duration_months"]


def test_no_modules_and_no_form_means_no_address_error() -> None:
    program = replace(make_program(), form=None, addresses=(), modules=())
    assert validate_program(program) == [
        FieldError("form", "Выберите форму обучения."),
        FieldError("modules", "Добавьте хотя бы один модуль."),
    ]


def test_capacity_is_checked_against_the_groups_own_module() -> None:
    program = change_module(make_program(), 1, max_group_size=12)
    assert validate_program(program) == []
    program = change_module(program, 1, max_group_size=11)
    assert validate_program(program) == [
        FieldError("modules[1].groups[0].capacity", "Мест в группе больше, чем допускает модуль: не более 11."),
        FieldError("modules[1].groups[1].capacity", "Мест в группе больше, чем допускает модуль: не более 11."),
    ]
