"""Secrets of the workstation: the real Secret Service keeps a refresh token; no password or token ever
lands in a file under the data folder; with no keyring, signing in warns in Russian and writes nothing.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import httpx2
import keyring
import keyring.backends.fail
import pytest

from desktop_app.bootstrap import AppContext, build_context, configure_logging
from desktop_app.credentials import KeyringSecretStore, KeyringUnavailable
from desktop_app.paths import AppPaths
from desktop_app.progress import TaskControl
from desktop_app.settings import load_settings
from desktop_app.sync.client import ServerClient
from tests.server.conftest import LiveServer
from tests.server.world import PASSWORD, World

INSTALL_HINT = "run tools/install-system-deps.sh as root (Debian packages dbus and gnome-keyring)"
KEYRING_PASSWORD = "pw"
REFRESH_TOKEN = "rt_3q9Vx-секрет-не-JWT_Zk8"
TOKEN_NAME = "refresh-token:https://pfdo.example.ru:clerk_a"

TOKEN_PATHS = {"/api/v1/auth/login", "/api/v1/auth/refresh"}

SECRET_SERVICE_SCRIPT = textwrap.dedent(
    """
    import json
    import os
    import sys

    import keyring
    from keyring.backends.SecretService import Keyring

    from desktop_app.credentials import KeyringSecretStore, keyring_backend_name, keyring_usable

    keyring.set_keyring(Keyring())
    store = KeyringSecretStore(os.environ["PFDO_TEST_SERVICE"])
    name = os.environ["PFDO_TEST_NAME"]
    step = sys.argv[1]
    if step == "put":
        store.put(name, os.environ["PFDO_TEST_TOKEN"])
    elif step == "delete":
        store.delete(name)
    print(json.dumps({"step": step, "backend": keyring_backend_name(), "usable": keyring_usable(),
                      "value": store.get(name)}))
    """
)


def _require(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        pytest.fail(f"{program} is missing, so the real Secret Service cannot be tested: {INSTALL_HINT}")
    return path


def test_a_refresh_token_is_kept_by_the_real_secret_service(tmp_path: Path) -> None:
    """gnome-keyring on a private D-Bus session: put, then get and delete from other processes."""
    dbus_run_session = _require("dbus-run-session")
    _require("gnome-keyring-daemon")
    script = tmp_path / "secret_service_steps.py"
    script.write_text(SECRET_SERVICE_SCRIPT, encoding="utf-8")
    home = tmp_path / "home"
    runtime = tmp_path / "runtime"
    for folder in (home, runtime):
        folder.mkdir(mode=0o700)
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHON_KEYRING_BACKEND", "DBUS_SESSION_BUS_ADDRESS"} and not key.startswith("XDG_")
    }
    environment |= {
        # A keyring of the test's own: never the machine's.
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_RUNTIME_DIR": str(runtime),
        "PFDO_PYTHON": sys.executable,
        "PFDO_SCRIPT": str(script),
        "PFDO_TEST_SERVICE": "pfdo-desktop-test",
        "PFDO_TEST_NAME": TOKEN_NAME,
        "PFDO_TEST_TOKEN": REFRESH_TOKEN,
    }
    steps = " && ".join(f'"$PFDO_PYTHON" "$PFDO_SCRIPT" {step}' for step in ("put", "get", "delete"))
    command = f"echo -n {KEYRING_PASSWORD} | gnome-keyring-daemon --unlock --components=secrets >/dev/null; {steps}"

    done = subprocess.run(
        [dbus_run_session, "--", "sh", "-c", command],
        env=environment,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, f"exit code {done.returncode}\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    results = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert [result["step"] for result in results] == ["put", "get", "delete"], done.stdout
    assert {result["backend"] for result in results} == {"keyring.backends.SecretService.Keyring"}
    assert all(result["usable"] for result in results)
    assert results[0]["value"] == REFRESH_TOKEN, "the token was not stored"
    assert results[1]["value"] == REFRESH_TOKEN, "another process did not find the token in the Secret Service"
    assert results[2]["value"] is None, "the token was not deleted"


# ---------------------------------------------------------------- nothing secret on disk


class TokenRecorder(httpx2.BaseTransport):
    """The real network, noting every token and key the server hands out, to look for them on disk later."""

    def __init__(self) -> None:
        self.secrets: set[str] = set()
        self._inner = httpx2.HTTPTransport()

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        response = self._inner.handle_request(request)
        if request.url.path in TOKEN_PATHS and response.status_code == 200:
            body = json.loads(response.read())
            self.secrets |= {body[key] for key in ("access_token", "refresh_token", "mirror_key") if body.get(key)}
        return response

    def close(self) -> None:
        self._inner.close()


class WatchedSecrets:
    """An in-memory secret store that shows what it holds."""

    def __init__(self) -> None:
        self.held: dict[str, str] = {}

    def get(self, name: str) -> str | None:
        return self.held.get(name)

    def put(self, name: str, value: str) -> None:
        self.held[name] = value

    def delete(self, name: str) -> None:
        self.held.pop(name, None)


def secret_forms(secret: str) -> list[bytes]:
    """The ways a secret could sit in a file: UTF-8, UTF-16, or escaped in JSON."""
    return [secret.encode(), secret.encode("utf-16-le"), json.dumps(secret)[1:-1].encode()]


def files_holding(folder: Path, secrets: set[str]) -> list[str]:
    """Every (file, secret) pair where a file under the folder contains the secret, in any form."""
    found = []
    files = [path for path in sorted(folder.rglob("*")) if path.is_file()]
    assert files, f"nothing was written under {folder}"
    for path in files:
        content = path.read_bytes()
        for secret in secrets:
            if any(form in content for form in secret_forms(secret)):
                found.append(f"{path.relative_to(folder)}: {secret[:12]}…")
    return found


@pytest.fixture
def logged_paths(tmp_path: Path) -> Iterator[AppPaths]:
    """A data folder whose log file receives the program's log, as when it runs for real."""
    paths = AppPaths(tmp_path / "data")
    root = logging.getLogger()
    level, before = root.level, list(root.handlers)
    configure_logging(paths)
    yield paths
    for handler in root.handlers:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def open_workstation(
    paths: AppPaths, secrets: WatchedSecrets | KeyringSecretStore, network: TokenRecorder
) -> AppContext:
    return build_context(paths.data_dir, secrets=secrets, make_client=lambda url: ServerClient(url, transport=network))


