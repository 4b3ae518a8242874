"""The contract's clauses as an editable text template (``resources/templates/contract_clauses.txt``).

An organization admin edits the wording (payment terms, say) without touching code. The format:

- a line starting with ``#`` is a comment and is not printed;
- a line starting with ``==`` is a section heading;
- paragraphs are separated by a blank line; the lines of one paragraph are joined with a space;
- ``{имя}`` is replaced by the contract's data; ``{{`` and ``}}`` print a brace;
- ``{график_платежей}`` stands alone in its paragraph and becomes the monthly payment table.

Loading checks the template: a broken brace, an unknown placeholder or a missing required one raises a
``TemplateError`` (an expected error with a Russian message naming the problem and its line).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from desktop_app.errors import ExpectedError
from desktop_app.paths import resources_dir
from reports.formatting import capitalize_first

TEMPLATE_FILE_NAME = "contract_clauses.txt"
PAYMENT_TABLE = "график_платежей"
"""The placeholder that becomes the payment schedule table; it must stand alone in its paragraph."""

# name → what it is, as the admin reads it; ``True`` marks the ones a contract cannot do without
# (ПП РФ № 1441 and DOMAIN.md «What the printed contract contains»).
PLACEHOLDERS: dict[str, tuple[str, bool]] = {
    "договор_номер": ("номер договора", False),
    "договор_дата": ("дата договора", False),
    "место": ("место заключения договора", False),
    "организация_полное_наименование": ("полное наименование организации", True),
    "организация_краткое_наименование": ("сокращённое наименование организации", False),
    "лицензия_номер": ("номер лицензии", True),
    "лицензия_дата": ("дата предоставления лицензии", True),
    "лицензия_орган": ("орган, выдавший лицензию", True),
    "подписант_должность": ("должность подписанта организации", True),
    "подписант_фио": ("ФИО подписанта организации", True),
    "подписант_основание": ("документ, на основании которого действует подписант", True),
    "заказчик_фио": ("ФИО родителя (законного представителя)", True),
    "заказчик_адрес": ("адрес родителя", False),
    "заказчик_телефон": ("телефон родителя", False),
    "обучающийся_фио": ("ФИО ребёнка", True),
    "обучающийся_дата_рождения": ("дата рождения ребёнка", True),
    "обучающийся_адрес": ("адрес ребёнка", False),
    "сертификат_номер": ("номер сертификата", True),
    "программа_наименование": ("полное название программы", True),
    "программа_вид": ("вид программы", True),
    "программа_направленность": ("направленность программы", True),
    "программа_уровень": ("уровень программы", True),
    "форма_обучения": ("форма обучения", True),
    "программа_срок": ("срок освоения программы", True),
    "модуль_наименование": ("название модуля", True),
    "модуль_часы": ("объём модуля в часах", True),
    "дата_начала": ("дата начала обучения по договору", True),
    "дата_окончания": ("дата окончания обучения по договору", True),
    "группа": ("название группы", True),
    "педагог": ("педагог группы", False),
    "расписание": ("расписание занятий группы", True),
    "адрес_занятий": ("адреса проведения занятий", False),
    "документ_об_обучении": ("документ, выдаваемый после обучения", True),
    "стоимость_цифрами": ("полная стоимость цифрами", True),
    "стоимость_прописью": ("полная стоимость прописью", True),
    "сертификат_цифрами": ("оплата за счёт сертификата цифрами", True),
    "сертификат_прописью": ("оплата за счёт сертификата прописью", False),
    "доплата_цифрами": ("доплата родителя цифрами", True),
    "доплата_прописью": ("доплата родителя прописью", False),
    "оплата_до_числа": ("число месяца, до которого вносится оплата", True),
    "уполномоченная_организация": ("уполномоченная организация (плательщик)", True),
    "соглашение_номер": ("номер соглашения с уполномоченной организацией", True),
    "соглашение_дата": ("дата соглашения с уполномоченной организацией", True),
    PAYMENT_TABLE: ("таблица графика платежей", True),
}

BlockKind = Literal["heading", "paragraph", "payment_table"]

_NAME = re.compile(r"[а-яёa-z0-9_]+")
_SENTENCE_END = re.compile(r"(^|[.!?])\s*$")


class TemplateError(ExpectedError):
    """The contract template cannot be used; the message names the problem (and the line) in Russian."""


class TemplateSyntaxError(TemplateError):
    """A brace that is not closed or not opened, or a placeholder with a malformed name."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class UnknownPlaceholderError(TemplateError):
    """Placeholders the program does not know (usually misspelt)."""

    def __init__(self, message: str, placeholders: tuple[str, ...]) -> None:
        super().__init__(message)
        self.placeholders = placeholders


