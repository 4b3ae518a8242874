"""A fault-injecting HTTP transport for the workstation's ServerClient: the network as it really behaves.

``FaultyTransport`` wraps a real ``httpx2.HTTPTransport`` and, for requests to a given path, can drop the
request before it leaves, drop the response after the server has applied the request, send the request twice,
hold it (or its answer) until the test releases it, answer 500 after the server applied it, answer 429 with
Retry-After, or answer 401 as to an expired access token. Each injected fault fires a set number of times and
then heals. ``offline`` makes every request fail as if the cable were pulled. Every exchange is logged.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx2

from desktop_app.sync.protocol import ErrorBody

PUSH = "/api/v1/sync/push"
PULL = "/api/v1/sync/pull"
REFRESH = "/api/v1/auth/refresh"
CHECK = "/api/v1/certificates/check"

GATE_TIMEOUT_S = 30.0
"""A held request waits at most this long for the test to release it (a failing test must not hang)."""

RETRY_AFTER_S = 7


class Fault(enum.StrEnum):
    DROP_REQUEST = "drop_request"
    """The request never reaches the server (connection refused)."""
    DROP_RESPONSE = "drop_response"
    """The server applies the request; its answer is lost on the way back."""
    DUPLICATE = "duplicate"
    """The request reaches the server twice (a retrying proxy); the client sees the second answer."""
    DELAY = "delay"
    """The request waits until the test releases it, then goes on normally."""
    DELAY_RESPONSE = "delay_response"
    """The server answers at once; the answer reaches the client only when the test releases it."""
    SERVER_ERROR = "server_error"
    """The server applies the request, then the client gets a 500 instead of the answer."""
    TOO_MANY = "too_many"
    """429 with Retry-After, without reaching the server."""
    UNAUTHORIZED = "unauthorized"
    """401 «token expired», without reaching the server."""


@dataclass
class Gate:
    """Where a delayed request waits: ``arrived`` is set when it gets there, ``release`` lets it go."""

    arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    def hold(self) -> None:
        self.arrived.set()
        if not self.release.wait(GATE_TIMEOUT_S):
            raise httpx2.ReadTimeout("the test never released the held request")


@dataclass
class Rule:
    fault: Fault
    path: str
    times: int
    gate: Gate
    retry_after: int
    fired: int = 0


@dataclass(frozen=True)
class Exchange:
    """One request as the transport saw it, and what became of it."""

    method: str
    path: str
    params: dict[str, str]
    fault: Fault | None
    status: int | None
    """The status the client received; None when it received an error instead."""
    reached_server: int
    """How many times the request was forwarded to the server."""


class FaultyTransport(httpx2.BaseTransport):
    def __init__(self, inner: httpx2.BaseTransport | None = None) -> None:
        self._inner = inner or httpx2.HTTPTransport()
        self._lock = threading.Lock()
        self._rules: list[Rule] = []
        self.offline = False
        self.exchanges: list[Exchange] = []
        self.after_forward: Callable[[httpx2.Request], None] | None = None
        """Called after the server answered a request and before the client reads it (e.g. to stop the server)."""

    # ------------------------------------------------------------ arming

    def inject(self, fault: Fault, path: str, *, times: int = 1, retry_after: int = RETRY_AFTER_S) -> Rule:
        rule = Rule(fault, path, times, Gate(), retry_after)
        with self._lock:
            self._rules.append(rule)
        return rule

    def heal(self) -> None:
        """Forget every fault that has not fired yet, and come back online."""
        with self._lock:
            self._rules.clear()
            self.offline = False

    def sent(self, path: str) -> list[Exchange]:
        with self._lock:
            return [exchange for exchange in self.exchanges if exchange.path == path]

    def reached(self, path: str) -> int:
        """How many times requests to ``path`` reached the server."""
        return sum(exchange.reached_server for exchange in self.sent(path))

    # ------------------------------------------------------------ transport

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        path = request.url.path
        rule = self._take_rule(path)
        fault = rule.fault if rule else None
        forwarded = 0
        status: int | None = None
        try:
            if self.offline or fault is Fault.DROP_REQUEST:
                raise httpx2.ConnectError("connection refused (injected)", request=request)
            if fault is Fault.TOO_MANY and rule is not None:
                retry_after = {"Retry-After": str(rule.retry_after)}
                response = _error(request, 429, "too_many", "Слишком много запросов.", retry_after)
            elif fault is Fault.UNAUTHORIZED:
                response = _error(request, 401, "token_expired", "Срок действия входа истёк.")
            else:
                if fault is Fault.DELAY and rule is not None:
                    rule.gate.hold()
                response = self._inner.handle_request(request)
                forwarded += 1
                if fault is Fault.DUPLICATE:
                    _discard(response)
                    response = self._inner.handle_request(request)
                    forwarded += 1
                if self.after_forward is not None:
                    response.read()
                    self.after_forward(request)
                if fault is Fault.DROP_RESPONSE:
                    _discard(response)
                    raise httpx2.ReadError("connection reset by peer (injected)", request=request)
                if fault is Fault.SERVER_ERROR:
                    _discard(response)
                    response = _error(request, 500, "internal_error", "Внутренняя ошибка сервера. Повторите позже.")
                if fault is Fault.DELAY_RESPONSE and rule is not None:
                    response.read()
                    rule.gate.hold()
            status = response.status_code
            return response
        finally:
            with self._lock:
                self.exchanges.append(
                    Exchange(request.method, path, dict(request.url.params), fault, status, forwarded)
                )

    def _take_rule(self, path: str) -> Rule | None:
        with self._lock:
            for rule in self._rules:
                if rule.path == path and rule.fired < rule.times:
                    rule.fired += 1
                    return rule
        return None

    def close(self) -> None:
        self._inner.close()


def _discard(response: httpx2.Response) -> None:
    """Read the answer (the server has finished with the request) and throw it away."""
    response.read()
    response.close()


def _error(
    request: httpx2.Request, status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> httpx2.Response:
    body = ErrorBody(code=code, message=message).model_dump(mode="json")
    return httpx2.Response(status, json=body, headers=headers, request=request)
