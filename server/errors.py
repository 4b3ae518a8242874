"""Errors the API answers with: a status, a code for programs, a Russian message for people."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers


def not_found(what: str = "Запись") -> ApiError:
    return ApiError(404, "not_found", f"{what} не найдена.")


def forbidden() -> ApiError:
    return ApiError(403, "forbidden", "Недостаточно прав для этого действия.")


def unauthorized(message: str = "Требуется вход в систему.", code: str = "unauthorized") -> ApiError:
    return ApiError(401, code, message, headers={"WWW-Authenticate": "Bearer"})


def too_many(message: str, retry_after_seconds: int) -> ApiError:
    seconds = max(1, retry_after_seconds)
    return ApiError(429, "too_many_requests", message, {"retry_after": seconds}, {"Retry-After": str(seconds)})
