"""Who is signed in at this workstation, and the tokens that prove it to the server.

Sign-in exchanges the password for a short-lived access token (kept in memory only) and a rotating refresh
token. With «Запомнить меня» the refresh token goes to the OS keyring — never the password — so the next
start works offline and signs in silently when the server is back. Every rotation stores the new token at
once: an old one presented later would look stolen and end the session. With no usable keyring, the
session still works; only the next start asks for the password again.
"""

from __future__ import annotations

import dataclasses
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from desktop_app.credentials import KeyringUnavailable, SecretStore
from desktop_app.errors import ExpectedError
from desktop_app.settings import RememberedUser, Settings, load_settings, save_settings
from desktop_app.storage.database import Database
from desktop_app.sync.client import AccessExpired, ServerClient, SessionExpired
from desktop_app.sync.protocol import TokenPair, UserInfo

log = logging.getLogger(__name__)

T = TypeVar("T")

ACCESS_MARGIN_S = 30
"""Refresh the access token this long before it expires, so a request never carries a dying token."""


class NotSignedIn(ExpectedError):  # noqa: N818 — named for the clerk's situation
    def __init__(self) -> None:
        super().__init__("Войдите в систему, чтобы обмениваться данными с сервером.")


class WrongOrganization(ExpectedError):  # noqa: N818
    def __init__(self, organization_name: str) -> None:
        super().__init__(
            f"Данные на этом компьютере принадлежат другой организации; пользователь организации "
            f"«{organization_name}» не может работать с ними. Обратитесь к администратору."
        )


@dataclass(frozen=True, slots=True)
class SignedInUser:
    username: str
    full_name: str
    organization_id: uuid.UUID
    organization_name: str
    role: str


@dataclass(frozen=True, slots=True)
class SignInResult:
    user: SignedInUser
    warning: str | None
    """Said to the clerk after signing in, e.g. that the keyring is unavailable and nothing is remembered."""


