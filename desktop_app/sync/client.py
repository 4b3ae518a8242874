"""The HTTP client of the regional server: one connection pool, typed requests, errors sorted by what to do.

Every failure becomes one of a few exceptions, each telling the caller what to do next: retry later
(``ServerUnavailable``: no connection, 5xx, 429), refresh the access token (``AccessExpired``), ask for the
password (``SessionExpired``), update the program (``ProtocolUnsupported``), or report a bug
(``UnexpectedAnswer``). All carry a Russian message for the clerk.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any, TypeVar

import httpx2
from pydantic import BaseModel, ValidationError

from desktop_app.errors import ExpectedError
from desktop_app.sync.protocol import (
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    CertificateCheckResponse,
    ErrorBody,
    LoginRequest,
    Operation,
    PullResponse,
    PushRequest,
    PushResponse,
    RefreshRequest,
    TokenPair,
)

Model = TypeVar("Model", bound=BaseModel)

CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 60.0


class ServerUnavailable(ExpectedError):  # noqa: N818 — named for the situation the clerk is in
    """No connection, a timeout, a 5xx or a 429: try again later (``retry_after`` seconds if the server said)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ServerBusy(ServerUnavailable):
    """429: the server asks this workstation to slow down (e.g. too many certificate checks in a row)."""


class AccessExpired(ExpectedError):  # noqa: N818
    """The access token is no longer accepted: refresh it and repeat the request."""


class SessionExpired(ExpectedError):  # noqa: N818
    """The refresh token is refused: the clerk has to sign in with the password again."""


class WrongCredentials(ExpectedError):  # noqa: N818
    """Wrong username or password, or too many attempts."""


class ProtocolUnsupported(ExpectedError):  # noqa: N818
    """The server does not speak this program's protocol version: the program must be updated."""


class UnexpectedAnswer(ExpectedError):  # noqa: N818
    """A 4xx nobody expected, or an answer that does not parse: a bug on one side, reported as such."""


NO_CONNECTION = "Нет связи с сервером. Изменения сохранены на этом компьютере и будут отправлены позже."


class ServerClient:
    def __init__(
        self,
        base_url: str,
        *,
        transport: httpx2.BaseTransport | None = None,
        ca_bundle: Path | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx2.Client(
            base_url=self.base_url,
            transport=transport,
            verify=str(ca_bundle) if ca_bundle else True,
            timeout=httpx2.Timeout(READ_TIMEOUT_S, connect=CONNECT_TIMEOUT_S),
            headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION)},
        )

    def close(self) -> None:
        self._http.close()

    # ------------------------------------------------------------ auth

    def login(self, username: str, password: str, device_id: uuid.UUID) -> TokenPair:
        body = LoginRequest(username=username, password=password, device_id=device_id)
        return self._call("POST", "/api/v1/auth/login", TokenPair, json=body.model_dump(mode="json"), signing_in=True)

    def refresh(self, refresh_token: str, device_id: uuid.UUID) -> TokenPair:
        body = RefreshRequest(refresh_token=refresh_token, device_id=device_id)
        return self._call("POST", "/api/v1/auth/refresh", TokenPair, json=body.model_dump(mode="json"), refreshing=True)

    def logout(self, refresh_token: str) -> None:
        self._send("POST", "/api/v1/auth/logout", json={"refresh_token": refresh_token})

    # ------------------------------------------------------------ organization

    def push(self, access_token: str, operations: list[Operation]) -> PushResponse:
        body = PushRequest(operations=operations)
        return self._call(
            "POST", "/api/v1/sync/push", PushResponse, json=body.model_dump(mode="json"), access_token=access_token
        )

    def pull(self, access_token: str, cursor: int, limit: int) -> PullResponse:
        return self._call(
            "GET",
            "/api/v1/sync/pull",
            PullResponse,
            params={"cursor": cursor, "limit": limit},
            access_token=access_token,
        )

    def check_certificate(self, access_token: str, number: str, surname: str) -> CertificateCheckResponse | None:
        """The certificate, or None when the number and surname do not match (one answer for both)."""
        response = self._send(
            "POST",
            "/api/v1/certificates/check",
            json={"number": number, "surname": surname},
            access_token=access_token,
            not_found_is_an_answer=True,
        )
        if response.status_code == 404:
            return None
        return _parse(response, CertificateCheckResponse)

    # ------------------------------------------------------------ plumbing

    def _call(self, method: str, path: str, model: type[Model], **options: Any) -> Model:
        return _parse(self._send(method, path, **options), model)

    def _send(
        self,
        method: str,
        path: str,
        *,
        access_token: str | None = None,
        signing_in: bool = False,
        refreshing: bool = False,
        not_found_is_an_answer: bool = False,
        **request: Any,
    ) -> httpx2.Response:
        headers = {"Authorization": f"Bearer {access_token}"} if access_token else {}
        try:
            response = self._http.request(method, path, headers=headers, **request)
        except httpx2.TransportError as failure:
            raise ServerUnavailable(NO_CONNECTION) from failure
        status = response.status_code
        if status < 400 or (status == 404 and not_found_is_an_answer):
            return response
        error = _error_body(response)
        if status == 429:
            raise ServerBusy(error.message, _retry_after(response))
        if status >= 500:
            raise ServerUnavailable(f"Сервер временно не отвечает ({status}). Изменения будут отправлены позже.")
        if status == 426:
            raise ProtocolUnsupported(error.message)
        if status == 401 and signing_in:
            raise WrongCredentials(error.message)
        if status == 401 and refreshing:
            raise SessionExpired(error.message)
        if status == 401:
            raise AccessExpired(error.message)
        raise UnexpectedAnswer(f"Сервер отклонил запрос: {error.message}")


def _error_body(response: httpx2.Response) -> ErrorBody:
    try:
        return ErrorBody.model_validate_json(response.content)
    except ValidationError:
        return ErrorBody(code="unknown", message=f"неожиданный ответ сервера (код {response.status_code})")


def _retry_after(response: httpx2.Response) -> float | None:
    value = response.headers.get("Retry-After")
    return float(value) if value and value.isdigit() else None


def _parse(response: httpx2.Response, model: type[Model]) -> Model:
    try:
        return model.model_validate_json(response.content)
    except ValidationError as error:
        raise UnexpectedAnswer(
            "Ответ сервера не удалось прочитать: возможно, версии программы и сервера разошлись."
        ) from error
