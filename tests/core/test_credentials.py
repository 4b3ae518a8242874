"""Tests of desktop_app.credentials: secrets in the keyring, the in-memory store, and no keyring at all."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import keyring
import keyring.errors
import pytest
from keyring.backends import fail, null

from desktop_app.credentials import (
    SERVICE_NAME,
    KeyringSecretStore,
    KeyringUnavailable,
    MemorySecretStore,
    SecretStore,
    keyring_backend_name,
    keyring_usable,
)
from desktop_app.errors import ExpectedError, as_expected
from tests.core.russian import assert_russian
from tests.helpers.memory_keyring import MemoryKeyring

STORES: dict[str, Callable[[], SecretStore]] = {"keyring": KeyringSecretStore, "memory": MemorySecretStore}


@pytest.mark.parametrize("make_store", STORES.values(), ids=STORES.keys())
def test_put_get_delete(make_store: Callable[[], SecretStore]) -> None:
    store = make_store()
    assert store.get("refresh_token") is None
    store.put("refresh_token", "токен-1")
    store.put("database_key", "ключ")
    assert store.get("refresh_token") == "токен-1"
    store.put("refresh_token", "токен-2")  # a rotated token replaces the old one
    assert store.get("refresh_token") == "токен-2"
    store.delete("refresh_token")
    assert store.get("refresh_token") is None
    assert store.get("database_key") == "ключ"


@pytest.mark.parametrize("make_store", STORES.values(), ids=STORES.keys())
def test_delete_of_missing_secret_is_fine(make_store: Callable[[], SecretStore]) -> None:
    store = make_store()
    store.delete("never-stored")
    assert store.get("never-stored") is None


def test_keyring_store_writes_to_the_keyring_under_its_service(memory_keyring: MemoryKeyring) -> None:
    KeyringSecretStore().put("refresh_token", "секрет")
    KeyringSecretStore("other-service").put("refresh_token", "другой")
    assert memory_keyring.get_password(SERVICE_NAME, "refresh_token") == "секрет"
    assert memory_keyring.get_password("other-service", "refresh_token") == "другой"
    KeyringSecretStore().delete("refresh_token")
    assert memory_keyring.get_password(SERVICE_NAME, "refresh_token") is None
    assert memory_keyring.get_password("other-service", "refresh_token") == "другой"


def test_delete_tolerates_backend_that_refuses_missing_secret(memory_keyring: MemoryKeyring) -> None:
    class StrictKeyring(MemoryKeyring):
        def delete_password(self, service: str, username: str) -> None:
            raise keyring.errors.PasswordDeleteError("not found")

    keyring.set_keyring(StrictKeyring())
    KeyringSecretStore().delete("never-stored")


def _assert_keyring_unavailable(error: KeyringUnavailable) -> None:
    assert isinstance(error, ExpectedError)
    assert as_expected(error) is error
    assert "«Запомнить меня»" in error.user_message
    assert_russian(error.user_message)


def test_failing_keyring_raises_keyring_unavailable() -> None:
    keyring.set_keyring(fail.Keyring())
    store = KeyringSecretStore()
    with pytest.raises(KeyringUnavailable) as put_error:
        store.put("refresh_token", "секрет")
    _assert_keyring_unavailable(put_error.value)
    assert isinstance(put_error.value.__cause__, keyring.errors.NoKeyringError)
    with pytest.raises(KeyringUnavailable) as get_error:
        store.get("refresh_token")
    _assert_keyring_unavailable(get_error.value)
    with pytest.raises(KeyringUnavailable):  # no raw English keyring error escapes
        store.delete("refresh_token")


def test_null_keyring_does_not_swallow_secret_silently() -> None:
    keyring.set_keyring(null.Keyring())
    store = KeyringSecretStore()
    with pytest.raises(KeyringUnavailable) as error:
        store.put("refresh_token", "секрет")
    _assert_keyring_unavailable(error.value)
    assert store.get("refresh_token") is None


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()], ids=["fail", "null"])
def test_keyring_not_usable(backend: keyring.backend.KeyringBackend) -> None:
    keyring.set_keyring(backend)
    assert not keyring_usable()
    assert keyring_backend_name() == f"keyring.backends.{type(backend).__module__.rsplit('.', 1)[1]}.Keyring"


def test_memory_keyring_is_usable() -> None:
    assert keyring_usable()
    assert keyring_backend_name() == "tests.helpers.memory_keyring.MemoryKeyring"


def test_memory_store_works_without_keyring() -> None:
    keyring.set_keyring(fail.Keyring())
    store = MemorySecretStore()
    store.put("refresh_token", "секрет")
    assert store.get("refresh_token") == "секрет"
    assert MemorySecretStore().get("refresh_token") is None  # nothing shared between stores


def test_nothing_is_written_to_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("HOME", "USERPROFILE", "APPDATA", "LOCALAPPDATA"):
        monkeypatch.setenv(variable, str(tmp_path))
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR"):
        monkeypatch.setenv(variable, str(tmp_path / variable.lower()))
    monkeypatch.chdir(tmp_path)

    memory = MemorySecretStore()
    memory.put("refresh_token", "секрет")
    assert memory.get("refresh_token") == "секрет"
    memory.delete("refresh_token")

    for backend in (fail.Keyring(), null.Keyring()):
        keyring.set_keyring(backend)
        store = KeyringSecretStore()
        with pytest.raises(KeyringUnavailable):
            store.put("refresh_token", "секрет")
        if isinstance(backend, fail.Keyring):
            with pytest.raises(KeyringUnavailable):
                store.get("refresh_token")
        else:
            assert store.get("refresh_token") is None

    assert list(tmp_path.rglob("*")) == []
