"""Demo mode: with no server configured, the program runs the reference server inside itself.

A newcomer sees a working system in one command: a demo region (created on the first run in the data
folder, kept afterwards), served on a free loopback port, with the workstation signed in as the demo
clerk. The workstation's own demo data live apart from real data, in ``<data folder>/demo``.
"""

from __future__ import annotations

from pathlib import Path

from desktop_app.services.session import SessionService, SignInResult
from server.embedded import DEMO_PASSWORD, DEMO_USER, EmbeddedServer


def demo_folder(data_dir: Path) -> Path:
    return data_dir / "demo"


class DemoMode:
    def __init__(self, data_dir: Path) -> None:
        self._server = EmbeddedServer(demo_folder(data_dir) / "server")

    def start(self, session: SessionService) -> SignInResult:
        """Start the embedded server and sign in as the demo clerk (blocking: run it on the task runner)."""
        url = self._server.start()
        return session.sign_in(url, DEMO_USER, DEMO_PASSWORD, remember=False)

    def stop(self) -> None:
        self._server.stop()