def test_no_password_or_token_is_ever_written_under_the_data_folder(
    logged_paths: AppPaths, live_server: LiveServer, world: World
) -> None:
    network = TokenRecorder()
    secrets = WatchedSecrets()
    context = open_workstation(logged_paths, secrets, network)
    looked_for = {PASSWORD}
    try:
        session = context.session
        session.sign_in(live_server.url, world.a.clerk, PASSWORD, remember=True)
        assert set(secrets.held.values()) & network.secrets, "«Запомнить меня» kept no token in the keyring"
        context.sync.sync(TaskControl())
        session.drop_access()  # the next round refreshes: a rotated refresh token is stored again
        context.sync.sync(TaskControl())
        session.sign_out()
        assert secrets.held == {}, "signing out left secrets in the keyring"
        session.sign_in(live_server.url, world.a.clerk, PASSWORD, remember=False)
        session.drop_access()
        context.sync.sync(TaskControl())
        assert secrets.held == {}, "without «Запомнить меня» a secret went to the keyring"
        assert load_settings(logged_paths.settings).remembered_user is None
        assert len(network.secrets) >= 8, f"expected three sign-ins and refreshes, saw {len(network.secrets)} secrets"
        looked_for |= network.secrets
        assert files_holding(logged_paths.data_dir, looked_for) == []  # with the database open, WAL included
    finally:
        context.close()
    assert logged_paths.log_file.stat().st_size > 0, "the log file stayed empty: nothing was checked there"
    assert files_holding(logged_paths.data_dir, looked_for) == []


def test_without_a_keyring_signing_in_warns_works_and_writes_nothing(
    logged_paths: AppPaths, live_server: LiveServer, world: World
) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())  # the autouse in-memory keyring comes back afterwards
    network = TokenRecorder()
    context = open_workstation(logged_paths, KeyringSecretStore(), network)
    try:
        result = context.session.sign_in(live_server.url, world.a.clerk, PASSWORD, remember=True)

        assert result.warning == KeyringUnavailable().user_message
        assert result.warning.startswith(
            "Системное хранилище паролей недоступно, поэтому «Запомнить меня» не сработает"
        )
        assert result.user.username == world.a.clerk
        report = context.sync.sync(TaskControl())
        assert report.pulled > 0
        context.session.drop_access()
        assert context.sync.sync(TaskControl()).cursor == report.cursor  # a refresh without the keyring works too
        settings = json.loads(logged_paths.settings.read_text(encoding="utf-8"))
        assert settings["remembered_user"] is None
        assert files_holding(logged_paths.data_dir, network.secrets | {PASSWORD}) == []
    finally:
        context.close()
    reopened = open_workstation(logged_paths, KeyringSecretStore(), TokenRecorder())
    try:
        assert reopened.session.restore() is None, "a session was remembered without a keyring"
    finally:
        reopened.close()
    assert files_holding(logged_paths.data_dir, network.secrets | {PASSWORD}) == []
