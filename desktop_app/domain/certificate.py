"""Certificate numbers as a clerk types them or a barcode scanner sends them.

A certificate number is an opaque string of 10 digits (region 2 + payer 2 + 6 digits; no check digit is
known). People type it with spaces or dashes; a scanner types it and presses Enter; a clerk pastes it with a
newline. Everything else gets a message that says exactly what is wrong.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from desktop_app.domain.age import age_in_years, anniversary

CERTIFICATE_NUMBER_LENGTH = 10
ADULT_AGE_YEARS = 18

# Separators people and scanners put between digit groups.
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―−_.]+")
# Letters that look like a zero: Latin O, Cyrillic О, in either case.
_ZERO_LOOKALIKES = frozenset("OoОо")


class CertificateNumberProblem(enum.Enum):
    """What is wrong with a typed certificate number."""

    EMPTY = "empty"
    LETTER_O_FOR_ZERO = "letter_o_for_zero"
    LETTERS = "letters"
    BAD_CHARACTER = "bad_character"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"


class CertificateNumberError(ValueError):
    """A typed certificate number that cannot be a number; ``message`` is for the clerk."""

    def __init__(self, problem: CertificateNumberProblem, message: str) -> None:
        super().__init__(message)
        self.problem = problem
        self.message = message


def _digit_count_message(count: int) -> str:
    digits = _digits_phrase(count)
    if count < CERTIFICATE_NUMBER_LENGTH:
        return f"В номере сертификата {digits}, а нужно 10: проверьте, не пропущена ли цифра."
    return f"В номере сертификата {digits}, а нужно 10: проверьте, нет ли лишней цифры."


def _digits_phrase(count: int) -> str:
    if count % 100 in range(11, 15) or count % 10 in (0, 5, 6, 7, 8, 9):
        noun = "цифр"
    elif count % 10 == 1:
        noun = "цифра"
    else:
        noun = "цифры"
    return f"{count} {noun}"


def normalize_certificate_number(typed: str) -> str:
    """Return the 10 ASCII digits of a typed or scanned certificate number.

    Raises:
        CertificateNumberError: the text cannot be a certificate number; the message says why, in Russian.
    """
    compact = _SEPARATORS.sub("", typed)
    if not compact:
        raise CertificateNumberError(CertificateNumberProblem.EMPTY, "Введите номер сертификата.")
    if any(char in _ZERO_LOOKALIKES for char in compact) and all(
        (char.isascii() and char.isdigit()) or char in _ZERO_LOOKALIKES for char in compact
    ):
        raise CertificateNumberError(
            CertificateNumberProblem.LETTER_O_FOR_ZERO,
            "В номере сертификата буква «О» вместо нуля: номер состоит только из цифр.",
        )
    letters = [char for char in compact if char.isalpha()]
    if letters:
        shown = "".join(dict.fromkeys(letters))
        raise CertificateNumberError(
            CertificateNumberProblem.LETTERS,
            f"Номер сертификата состоит только из цифр, а в нём есть буквы: {shown}.",
        )
    strangers = [char for char in compact if not (char.isascii() and char.isdigit())]
    if strangers:
        raise CertificateNumberError(
            CertificateNumberProblem.BAD_CHARACTER,
            f"В номере сертификата недопустимый символ «{_printable(strangers[0])}»: номер состоит только из цифр.",
        )
    if len(compact) < CERTIFICATE_NUMBER_LENGTH:
        raise CertificateNumberError(CertificateNumberProblem.TOO_SHORT, _digit_count_message(len(compact)))
    if len(compact) > CERTIFICATE_NUMBER_LENGTH:
        raise CertificateNumberError(CertificateNumberProblem.TOO_LONG, _digit_count_message(len(compact)))
    return compact


def _printable(char: str) -> str:
    if unicodedata.category(char).startswith("C"):
        return f"U+{ord(char):04X}"
    return char


def normalize_surname(surname: str) -> str:
    """Fold a surname for comparison: case, «ё»/«е», spaces and the kind of dash do not matter."""
    folded = unicodedata.normalize("NFC", surname).casefold().replace("ё", "е")
    folded = re.sub(r"\s*[-‐‑‒–—―−]\s*", "-", folded)
    return " ".join(folded.split())


def certificate_lookup_key(mirror_key: bytes, number: str, surname: str) -> str:
    """The offline mirror's key of a certificate: HMAC-SHA256 of the number and the normalized surname.

    The key is issued per organization by the server, so the mirror of a stolen workstation cannot be
    matched against a list of children's names without it, and does not hold any names itself.
    """
    message = f"{number}|{normalize_surname(surname)}".encode()
    return hmac.new(mirror_key, message, hashlib.sha256).hexdigest()


class CertificateKind(enum.StrEnum):
    """Сертификат учёта (no money) or сертификат персонифицированного финансирования (with a nominal)."""

    ACCOUNTING = "accounting"
    FINANCING = "financing"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    CertificateKind.ACCOUNTING: "сертификат учёта",
    CertificateKind.FINANCING: "сертификат ПФ",
}


def certificate_expires_on(birth_date: date) -> date:
    """The day the certificate stops being valid: the child's 18th birthday."""
    return anniversary(birth_date, ADULT_AGE_YEARS)


def is_certificate_expired(birth_date: date, on: date) -> bool:
    """Whether the child is 18 or older on the given day (no new contract then)."""
    return age_in_years(birth_date, on) >= ADULT_AGE_YEARS


@dataclass(frozen=True, slots=True)
class CertificateRecord:
    """The offline mirror's view of one certificate: no names, only what a desk check needs.

    ``lookup_key`` is a keyed hash of (number, normalized surname) issued by the server, so a stolen
    workstation does not yield a registry of children.
    """

    lookup_key: str
    kind: CertificateKind
    birth_date: date
    frozen: bool
    balance_current: int
    balance_next: int
    payer_code: str
