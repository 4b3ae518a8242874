"""Demo mode: with no server configured, the program runs the reference server inside itself.

A newcomer sees a working system in one command: a demo region (created on the first run in the data
folder, kept afterwards), served on a free loopback port, with the workstation signed in as the demo
clerk. The workstation's own demo data live apart from real data, in ``<data folder>/demo``.

The server's code is imported when the demo starts, not when the program does: importing it (FastAPI
builds its routes at import) took about a sixth of every start, with or without the demo.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.services.session import SessionService, SignInResult

if TYPE_CHECKING:
    from server.embedded import EmbeddedServer


def demo_folder(data_dir: Path) -> Path:
    return data_dir / "demo"


class DemoMode:
    def __init__(self, data_dir: Path) -> None:
        self._folder = demo_folder(data_dir) / "server"
        self._server: EmbeddedServer | None = None

    def start(self, session: SessionService) -> SignInResult:
        """Start the embedded server and sign in as the demo clerk (blocking: run it on the task runner)."""
        from server.embedded import DEMO_PASSWORD, DEMO_USER, EmbeddedServer  # noqa: PLC0415 — see the docstring

        self._server = EmbeddedServer(self._folder)
        url = self._server.start()
        return session.sign_in(url, DEMO_USER, DEMO_PASSWORD, remember=False)

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
