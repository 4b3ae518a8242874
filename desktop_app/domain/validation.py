"""Checks of a program before it is saved or submitted for certification.

``validate_program`` returns every problem at once, each a Russian message tied to the path of the field it
concerns (``full_name``, ``modules[0].price``, ``modules[1].groups[0].schedule[2].ends_at``), so an editor
can show the message next to the field.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.domain.age import MAX_PROGRAM_AGE_MONTHS, MIN_PROGRAM_AGE_MONTHS
from desktop_app.domain.money import format_kopecks
from desktop_app.domain.program import Group, Module, Program, StudyForm

MAX_FULL_NAME_LENGTH = 500
MAX_SHORT_NAME_LENGTH = 150
MAX_DURATION_MONTHS = 120
DEFAULT_MAX_PRICE_PERCENT_OF_NORMATIVE = 100


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    message: str


@dataclass(frozen=True, slots=True)
class ValidationPolicy:
    """Regional settings the checks depend on."""

    max_price_percent_of_normative: int = DEFAULT_MAX_PRICE_PERCENT_OF_NORMATIVE
    """A module's price may not exceed this share of its normative cost (a regional setting)."""


def validate_program(program: Program, policy: ValidationPolicy | None = None) -> list[FieldError]:
    """All problems of a program, in the order of its fields; an empty list means it is valid."""
    policy = policy or ValidationPolicy()
    errors = _program_fields(program)
    if not program.modules:
        errors.append(FieldError("modules", "Добавьте хотя бы один модуль."))
    for index, module in enumerate(program.modules):
        errors.extend(_module_errors(module, f"modules[{index}]", policy))
    total_months = sum(module.months for module in program.modules)
    if program.modules and program.duration_months >= 1 and total_months > program.duration_months:
        errors.append(
            FieldError(
                "duration_months",
                f"Модули вместе длятся {total_months} мес., а программа — {program.duration_months} мес.",
            )
        )
    return errors


def _program_fields(program: Program) -> list[FieldError]:
    errors = []
    errors.extend(_text("full_name", program.full_name, "полное название программы", MAX_FULL_NAME_LENGTH))
    errors.extend(_text("short_name", program.short_name, "краткое название программы", MAX_SHORT_NAME_LENGTH))
    choices = (
        ("direction", program.direction, "Выберите направленность программы."),
        ("kind", program.kind, "Выберите вид программы."),
        ("form", program.form, "Выберите форму обучения."),
        ("level", program.level, "Выберите уровень программы."),
    )
    errors.extend(FieldError(name, message) for name, value, message in choices if value is None)
    errors.extend(_age_range_errors(program))
    if not 1 <= program.duration_months <= MAX_DURATION_MONTHS:
        errors.append(
            FieldError("duration_months", f"Продолжительность программы — от 1 до {MAX_DURATION_MONTHS} месяцев.")
        )
    needs_address = program.form in (StudyForm.FULL_TIME, StudyForm.MIXED)
    if needs_address and not any(address.strip() for address in program.addresses):
        errors.append(FieldError("addresses", "Укажите хотя бы один адрес, где проходят занятия."))
    return errors


def _text(name: str, value: str, what: str, max_length: int) -> list[FieldError]:
    if not value.strip():
        return [FieldError(name, f"Укажите {what}.")]
    if len(value) > max_length:
        return [FieldError(name, f"Слишком длинное {what}: не больше {max_length} символов.")]
    return []


def _age_range_errors(program: Program) -> list[FieldError]:
    age = program.age_range
    errors = []
    if age.from_months < MIN_PROGRAM_AGE_MONTHS:
        errors.append(FieldError("age_range.from_months", "Программа может принимать детей не младше 5 лет."))
    if age.to_months > MAX_PROGRAM_AGE_MONTHS:
        errors.append(FieldError("age_range.to_months", "Программа может принимать детей только до 18 лет."))
    if age.from_months >= age.to_months:
        errors.append(FieldError("age_range.to_months", "Возраст «до» должен быть больше возраста «от»."))
    return errors


def _module_errors(module: Module, path: str, policy: ValidationPolicy) -> list[FieldError]:
    errors = []
    if not module.name.strip():
        errors.append(FieldError(f"{path}.name", "Укажите название модуля."))
    if module.months < 1:
        errors.append(FieldError(f"{path}.months", "Модуль длится хотя бы один месяц."))
    if module.hours < 1:
        errors.append(FieldError(f"{path}.hours", "Укажите число часов модуля: хотя бы один час."))
    if module.min_group_size < 1:
        errors.append(FieldError(f"{path}.min_group_size", "Минимальный размер группы — хотя бы 1 человек."))
    if module.max_group_size < module.min_group_size:
        errors.append(FieldError(f"{path}.max_group_size", "Максимальный размер группы меньше минимального."))
    errors.extend(_price_errors(module, path, policy))
    for index, group in enumerate(module.groups):
        errors.extend(_group_errors(group, module, f"{path}.groups[{index}]"))
    return errors


def _price_errors(module: Module, path: str, policy: ValidationPolicy) -> list[FieldError]:
    if module.price < 0:
        return [FieldError(f"{path}.price", "Цена модуля не может быть отрицательной.")]
    if module.normative is None:
        return []
    percent = policy.max_price_percent_of_normative
    if module.price * 100 > module.normative * percent:
        limit = module.normative * percent // 100
        return [
            FieldError(
                f"{path}.price",
                f"Цена модуля {format_kopecks(module.price)} выше допустимой: не более {percent}\u00a0% "
                f"нормативной стоимости, то есть {format_kopecks(limit)}.",
            )
        ]
    return []


def _group_errors(group: Group, module: Module, path: str) -> list[FieldError]:
    errors = []
    if not group.name.strip():
        errors.append(FieldError(f"{path}.name", "Укажите название группы."))
    if not group.teacher.strip():
        errors.append(FieldError(f"{path}.teacher", "Укажите педагога группы."))
    if group.end_date < group.start_date:
        errors.append(FieldError(f"{path}.end_date", "Дата окончания занятий раньше даты начала."))
    if group.capacity < 1:
        errors.append(FieldError(f"{path}.capacity", "В группе должно быть хотя бы одно место."))
    elif group.capacity > module.max_group_size:
        errors.append(
            FieldError(
                f"{path}.capacity",
                f"Мест в группе больше, чем допускает модуль: не более {module.max_group_size}.",
            )
        )
    for index, entry in enumerate(group.schedule):
        if entry.ends_at <= entry.starts_at:
            errors.append(
                FieldError(f"{path}.schedule[{index}].ends_at", "Занятие должно заканчиваться позже, чем начинается.")
            )
    return errors