class MissingPlaceholderError(TemplateError):
    """Required placeholders the template lacks."""

    def __init__(self, message: str, placeholders: tuple[str, ...]) -> None:
        super().__init__(message)
        self.placeholders = placeholders


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of a paragraph: literal text, or a placeholder to fill (then ``text`` is its name)."""

    text: str
    is_placeholder: bool
    line: int


@dataclass(frozen=True, slots=True)
class Block:
    """A heading, a paragraph or the payment table, as written in the template."""

    kind: BlockKind
    segments: tuple[Segment, ...]
    line: int


@dataclass(frozen=True, slots=True)
class FilledBlock:
    """A block with its placeholders replaced: plain text (not markup) ready to be printed."""

    kind: BlockKind
    text: str


@dataclass(frozen=True, slots=True)
class ClauseTemplate:
    """A checked template; ``fill`` turns it into the contract's text."""

    source: str
    blocks: tuple[Block, ...]

    def fill(self, values: Mapping[str, str]) -> list[FilledBlock]:
        """Replace the placeholders. A value that starts a sentence gets a capital first letter.

        Raises:
            KeyError: a placeholder the template has is absent from ``values`` (a bug: the loader checked
                the names, the caller provides them all).
        """
        filled = []
        for block in self.blocks:
            if block.kind == "payment_table":
                filled.append(FilledBlock(block.kind, ""))
                continue
            text = ""
            after_value = False
            for segment in block.segments:
                if segment.is_placeholder:
                    value = values[segment.text]
                    text += capitalize_first(value) if _SENTENCE_END.search(text) else value
                else:
                    literal = segment.text
                    if after_value and literal.startswith(".") and text.endswith("."):
                        literal = literal[1:]  # «… по 31 мая 2027 г.» ends the sentence with its own full stop
                    text += literal
                after_value = segment.is_placeholder
            filled.append(FilledBlock(block.kind, text))
        return filled


def default_template_path() -> Path:
    return resources_dir() / "templates" / TEMPLATE_FILE_NAME


def load_clause_template(path: Path | None = None) -> ClauseTemplate:
    """Read and check a template file (the bundled one by default).

    Raises:
        TemplateError: the file is missing, unreadable, or the template is broken.
    """
    path = path or default_template_path()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise TemplateError(f"Не найден файл шаблона договора: {path}.") from None
    except UnicodeDecodeError:
        raise TemplateError(
            f"Файл шаблона договора «{path.name}» не в кодировке UTF-8: сохраните его в UTF-8."
        ) from None
    return parse_clause_template(text, source=path.name)


