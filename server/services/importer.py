"""Importing certificates from a registry export (CSV or XLSX): every row checked, then all or nothing.

Reading (``import_files.read_table``) and checking (``parse_certificates``) are pure functions that
return the good rows and every bad row with its line number and a Russian reason. ``import_certificates``
adds the checks against the registry and writes everything in the caller's transaction only when no row
is bad. Money is parsed from text with integer arithmetic («12 000,50» → 1200050 kopecks), never floats.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from desktop_app.domain.certificate import (
    CertificateKind,
    CertificateNumberError,
    is_certificate_expired,
    normalize_certificate_number,
)
from desktop_app.sync.protocol import ChangeEntity
from server.db.models import Certificate, CertificateBalance, Payer, Period
from server.services.audit import audit
from server.services.changes import record_change
from server.services.import_files import ImportFileError, Table, ValueProblem, parse_date, parse_kind, parse_roubles

MAX_NAME_LENGTH = 100
NUMBER_QUERY_CHUNK = 500
T = TypeVar("T")

FIELD_LABELS = {
    "number": "номер",
    "surname": "фамилия",
    "first_name": "имя",
    "patronymic": "отчество",
    "birth_date": "дата рождения",
    "kind": "вид",
    "payer_code": "код плательщика",
    "nominal": "номинал",
}
REQUIRED_FIELDS = ("number", "surname", "first_name", "birth_date", "kind", "payer_code")
COLUMN_ALIASES = {
    "number": ("номер", "номер сертификата", "сертификат", "number", "certificate_number", "certificate"),
    "surname": ("фамилия", "фамилия ребенка", "surname", "last_name"),
    "first_name": ("имя", "имя ребенка", "first_name"),
    "patronymic": ("отчество", "отчество ребенка", "patronymic", "middle_name"),
    "birth_date": ("дата рождения", "birth_date", "birthdate", "date_of_birth"),
    "kind": ("вид", "вид сертификата", "тип", "тип сертификата", "kind"),
    "payer_code": ("код плательщика", "плательщик", "payer_code", "payer"),
    "nominal": ("номинал", "номинал сертификата", "nominal"),
}
_HEADER_TO_FIELD = {alias: field for field, aliases in COLUMN_ALIASES.items() for alias in aliases}


@dataclass(frozen=True, slots=True)
class CertificateRow:
    """One good row of the file."""

    line: int
    number: str
    surname: str
    first_name: str
    patronymic: str
    birth_date: date
    kind: CertificateKind
    payer_code: str
    nominal: int
    """Kopecks; zero for a сертификат учёта."""


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    reasons: tuple[str, ...]

    @property
    def message(self) -> str:
        return f"строка {self.line}: {'; '.join(self.reasons)}"


@dataclass(frozen=True, slots=True)
class ParsedCertificates:
    rows: list[CertificateRow]
    errors: list[RowError]


def _normalize_header(cell: str) -> str:
    return " ".join(cell.replace("\ufeff", "").casefold().replace("ё", "е").split())


def map_columns(header: list[str]) -> dict[str, int]:
    """Which column holds which field.

    Raises:
        ImportFileError: a required column is missing, or one field has two columns.
    """
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = _normalize_header(cell)
        field = _HEADER_TO_FIELD.get(name) or _HEADER_TO_FIELD.get(re.sub(r"\s*[,(].*$", "", name))
        if field is None:
            continue
        if field in columns:
            raise ImportFileError(f"Столбец «{FIELD_LABELS[field]}» встречается в заголовке дважды.")
        columns[field] = index
    missing = [f"«{FIELD_LABELS[field]}»" for field in REQUIRED_FIELDS if field not in columns]
    if missing:
        expected = ", ".join(FIELD_LABELS.values())
        raise ImportFileError(
            f"В первой строке файла нет столбцов: {', '.join(missing)}. Ожидаются столбцы: {expected}."
        )
    return columns


def parse_certificates(table: Table, *, payer_codes: Collection[str], today: date) -> ParsedCertificates:
    """Check every line after the header; a number repeated in the file is an error on its later lines.

    Raises:
        ImportFileError: the file is empty or its header lacks required columns.
    """
    if not table:
        raise ImportFileError("Файл пуст: в нём нет ни заголовка, ни сертификатов.")
    (_header_line, header), *lines = table
    columns = map_columns(header)
    if not lines:
        raise ImportFileError("В файле только заголовок: сертификатов в нём нет.")
    rows: list[CertificateRow] = []
    errors: list[RowError] = []
    first_seen: dict[str, int] = {}
    for line, cells in lines:
        values = {field: cells[index] if index < len(cells) else "" for field, index in columns.items()}
        reasons: list[str] = []
        number = None
        if not values["number"].strip():
            reasons.append("не указан номер сертификата")
        else:
            number = _checked(reasons, partial(normalize_certificate_number, values["number"]))
        if number is not None:
            if number in first_seen:
                reasons.append(f"номер {number} уже был в строке {first_seen[number]}")
            first_seen.setdefault(number, line)
        row = _parse_row(line, number, values, payer_codes, today, reasons)
        if row is None:
            errors.append(RowError(line, tuple(reasons)))
        else:
            rows.append(row)
    return ParsedCertificates(rows, errors)


def _parse_row(
    line: int,
    number: str | None,
    values: dict[str, str],
    payer_codes: Collection[str],
    today: date,
    reasons: list[str],
) -> CertificateRow | None:
    """The row, or None with the reasons appended."""
    surname = _name(reasons, values["surname"], "фамилия", "не указана фамилия")
    first_name = _name(reasons, values["first_name"], "имя", "не указано имя")
    patronymic = " ".join(values.get("patronymic", "").split())
    if len(patronymic) > MAX_NAME_LENGTH:
        reasons.append(f"отчество длиннее {MAX_NAME_LENGTH} символов")
    birth_date = _birth_date(reasons, values["birth_date"], today)
    kind: CertificateKind | None = None
    if values["kind"]:
        kind = _checked(reasons, partial(parse_kind, values["kind"]))
    else:
        reasons.append("не указан вид сертификата (учёт или ПФ)")
    payer_code = _payer_code(reasons, values["payer_code"], payer_codes)
    nominal = _nominal(reasons, values.get("nominal", ""), kind)
    if reasons:
        return None
    assert number is not None and surname is not None and first_name is not None and birth_date is not None
    assert kind is not None and nominal is not None
    return CertificateRow(line, number, surname, first_name, patronymic, birth_date, kind, payer_code, nominal)


def _checked(reasons: list[str], parse: Callable[[], T], what: str = "") -> T | None:
    try:
        return parse()
    except (ValueProblem, CertificateNumberError) as problem:
        reasons.append(f"{what}{_clause(problem.message)}")
        return None


def _clause(message: str) -> str:
    """A sentence as a clause of a longer line: «В номере … цифры.» → «в номере … цифры»."""
    message = message.strip().removesuffix(".")
    if len(message) > 1 and message[1].islower():
        message = message[0].lower() + message[1:]
    return message


def _name(reasons: list[str], text: str, what: str, missing: str) -> str | None:
    name = " ".join(text.split())
    if not name:
        reasons.append(missing)
        return None
    if len(name) > MAX_NAME_LENGTH:
        reasons.append(f"{what} длиннее {MAX_NAME_LENGTH} символов")
        return None
    return name


def _birth_date(reasons: list[str], text: str, today: date) -> date | None:
    if not text.strip():
        reasons.append("не указана дата рождения")
        return None
    born = _checked(reasons, partial(parse_date, text), "дата рождения: ")
    if born is None:
        return None
    if born > today:
        reasons.append(f"дата рождения {born:%d.%m.%Y} ещё не наступила")
        return None
    if is_certificate_expired(born, today):
        reasons.append(f"ребёнку (дата рождения {born:%d.%m.%Y}) уже исполнилось 18 лет")
        return None
    return born


def _payer_code(reasons: list[str], text: str, payer_codes: Collection[str]) -> str:
    code = text.strip()
    code = code.zfill(2) if code.isdigit() else code
    if not code:
        reasons.append("не указан код плательщика")
    elif code not in payer_codes:
        reasons.append(f"плательщик с кодом «{code}» не найден")
    return code


def _nominal(reasons: list[str], text: str, kind: CertificateKind | None) -> int | None:
    if not text.strip():
        if kind is CertificateKind.FINANCING:
            reasons.append("не указан номинал сертификата ПФ")
            return None
        return 0
    nominal = _checked(reasons, partial(parse_roubles, text), "номинал: ")
    if nominal and kind is CertificateKind.ACCOUNTING:
        reasons.append("у сертификата учёта нет номинала: укажите 0 или оставьте пустым")
        return None
    return nominal


# ---------------------------------------------------------------- the database


@dataclass(frozen=True, slots=True)
class ImportResult:
    imported: int
    financing: int
    errors: list[RowError]


def import_certificates(
    session: Session, table: Table, *, period: Period, now: datetime, today: date, source: str
) -> ImportResult:
    """Check the table against the registry too; write everything only when no row is bad.

    On success every certificate gets a balance in ``period`` (nominal = balance, no reserve) and a change
    for its payer's mirrors, and one audit entry records the import.

    Raises:
        ImportFileError: the file as a whole cannot be a certificate table.
    """
    payers = {payer.code: payer.id for payer in session.scalars(select(Payer))}
    parsed = parse_certificates(table, payer_codes=payers.keys(), today=today)
    errors = list(parsed.errors)
    known = existing_numbers(session, (row.number for row in parsed.rows))
    errors.extend(
        RowError(row.line, (f"сертификат {row.number} уже есть в реестре",))
        for row in parsed.rows
        if row.number in known
    )
    if errors:
        return ImportResult(0, 0, sorted(errors, key=lambda error: error.line))
    certificates: list[dict[str, Any]] = []
    balances: list[dict[str, Any]] = []
    changes: list[tuple[uuid.UUID, uuid.UUID]] = []
    for row in parsed.rows:
        certificate_id = uuid.uuid4()
        certificates.append(
            {
                "id": certificate_id,
                "number": row.number,
                "surname": row.surname,
                "first_name": row.first_name,
                "patronymic": row.patronymic,
                "birth_date": row.birth_date,
                "kind": row.kind.value,
                "payer_id": payers[row.payer_code],
                "frozen": False,
                "created_at": now,
                "updated_at": now,
            }
        )
        balances.append(
            {
                "id": uuid.uuid4(),
                "certificate_id": certificate_id,
                "period_id": period.id,
                "nominal": row.nominal,
                "balance": row.nominal,
                "reserve": 0,
            }
        )
        changes.append((certificate_id, payers[row.payer_code]))
    if certificates:
        session.execute(insert(Certificate), certificates)
        session.execute(insert(CertificateBalance), balances)
    for certificate_id, payer_id in changes:
        record_change(session, now=now, entity=ChangeEntity.CERTIFICATE, entity_id=certificate_id, payer_id=payer_id)
    financing = sum(1 for row in parsed.rows if row.kind is CertificateKind.FINANCING)
    audit(
        session,
        at=now,
        action="certificate.import",
        entity="certificate_import",
        entity_id=source,
        details={"count": len(parsed.rows), "financing": financing, "period": period.code},
    )
    return ImportResult(len(parsed.rows), financing, [])


def existing_numbers(session: Session, numbers: Iterable[str]) -> set[str]:
    """Which of these certificate numbers the registry already holds."""
    wanted = list(dict.fromkeys(numbers))
    found: set[str] = set()
    for start in range(0, len(wanted), NUMBER_QUERY_CHUNK):
        chunk = wanted[start : start + NUMBER_QUERY_CHUNK]
        found.update(session.scalars(select(Certificate.number).where(Certificate.number.in_(chunk))))
    return found
