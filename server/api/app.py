"""The FastAPI application: routes, the protocol check, limits, and errors as Russian JSON.

Every error answer is an ``ErrorBody``: a code for programs and a message for people. Bad input is a 4xx
with a clear message (never a 500); a bug is logged and answered with a short 500.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from desktop_app import __version__
from desktop_app.sync.protocol import ErrorBody
from server.api import routes_auth, routes_operator, routes_organization, routes_public
from server.api.deps import Services, refuse_nul_characters, require_protocol
from server.api.ratelimit import SlidingWindowLimiter
from server.auth.passwords import Passwords
from server.clock import Clock
from server.config import ServerConfig
from server.db.engine import ServerDatabase
from server.errors import ApiError

log = logging.getLogger(__name__)

DESCRIPTION = (
    "Эталонный центральный сервер ПФДО: реестры сертификатов и программ, сертификация, арбитраж средств "
    "сертификатов и синхронизация с АРМ организаций. Каждый запрос к /api/v1 передаёт заголовок "
    "X-PFDO-Protocol с версией протокола."
)


def create_app(config: ServerConfig, database: ServerDatabase, clock: Clock | None = None) -> FastAPI:
    clock = clock or Clock(config.timezone)
    app = FastAPI(title="Сервер ПФДО", version=__version__, description=DESCRIPTION)
    app.state.services = Services(
        config=config,
        database=database,
        clock=clock,
        passwords=Passwords(fast=config.fast_password_hashing),
        lookups_per_user=SlidingWindowLimiter(config.lookup_limit_per_user, clock.now),
        lookups_per_organization=SlidingWindowLimiter(config.lookup_limit_per_organization, clock.now),
        portal_requests=SlidingWindowLimiter(config.portal_limit, clock.now),
    )
    app.include_router(routes_public.health_router)
    for router in (
        routes_auth.router,
        routes_organization.router,
        routes_operator.router,
        routes_public.portal_router,
    ):
        app.include_router(router, dependencies=[Depends(require_protocol), Depends(refuse_nul_characters)])
    _install_error_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=config.max_body_bytes)
    return app


def _error(
    status: int, code: str, message: str, details: dict[str, Any] | None = None, headers: Any = None
) -> JSONResponse:
    body = ErrorBody(code=code, message=message, details=details)
    return JSONResponse(status_code=status, content=body.model_dump(mode="json"), headers=headers)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_request: Request, error: ApiError) -> JSONResponse:
        return _error(error.status, error.code, error.message, error.details, error.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, error: RequestValidationError) -> JSONResponse:
        problems = error.errors()
        if any(problem.get("type") == "json_invalid" for problem in problems):
            return _error(400, "invalid_json", "Тело запроса не является корректным JSON.")
        if any(tuple(problem.get("loc", ())) == ("body",) for problem in problems):
            return _error(
                422, "invalid_body", "Тело запроса должно быть JSON-объектом (Content-Type: application/json)."
            )
        fields = [".".join(str(part) for part in problem.get("loc", ())) for problem in problems]
        details = {
            "errors": [
                {"field": field, "type": problem.get("type")} for field, problem in zip(fields, problems, strict=True)
            ]
        }
        return _error(
            422, "invalid_request", f"Неверные данные запроса: {', '.join(sorted(set(fields))[:10])}.", details
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        if error.status_code == 400:  # FastAPI could not read the body (e.g. it is not UTF-8)
            return _error(400, "invalid_json", "Тело запроса не является корректным JSON.")
        messages = {404: "Адрес не найден.", 405: "Метод не поддерживается для этого адреса."}
        # Keep the error's headers: a 405 must name the allowed methods (Allow).
        return _error(
            error.status_code, "http_error", messages.get(error.status_code, "Ошибка запроса."), headers=error.headers
        )

    @app.exception_handler(Exception)
    async def bug(_request: Request, error: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=error)
        return _error(500, "internal_error", "Внутренняя ошибка сервера. Повторите позже.")


class BodySizeLimit:
    """Refuse request bodies over the limit with 413, whether or not they announce their length."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(send)
            return
        received = 0
        too_big = False
        started = False

        async def limited_receive() -> Message:
            nonlocal received, too_big
            if too_big:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    too_big = True
                    raise _BodyTooLargeError
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            # The app may turn the interrupted read into an answer of its own (FastAPI says 400: it could not
            # parse the body); once the body is known to be too large, the answer is 413 and nothing else.
            if too_big and not started:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        with contextlib.suppress(_BodyTooLargeError):  # the app may not catch the interrupted read itself
            await self.app(scope, limited_receive, guarded_send)
        if too_big and not started:
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        response = _error(413, "body_too_large", f"Слишком большой запрос: не больше {self.max_bytes // 1000} КБ.")
        await send({"type": "http.response.start", "status": 413, "headers": response.raw_headers})
        await send({"type": "http.response.body", "body": response.body})


class _BodyTooLargeError(Exception):
    pass