def parse_clause_template(text: str, source: str = TEMPLATE_FILE_NAME) -> ClauseTemplate:
    """Parse and check template text.

    Raises:
        TemplateSyntaxError: a brace is not balanced or a placeholder name is malformed.
        UnknownPlaceholderError: a placeholder the program does not know.
        MissingPlaceholderError: a required placeholder is absent.
    """
    blocks = tuple(_blocks(text, source))
    used = [segment for block in blocks for segment in block.segments if segment.is_placeholder]
    unknown = [segment for segment in used if segment.text not in PLACEHOLDERS]
    if unknown:
        names = tuple(dict.fromkeys(segment.text for segment in unknown))
        listed = ", ".join(f"{{{segment.text}}} (строка {segment.line})" for segment in unknown)
        noun = "неизвестная подстановка" if len(unknown) == 1 else "неизвестные подстановки"
        raise UnknownPlaceholderError(
            f"В шаблоне договора «{source}» {noun}: {listed}. Проверьте написание: "
            "список допустимых подстановок — в начале файла шаблона.",
            names,
        )
    present = {segment.text for segment in used}
    missing = tuple(name for name, (_, required) in PLACEHOLDERS.items() if required and name not in present)
    if missing:
        listed = ", ".join(f"{{{name}}} ({PLACEHOLDERS[name][0]})" for name in missing)
        single = len(missing) == 1
        noun = "обязательной подстановки" if single else "обязательных подстановок"
        pronoun = "неё" if single else "них"
        raise MissingPlaceholderError(
            f"В шаблоне договора «{source}» нет {noun}: {listed}. Без {pronoun} договор не содержит "
            f"сведений, которые обязан содержать; добавьте {'её' if single else 'их'} в текст договора.",
            missing,
        )
    return ClauseTemplate(source=source, blocks=blocks)


def _blocks(text: str, source: str) -> list[Block]:
    blocks: list[Block] = []
    lines: list[tuple[int, str]] = []

    def flush() -> None:
        if lines:
            blocks.append(_paragraph(lines, source))
            lines.clear()

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("#"):
            continue
        if not line:
            flush()
        elif line.startswith("=="):
            flush()
            blocks.append(Block("heading", tuple(_segments(line.lstrip("=").strip(), number, source)), number))
        else:
            lines.append((number, line))
    flush()
    return blocks


def _paragraph(lines: list[tuple[int, str]], source: str) -> Block:
    segments: list[Segment] = []
    for index, (number, line) in enumerate(lines):
        if index:
            segments.append(Segment(" ", is_placeholder=False, line=number))
        segments.extend(_segments(line, number, source))
    first_line = lines[0][0]
    table = [segment for segment in segments if segment.is_placeholder and segment.text == PAYMENT_TABLE]
    if table:
        alone = len(segments) == 1
        if not alone:
            raise TemplateSyntaxError(
                f"Шаблон договора «{source}», строка {table[0].line}: подстановка {{{PAYMENT_TABLE}}} — это "
                "таблица, она должна стоять в отдельном абзаце (отделите её пустыми строками).",
                table[0].line,
            )
        return Block("payment_table", tuple(segments), first_line)
    return Block("paragraph", tuple(segments), first_line)


def _segments(line: str, number: int, source: str) -> list[Segment]:
    """Split a line into literal text and placeholders, checking the braces."""
    segments: list[Segment] = []
    literal = ""
    position = 0
    while position < len(line):
        char = line[position]
        pair = line[position : position + 2]
        if pair in ("{{", "}}"):
            literal += char
            position += 2
        elif char == "}":
            raise TemplateSyntaxError(
                f"Шаблон договора «{source}», строка {number}: лишняя закрывающая фигурная скобка «}}». "
                "Подстановка записывается как {имя}; чтобы напечатать саму скобку, удвойте её: «}}».",
                number,
            )
        elif char == "{":
            end = line.find("}", position + 1)
            nested = line.find("{", position + 1)
            if end == -1 or (nested != -1 and nested < end):
                raise TemplateSyntaxError(
                    f"Шаблон договора «{source}», строка {number}: фигурная скобка «{{» не закрыта. "
                    "Подстановка записывается как {имя} в одной строке; чтобы напечатать саму скобку, "
                    "удвойте её: «{{».",
                    number,
                )
            name = line[position + 1 : end]
            if not _NAME.fullmatch(name):
                raise TemplateSyntaxError(
                    f"Шаблон договора «{source}», строка {number}: «{{{name}}}» — недопустимое имя подстановки: "
                    "используйте строчные буквы, цифры и знак подчёркивания без пробелов, например "
                    "{стоимость_прописью}.",
                    number,
                )
            if literal:
                segments.append(Segment(literal, is_placeholder=False, line=number))
                literal = ""
            segments.append(Segment(name, is_placeholder=True, line=number))
            position = end + 1
        else:
            literal += char
            position += 1
    if literal:
        segments.append(Segment(literal, is_placeholder=False, line=number))
    return segments
