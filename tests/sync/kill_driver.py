"""A workstation in a process of its own that dies (``os._exit``) at a named point of enrolling and syncing.

Run by tests/sync/test_kill_points.py as ``python -c "from tests.sync.kill_driver import main; main()" PLAN``
where PLAN is JSON: data folder, server address, username, password, certificate number and surname, group,
start date, and ``kill_at``:

- ``after_local_write``: the contract is saved and queued; the process dies before any sync;
- ``after_send``: the push request is on its way; the process reads a line from stdin (the test sends it
  once the server holds the request) and dies before any answer;
- ``after_commit``: the server answered the push; the process dies before recording the first result.

The in-memory keyring dies with the process, so the driver signs in with the password (remember=False).
"""

from __future__ import annotations

import json
import os
import sys
import threading
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import httpx2

from desktop_app.bootstrap import build_context
from desktop_app.credentials import MemorySecretStore
from desktop_app.progress import TaskControl
from desktop_app.services.contracts import Person
from desktop_app.sync.client import ServerClient
from desktop_app.sync.engine import SyncEngine

KILLED = 17
PUSH = "/api/v1/sync/push"
KILL_POINTS = ("after_local_write", "after_send", "after_commit")


class DyingAfterSend(httpx2.BaseTransport):
    """Hands a push to the network on a thread of its own, then dies when told on stdin, answer or not."""

    def __init__(self) -> None:
        self._inner = httpx2.HTTPTransport()

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        if request.url.path != PUSH:
            return self._inner.handle_request(request)
        threading.Thread(target=self._inner.handle_request, args=(request,), daemon=True).start()
        sys.stdin.readline()
        os._exit(KILLED)

    def close(self) -> None:
        self._inner.close()


def _die_before_recording(*_args: Any) -> bool:
    os._exit(KILLED)


def main() -> None:
    plan = json.loads(sys.argv[1])
    kill_at = plan["kill_at"]
    assert kill_at in KILL_POINTS, kill_at
    transport: httpx2.BaseTransport = DyingAfterSend() if kill_at == "after_send" else httpx2.HTTPTransport()
    if kill_at == "after_commit":
        SyncEngine._record_result = _die_before_recording  # type: ignore[method-assign]
    context = build_context(
        Path(plan["folder"]),
        secrets=MemorySecretStore(),
        make_client=lambda url: ServerClient(url, transport=transport),
    )
    try:
        context.session.sign_in(plan["url"], plan["username"], plan["password"], remember=False)
        context.sync.sync(TaskControl())
        today = date.fromisoformat(plan["today"])
        check = context.certificates.check(plan["number"], plan["surname"], today)
        quote = context.contracts.quote(check, uuid.UUID(plan["group_id"]), date.fromisoformat(plan["start"]))
        contract = context.contracts.request(check, quote, Person("Родитель Тестовый"), Person(plan["child"]))
        print(json.dumps({"contract_id": str(contract.id)}), flush=True)
        if kill_at == "after_local_write":
            os._exit(KILLED)
        context.sync.sync(TaskControl())
    finally:
        context.close()
    raise SystemExit("the kill point was never reached")
