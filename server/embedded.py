"""The server inside another process, on a free loopback port: the workstation's demo mode uses it.

``start`` opens (and migrates) the database in the given folder, creates the demo region on the first run,
and serves on 127.0.0.1 from a background thread; ``stop`` shuts uvicorn down and joins the thread.
"""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import uvicorn
from sqlalchemy import func, select

from server.auth.passwords import Passwords
from server.db.models import Organization
from server.runtime import Runtime, open_runtime
from server.services import demo

DEMO_USER = "ddt-admin"
"""The demo signs in as the organization's admin: everything a clerk does, and the requisites too."""
DEMO_PASSWORD = "demo"
START_TIMEOUT_S = 30


class EmbeddedServer:
    def __init__(self, data_dir: Path) -> None:
        self._data_dir = data_dir
        self._runtime: Runtime | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    def start(self) -> str:
        """Start serving; return the base URL. The demo region is created once and kept."""
        runtime = open_runtime(None, self._data_dir)
        with runtime.database.transaction() as session:
            if not session.scalar(select(func.count()).select_from(Organization)):
                demo.init_demo(session, Passwords(), runtime.clock.now(), timezone=runtime.config.timezone)
        port = _free_port()
        server = uvicorn.Server(
            uvicorn.Config(runtime.app(), host="127.0.0.1", port=port, log_level="warning", lifespan="off")
        )
        thread = threading.Thread(target=server.run, name="pfdo-embedded-server", daemon=True)
        thread.start()
        started = threading.Event()
        for _ in range(START_TIMEOUT_S * 100):
            if server.started:
                started.set()
                break
            if not thread.is_alive():
                break
            thread.join(timeout=0.01)
        if not started.is_set():
            server.should_exit = True
            thread.join()
            runtime.close()
            raise RuntimeError("the embedded server did not start")
        self._runtime, self._server, self._thread = runtime, server, thread
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join()
        if self._runtime is not None:
            self._runtime.close()
        self._server = self._thread = self._runtime = None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
