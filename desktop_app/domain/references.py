"""The organization's reference lists: teachers (педагоги) and addresses where lessons take place.

Both are the organization's own records, kept in sync with the server. An archived record leaves the lists
the clerk picks from but stays for history (old groups and schedules still name it).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

MAX_TEACHER_NAME_LENGTH = 500
MAX_CATEGORY_LENGTH = 100
MAX_ADDRESS_LENGTH = 500
MAX_NOTE_LENGTH = 500

QUALIFICATION_CATEGORIES = ("высшая", "первая", "без категории")
"""The usual qualification categories, offered as suggestions; the field is free text."""


@dataclass(frozen=True, slots=True)
class Teacher:
    id: uuid.UUID
    full_name: str
    category: str
    """Qualification category (квалификационная категория), free text: «высшая», «первая», «без категории»."""
    archived: bool = False


@dataclass(frozen=True, slots=True)
class Address:
    """A place where lessons take place (адрес проведения занятий)."""

    id: uuid.UUID
    text: str
    note: str = ""
    """A hint for people: entrance, floor, room."""
    archived: bool = False


def teacher_problems(teacher: Teacher) -> list[str]:
    """What is wrong with a teacher's fields, in Russian; an empty list means it can be saved."""
    problems = []
    if not teacher.full_name.strip():
        problems.append("Укажите ФИО педагога.")
    elif len(teacher.full_name) > MAX_TEACHER_NAME_LENGTH:
        problems.append(f"ФИО педагога длиннее {MAX_TEACHER_NAME_LENGTH} символов.")
    if len(teacher.category) > MAX_CATEGORY_LENGTH:
        problems.append(f"Квалификационная категория длиннее {MAX_CATEGORY_LENGTH} символов.")
    return problems


def address_problems(address: Address) -> list[str]:
    """What is wrong with an address's fields, in Russian; an empty list means it can be saved."""
    problems = []
    if not address.text.strip():
        problems.append("Укажите адрес проведения занятий.")
    elif len(address.text) > MAX_ADDRESS_LENGTH:
        problems.append(f"Адрес длиннее {MAX_ADDRESS_LENGTH} символов.")
    if len(address.note) > MAX_NOTE_LENGTH:
        problems.append(f"Примечание к адресу длиннее {MAX_NOTE_LENGTH} символов.")
    return problems
