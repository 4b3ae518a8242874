"""Checking a certificate at the desk: online through the server, offline through the local mirror.

Offline the mirror is looked up by the keyed hash of the number and the surname (the mirror holds no
names), and the answer says how old its data is. The child's contracts with this organization come from
the local database either way.

A clerk with a queue must not wait for a connection attempt on every check: once the server cannot be
reached, checks go straight to the mirror for ``KNOWN_OFFLINE_S``. The first check after that asks the
server again, and so does the first one after a sync that reached the server (the mirror's sync time moved).
Only a lost connection opens the window: a busy server (429) or a missing sign-in does not.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from desktop_app.domain.certificate import (
    CertificateKind,
    CertificateRecord,
    certificate_lookup_key,
    is_certificate_expired,
    normalize_certificate_number,
)
from desktop_app.domain.contract import Contract
from desktop_app.errors import ExpectedError
from desktop_app.services.session import NotSignedIn, SessionService
from desktop_app.storage.database import Database
from desktop_app.sync.client import ServerBusy, ServerUnavailable
from desktop_app.sync.protocol import CertificateCheckResponse

NOT_FOUND = "Сертификат не найден или фамилия не совпадает."
NO_CONNECTION = "нет связи с сервером"
SERVER_BUSY = "сервер просит подождать с проверками, повторите через минуту"
NOT_SIGNED_IN = "вход на сервер не выполнен"
KNOWN_OFFLINE_S = 30.0
"""After a check found no connection, the next checks use the mirror without asking the server this long."""
NO_MIRROR = (
    "Нет связи с сервером, а данных для проверки без связи на этом компьютере ещё нет: "
    "нужна хотя бы одна синхронизация после входа в систему."
)


class CertificateState(enum.StrEnum):
    VALID = "valid"
    FROZEN = "frozen"
    EXPIRED = "expired"

    @property
    def label(self) -> str:
        return {"valid": "действует", "frozen": "заморожен", "expired": "истёк (ребёнку 18 лет)"}[self.value]


class CertificateNotFound(ExpectedError):  # noqa: N818 — what the clerk is told
    def __init__(self) -> None:
        super().__init__(NOT_FOUND)


@dataclass(frozen=True, slots=True)
class CertificateCheck:
    number: str
    surname: str
    child_full_name: str | None
    """Known online; offline the mirror holds no names."""
    birth_date: date
    kind: CertificateKind
    state: CertificateState
    balance_current: int
    balance_next: int
    agreement_active: bool | None
    """None offline: the mirror has certificates of agreed payers only, but cannot say more."""
    contracts: tuple[Contract, ...]
    offline: bool
    as_of: datetime | None
    """Offline: when the mirror was last synced."""
    offline_reason: str = ""
    """Offline: why the server was not asked, for the clerk («нет связи с сервером»)."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class _MirrorAnswer:
    last_synced_at: datetime | None
    record: CertificateRecord | None
    contracts: tuple[Contract, ...]


class CertificateService:
    def __init__(
        self,
        database: Database,
        session: SessionService,
        now: Callable[[], datetime] = _utc_now,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._database = database
        self._session = session
        self._now = now
        self._monotonic = monotonic
        self._offline_until: float | None = None
        """While ``monotonic()`` is below this, checks go straight to the mirror (the server was out of reach)."""
        self._offline_synced_at: datetime | None = None
        """The mirror's last sync when the server was found out of reach: a later one means it is back."""

    def check(self, typed_number: str, surname: str, today: date) -> CertificateCheck:
        """Check a certificate as typed or scanned.

        Raises:
            CertificateNumberError: the number cannot be a certificate number (the message says why).
            CertificateNotFound: no such certificate, or the surname does not match (one answer for both).
            ExpectedError: offline with no mirror to look in.
        """
        number = normalize_certificate_number(typed_number)
        surname = surname.strip()
        if not surname:
            raise ExpectedError("Введите фамилию ребёнка: без неё сертификат не проверить.")
        if self._offline_until is not None and self._monotonic() < self._offline_until:
            mirror = self._look_up(number, surname)
            if mirror.last_synced_at == self._offline_synced_at:
                return self._offline(mirror, number, surname, today, NO_CONNECTION)
            # a sync has reached the server since: ask it again
        self._offline_until = None
        try:
            answer = self._session.authorized(
                lambda token: self._session.client().check_certificate(token, number, surname)
            )
        except ServerBusy:
            return self._offline(self._look_up(number, surname), number, surname, today, SERVER_BUSY)
        except ServerUnavailable:
            self._offline_until = self._monotonic() + KNOWN_OFFLINE_S
            self._offline_synced_at = None
            mirror = self._look_up(number, surname)
            self._offline_synced_at = mirror.last_synced_at
            return self._offline(mirror, number, surname, today, NO_CONNECTION)
        except NotSignedIn:
            return self._offline(self._look_up(number, surname), number, surname, today, NOT_SIGNED_IN)
        if answer is None:
            raise CertificateNotFound
        return self._online(answer, surname)

    def _online(self, answer: CertificateCheckResponse, surname: str) -> CertificateCheck:
        with self._database.read_rows() as reads:
            contracts = tuple(reads.contracts_of_certificate(answer.number))
        return CertificateCheck(
            number=answer.number,
            surname=surname,
            child_full_name=answer.child_full_name,
            birth_date=answer.birth_date,
            kind=CertificateKind(answer.kind),
            state=CertificateState(answer.state.value),
            balance_current=answer.current_period.available if answer.current_period else 0,
            balance_next=answer.next_period.available if answer.next_period else 0,
            agreement_active=answer.agreement_active,
            contracts=contracts,
            offline=False,
            as_of=answer.checked_at,
        )

    def _look_up(self, number: str, surname: str) -> _MirrorAnswer:
        """The mirror's entry and the child's contracts, in one read transaction."""
        key = self._session.mirror_key
        if key is None:
            raise ExpectedError(NO_MIRROR)
        with self._database.read_rows() as reads:
            found = reads.certificate(certificate_lookup_key(key, number, surname))
            contracts = () if found.record is None else tuple(reads.contracts_of_certificate(number))
        return _MirrorAnswer(found.last_synced_at, found.record, contracts)

    def _offline(self, mirror: _MirrorAnswer, number: str, surname: str, today: date, reason: str) -> CertificateCheck:
        record = mirror.record
        if mirror.last_synced_at is None:
            raise ExpectedError(NO_MIRROR)
        if record is None:
            raise CertificateNotFound
        if record.frozen:
            certificate_state = CertificateState.FROZEN
        elif is_certificate_expired(record.birth_date, today):
            certificate_state = CertificateState.EXPIRED
        else:
            certificate_state = CertificateState.VALID
        return CertificateCheck(
            number=number,
            surname=surname,
            child_full_name=None,
            birth_date=record.birth_date,
            kind=record.kind,
            state=certificate_state,
            balance_current=record.balance_current,
            balance_next=record.balance_next,
            agreement_active=None,
            contracts=mirror.contracts,
            offline=True,
            as_of=mirror.last_synced_at,
            offline_reason=reason,
        )
