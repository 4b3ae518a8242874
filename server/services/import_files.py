"""Reading a registry export (CSV or XLSX) into numbered lines of text, and the values people type in it.

Amounts are parsed from text with integer arithmetic («12 000,50» → 1200050 kopecks), never with floats.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped]

from desktop_app.domain.certificate import CertificateKind

MAX_KOPECKS = 10**12
_AMOUNT = re.compile(r"(\d+)(?:[.,](\d{1,2}))?")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_RUSSIAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


class ImportFileError(Exception):
    """The file cannot be read as a certificate table at all; ``message`` is Russian."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValueProblem(ValueError):  # noqa: N818 — a reason the operator reads, not a bug
    """One cell that cannot be understood; ``message`` is Russian."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


Table = list[tuple[int, list[str]]]
"""Non-empty lines of a file as (line number, cells as text); the first one is the header."""


def read_table(path: Path) -> Table:
    """The non-empty lines of a CSV (UTF-8, «;» or «,») or XLSX file, with their line numbers.

    Raises:
        ImportFileError: the file is missing, unreadable, or of another format.
    """
    suffix = path.suffix.casefold()
    if not path.is_file():
        raise ImportFileError(f"Файл «{path}» не найден.")
    try:
        if suffix in (".csv", ".txt"):
            return _read_csv(path.read_bytes())
        if suffix in (".xlsx", ".xlsm"):
            return _read_xlsx(path)
    except PermissionError as error:
        raise ImportFileError(f"Нет прав на чтение файла «{path}».") from error
    except OSError as error:
        raise ImportFileError(f"Не удалось прочитать файл «{path}»: {error.strerror or error}.") from error
    raise ImportFileError(f"Формат файла «{path.name}» не поддерживается: сохраните его как CSV (UTF-8) или XLSX.")


def _read_csv(data: bytes) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFileError(
            f"Файл не в кодировке UTF-8 (строка {line}): сохраните его как «CSV UTF-8 (разделитель — точка с запятой)»."
        ) from error
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table: Table = []
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                table.append((reader.line_num, [cell.strip() for cell in cells]))
    except csv.Error as error:
        raise ImportFileError(f"Файл не читается как CSV (строка {reader.line_num}): {error}.") from error
    return table


def _read_xlsx(path: Path) -> Table:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ImportFileError(f"Файл «{path.name}» не читается как XLSX: возможно, он повреждён.") from error
    try:
        sheet = workbook.worksheets[0]
        table: Table = []
        for line, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
            cells = [_cell_text(value) for value in values]
            if any(cells):
                table.append((line, cells))
        return table
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the text a person would read in it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float):
        # Numbers typed in a spreadsheet: the shortest text that gives this float back is what was typed.
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    return str(value).strip()


def parse_roubles(text: str) -> int:
    """Roubles as people type them («12000», «12 000,50», «12000.5 ₽») → kopecks, in integer arithmetic.

    Raises:
        ValueProblem: not an amount, negative, more than two digits of kopecks, or absurdly large.
    """
    compact = re.sub(r"[\s\u00a0\u202f]", "", text).removesuffix("₽").removesuffix("руб.").removesuffix("руб")
    if compact.startswith(("-", "−")):
        raise ValueProblem("сумма не может быть отрицательной")
    match = _AMOUNT.fullmatch(compact)
    if match is None:
        raise ValueProblem(f"«{text.strip()}» — не сумма в рублях (пишите, например, 12000 или 12000,50)")
    kopecks = int(match[1]) * 100 + int((match[2] or "0").ljust(2, "0"))
    if kopecks > MAX_KOPECKS:
        raise ValueProblem(f"слишком большая сумма «{text.strip()}»")
    return kopecks


def parse_date(text: str) -> date:
    """A date written ДД.ММ.ГГГГ or ГГГГ-ММ-ДД.

    Raises:
        ValueProblem: the text is not a date in either form, or there is no such day.
    """
    compact = text.strip()
    iso = _ISO_DATE.fullmatch(compact)
    russian = _RUSSIAN_DATE.fullmatch(compact)
    if iso is not None:
        year, month, day = (int(part) for part in iso.groups())
    elif russian is not None:
        day, month, year = (int(part) for part in russian.groups())
    else:
        raise ValueProblem(f"«{compact}» — не дата (пишите ДД.ММ.ГГГГ, например 01.09.2015)")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueProblem(f"даты «{compact}» не бывает") from None


def parse_kind(text: str) -> CertificateKind:
    """«учёт», «сертификат учёта», «ПФ», «персонифицированного финансирования», or the English names."""
    folded = " ".join(text.casefold().replace("ё", "е").split())
    if folded in ("accounting", "учет") or "учет" in folded:
        return CertificateKind.ACCOUNTING
    if folded in ("financing", "пф") or "финансир" in folded or folded.endswith(" пф"):
        return CertificateKind.FINANCING
    raise ValueProblem(f"неизвестный вид сертификата «{text.strip()}» (нужно «учёт» или «ПФ»)")
