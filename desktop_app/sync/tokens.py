"""What the sync engine needs from the session: the server's client and authorized calls."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from desktop_app.sync.client import ServerClient

T = TypeVar("T")


class TokenSource(Protocol):
    def client(self) -> ServerClient: ...

    @property
    def role(self) -> str | None:
        """The signed-in user's role (``clerk``, ``org_admin``); None when nobody is signed in."""
        ...

    def authorized(self, call: Callable[[str], T]) -> T:
        """Run ``call(access_token)``, refreshing the token once if the server says it expired."""
        ...