class SessionService:
    """The signed-in user and the token source of the sync engine (``access_token`` / ``drop_access``)."""

    def __init__(
        self,
        settings_file: Path,
        database: Database,
        secrets: SecretStore,
        make_client: Callable[[str], ServerClient],
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._settings_file = settings_file
        self._database = database
        self._secrets = secrets
        self._make_client = make_client
        self._monotonic = monotonic
        self._client: ServerClient | None = None
        self._user: SignedInUser | None = None
        self._refresh_token: str | None = None
        self._access_token: str | None = None
        self._access_valid_until = 0.0
        self._mirror_key: bytes | None = None
        self._remember = False

    # ------------------------------------------------------------ state

    @property
    def user(self) -> SignedInUser | None:
        return self._user

    @property
    def role(self) -> str | None:
        return self._user.role if self._user else None

    @property
    def server_url(self) -> str | None:
        return self._settings().server_url

    @property
    def mirror_key(self) -> bytes | None:
        """The organization's key of the offline certificate mirror, once known in this session."""
        return self._mirror_key

    def client(self) -> ServerClient:
        if self._client is None:
            server_url = self.server_url
            if not server_url:
                raise NotSignedIn
            self._client = self._make_client(server_url)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    # ------------------------------------------------------------ sign in and out

    def sign_in(self, server_url: str, username: str, password: str, *, remember: bool) -> SignInResult:
        """Sign in with the password.

        Raises:
            WrongCredentials, ServerUnavailable, ProtocolUnsupported, WrongOrganization: with their messages.
        """
        settings = self._settings()
        if settings.server_url != server_url:
            self.close()
            settings = dataclasses.replace(settings, server_url=server_url)
        settings = self._with_device_id(settings)
        save_settings(self._settings_file, settings)
        pair = self.client().login(username, password, uuid.UUID(settings.device_id))
        self._claim_database(pair.user)
        self._accept(pair)
        self._remember = remember
        warning = self._remember_or_forget(pair, remember)
        return SignInResult(user=self._user_from(pair.user), warning=warning)

    def restore(self) -> SignedInUser | None:
        """Resume a remembered session, without the network: the refresh token waits for the next sync."""
        settings = self._settings()
        remembered = settings.remembered_user
        if remembered is None or not settings.server_url:
            return None
        try:
            token = self._secrets.get(_refresh_name(settings.server_url, remembered.username))
            mirror_key = self._secrets.get(_mirror_name(settings.server_url, remembered.organization_id))
        except KeyringUnavailable:
            log.warning("keyring unavailable: the remembered session cannot be resumed")
            return None
        if token is None:
            return None
        self._refresh_token = token
        self._mirror_key = bytes.fromhex(mirror_key) if mirror_key else None
        self._remember = True
        self._user = SignedInUser(
            username=remembered.username,
            full_name=remembered.full_name,
            organization_id=uuid.UUID(remembered.organization_id),
            organization_name=remembered.organization_name,
            role=remembered.role,
        )
        return self._user

    def sign_out(self) -> None:
        """Forget the session here (keyring included) and tell the server, if it can be reached."""
        settings = self._settings()
        token, user = self._refresh_token, self._user
        if token is not None and self._client is not None:
            try:
                self._client.logout(token)
            except ExpectedError as error:
                log.info("logout not delivered to the server: %s", error.user_message)
        if user is not None and settings.server_url:
            self._forget(settings.server_url, user.username, str(user.organization_id))
        save_settings(self._settings_file, dataclasses.replace(settings, remembered_user=None))
        self._user = None
        self._refresh_token = None
        self._access_token = None
        self._mirror_key = None

    # ------------------------------------------------------------ tokens for the sync engine

    def access_token(self) -> str:
        """A valid access token, refreshed with the refresh token when needed.

        Raises:
            NotSignedIn: nobody is signed in.
            SessionExpired: the refresh token was refused; the password is needed again.
            ServerUnavailable: the server cannot be reached to refresh.
        """
        if self._access_token is not None and self._monotonic() < self._access_valid_until:
            return self._access_token
        if self._refresh_token is None or self._user is None:
            raise NotSignedIn
        settings = self._with_device_id(self._settings())
        try:
            pair = self.client().refresh(self._refresh_token, uuid.UUID(settings.device_id))
        except SessionExpired:
            self._refresh_token = None
            self._access_token = None
            raise
        self._accept(pair)
        if self._remember:
            self._remember_or_forget(pair, remember=True)
        return pair.access_token

    def drop_access(self) -> None:
        """The server refused the access token (``AccessExpired``): the next call refreshes it."""
        self._access_token = None

    def authorized(self, call: Callable[[str], T]) -> T:
        """Run ``call(access_token)``; if the server says the token expired, refresh once and repeat."""
        try:
            return call(self.access_token())
        except AccessExpired:
            self.drop_access()
            return call(self.access_token())

    # ------------------------------------------------------------ internals

    def _settings(self) -> Settings:
        return load_settings(self._settings_file)

    def _with_device_id(self, settings: Settings) -> Settings:
        if settings.device_id is None:
            settings = dataclasses.replace(settings, device_id=str(uuid.uuid4()))
            save_settings(self._settings_file, settings)
        return settings

    def _claim_database(self, user: UserInfo) -> None:
        """The local database belongs to one organization: the first sign-in claims it."""
        if user.organization_id is None:
            raise ExpectedError("Учётная запись оператора не предназначена для работы в АРМ организации.")
        with self._database.write() as work:
            state = work.sync_state.get()
            if state.organization_id is None:
                work.sync_state.save(dataclasses.replace(state, organization_id=user.organization_id))
            elif state.organization_id != user.organization_id:
                raise WrongOrganization(user.organization_name or "")

    def _accept(self, pair: TokenPair) -> None:
        self._access_token = pair.access_token
        self._access_valid_until = self._monotonic() + max(pair.access_expires_in - ACCESS_MARGIN_S, 1)
        self._refresh_token = pair.refresh_token
        self._mirror_key = bytes.fromhex(pair.mirror_key) if pair.mirror_key else self._mirror_key
        self._user = self._user_from(pair.user)

    def _remember_or_forget(self, pair: TokenPair, remember: bool) -> str | None:
        settings = self._settings()
        assert settings.server_url is not None
        user = pair.user
        organization_id = str(user.organization_id)
        if not remember:
            self._forget(settings.server_url, user.username, organization_id)
            save_settings(self._settings_file, dataclasses.replace(settings, remembered_user=None))
            return None
        try:
            self._secrets.put(_refresh_name(settings.server_url, user.username), pair.refresh_token)
            if pair.mirror_key:
                self._secrets.put(_mirror_name(settings.server_url, organization_id), pair.mirror_key)
        except KeyringUnavailable as error:
            self._remember = False
            return error.user_message
        remembered = RememberedUser(
            username=user.username,
            user_id=str(user.id),
            full_name=user.full_name,
            role=user.role.value,
            organization_id=organization_id,
            organization_name=user.organization_name or "",
        )
        save_settings(self._settings_file, dataclasses.replace(settings, remembered_user=remembered))
        return None

    def _forget(self, server_url: str, username: str, organization_id: str) -> None:
        try:
            self._secrets.delete(_refresh_name(server_url, username))
            self._secrets.delete(_mirror_name(server_url, organization_id))
        except KeyringUnavailable:
            log.info("keyring unavailable: nothing to forget there")

    @staticmethod
    def _user_from(user: UserInfo) -> SignedInUser:
        assert user.organization_id is not None
        return SignedInUser(
            username=user.username,
            full_name=user.full_name,
            organization_id=user.organization_id,
            organization_name=user.organization_name or "",
            role=user.role.value,
        )


def _refresh_name(server_url: str, username: str) -> str:
    return f"refresh-token:{server_url}:{username}"


def _mirror_name(server_url: str, organization_id: str) -> str:
    return f"mirror-key:{server_url}:{organization_id}"
