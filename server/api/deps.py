"""Shared pieces of every route: the server's services, the protocol check, who is calling."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request

from desktop_app.sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION, Role
from server.api.ratelimit import SlidingWindowLimiter
from server.auth.passwords import Passwords
from server.auth.tokens import AccessClaims, decode_access
from server.clock import Clock
from server.config import ServerConfig
from server.db.engine import ServerDatabase
from server.errors import ApiError, forbidden, unauthorized


@dataclass
class Services:
    """What the routes use, built once per app (no globals)."""

    config: ServerConfig
    database: ServerDatabase
    clock: Clock
    passwords: Passwords
    lookups_per_user: SlidingWindowLimiter
    lookups_per_organization: SlidingWindowLimiter
    portal_requests: SlidingWindowLimiter


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


ServicesDep = Annotated[Services, Depends(services)]


def require_protocol(
    version: Annotated[str | None, Header(alias=PROTOCOL_HEADER, include_in_schema=True)] = None,
) -> None:
    """Every API request names the protocol version; an unsupported one is refused with 426."""
    if version != str(PROTOCOL_VERSION):
        said = (
            f"Версия протокола {version} не поддерживается сервером (нужна {PROTOCOL_VERSION})."
            if version
            else f"Не указана версия протокола (заголовок {PROTOCOL_HEADER})."
        )
        raise ApiError(426, "protocol_unsupported", f"{said} Обновите программу.", {"supported": [PROTOCOL_VERSION]})


_NUL_ESCAPE = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
"""``\\u0000`` in JSON text that is not an escaped backslash followed by «u0000»: a NUL character."""


async def refuse_nul_characters(request: Request) -> None:
    """Refuse text with U+0000: PostgreSQL cannot store it, and no person types it; every backend answers alike.

    In valid JSON a NUL can only be written as the escape ``\\u0000`` (a raw NUL byte is already invalid JSON).
    """
    if _NUL_ESCAPE.search(await request.body()):
        raise ApiError(422, "invalid_text", "Текст в запросе содержит недопустимый символ с кодом 0.")


def claims(
    found: ServicesDep,
    authorization: Annotated[str | None, Header()] = None,
) -> AccessClaims:
    if not authorization or not authorization.lower().startswith("bearer "):
        raise unauthorized()
    return decode_access(found.config, authorization[7:].strip(), found.clock.now())


ClaimsDep = Annotated[AccessClaims, Depends(claims)]


@dataclass(frozen=True)
class OrganizationCaller:
    user_id: uuid.UUID
    organization_id: uuid.UUID
    role: Role


def organization_caller(current: ClaimsDep) -> OrganizationCaller:
    """A clerk or an organization admin: the organization comes from the token, never from the body."""
    if current.role not in (Role.CLERK, Role.ORG_ADMIN) or current.organization_id is None:
        raise forbidden()
    return OrganizationCaller(current.user_id, current.organization_id, current.role)


def operator_caller(current: ClaimsDep) -> AccessClaims:
    if current.role is not Role.OPERATOR:
        raise forbidden()
    return current


OrganizationDep = Annotated[OrganizationCaller, Depends(organization_caller)]
OperatorDep = Annotated[AccessClaims, Depends(operator_caller)]
