"""Secrets of the workstation (the refresh token, later the database key) in the OS keyring.

The password is never stored. When the machine has no usable keyring, storing a secret raises
``KeyringUnavailable`` with a plain Russian explanation; there is no silent fallback to a file.
"""

from __future__ import annotations

from typing import Protocol

import keyring
import keyring.errors

from desktop_app.errors import ExpectedError

SERVICE_NAME = "pfdo-desktop"


class KeyringUnavailable(ExpectedError):  # noqa: N818 — named for what the user is told
    def __init__(self) -> None:
        super().__init__(
            "Системное хранилище паролей недоступно, поэтому «Запомнить меня» не сработает: "
            "при следующем запуске программа снова спросит пароль. Работать это не мешает."
        )


class SecretStore(Protocol):
    def get(self, name: str) -> str | None: ...

    def put(self, name: str, value: str) -> None: ...

    def delete(self, name: str) -> None: ...


class KeyringSecretStore:
    """Secrets in the OS keyring: Windows Credential Manager, Secret Service on Linux, macOS Keychain."""

    def __init__(self, service: str = SERVICE_NAME) -> None:
        self._service = service

    def get(self, name: str) -> str | None:
        try:
            return keyring.get_password(self._service, name)
        except keyring.errors.KeyringError as error:
            raise KeyringUnavailable from error

    def put(self, name: str, value: str) -> None:
        try:
            keyring.set_password(self._service, name, value)
        except keyring.errors.KeyringError as error:
            raise KeyringUnavailable from error
        if not keyring_usable():  # the ``null`` backend drops the secret without a word
            raise KeyringUnavailable

    def delete(self, name: str) -> None:
        try:
            keyring.delete_password(self._service, name)
        except keyring.errors.PasswordDeleteError:
            return
        except keyring.errors.KeyringError as error:
            raise KeyringUnavailable from error


class MemorySecretStore:
    """Secrets that live as long as the process: for tests, and for a session with no keyring."""

    def __init__(self) -> None:
        self._secrets: dict[str, str] = {}

    def get(self, name: str) -> str | None:
        return self._secrets.get(name)

    def put(self, name: str, value: str) -> None:
        self._secrets[name] = value

    def delete(self, name: str) -> None:
        self._secrets.pop(name, None)


def keyring_backend_name() -> str:
    """The keyring backend this machine would use, e.g. ``SecretService Keyring`` or ``fail Keyring``."""
    backend = keyring.get_keyring()
    return f"{type(backend).__module__}.{type(backend).__name__}"


def keyring_usable() -> bool:
    """Whether secrets can be stored at all (the ``fail`` and ``null`` backends cannot)."""
    module = type(keyring.get_keyring()).__module__
    return not module.endswith((".fail", ".null"))
