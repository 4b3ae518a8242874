"""Access tokens (JWT, short-lived) and refresh tokens (opaque, rotating, stored hashed, bound to a device).

Rotation: each refresh gives a new pair and marks the old refresh token rotated. Presenting a rotated token
again means it was stolen — or that our reply was lost. Within a short grace window the same new pair is
returned (the successor token is derived from the old one with the server's secret, and the access token is
re-signed from stored claims, so both are byte-identical); after it, the whole family is revoked.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

import jwt
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from desktop_app.sync.protocol import Role, TokenPair, UserInfo
from server.config import ServerConfig
from server.db.models import Organization, RefreshToken, User
from server.errors import ApiError, unauthorized

ALGORITHM = "HS256"
SESSION_EXPIRED = "Сеанс истёк: войдите снова, указав пароль. Несохранённые изменения не потеряны."
SESSION_INVALID = "Сеанс недействителен: войдите снова, указав пароль."


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: uuid.UUID
    role: Role
    organization_id: uuid.UUID | None
    device_id: uuid.UUID


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _successor_token(secret: bytes, token: str) -> str:
    digest = hmac.new(secret, b"rotate:" + token.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _access_token(config: ServerConfig, user: User, device_id: uuid.UUID, jti: uuid.UUID, issued: datetime) -> str:
    claims = {
        "sub": str(user.id),
        "role": user.role,
        "org": str(user.organization_id) if user.organization_id else None,
        "dev": str(device_id),
        "jti": str(jti),
        "iat": int(issued.timestamp()),
        "exp": int((issued + config.access_token_ttl).timestamp()),
    }
    return jwt.encode(claims, config.secret, algorithm=ALGORITHM)


def decode_access(config: ServerConfig, token: str, now: datetime) -> AccessClaims:
    """Verify an access token against the server's clock.

    Raises:
        ApiError: 401 when the token is malformed, forged or expired.
    """
    try:
        claims = jwt.decode(
            token,
            config.secret,
            algorithms=[ALGORITHM],
            options={"verify_exp": False, "require": ["sub", "exp", "role", "dev"]},
        )
        if claims["exp"] <= now.timestamp():
            raise unauthorized("Срок действия входа истёк.", code="token_expired")
        return AccessClaims(
            user_id=uuid.UUID(claims["sub"]),
            role=Role(claims["role"]),
            organization_id=uuid.UUID(claims["org"]) if claims.get("org") else None,
            device_id=uuid.UUID(claims["dev"]),
        )
    except (jwt.PyJWTError, ValueError, KeyError) as error:
        raise unauthorized("Вход не подтверждён: войдите снова.", code="token_invalid") from error


def user_info(session: Session, user: User) -> UserInfo:
    organization = session.get(Organization, user.organization_id) if user.organization_id else None
    return UserInfo(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        role=Role(user.role),
        organization_id=user.organization_id,
        organization_name=organization.short_name if organization else None,
    )


def _pair(session: Session, config: ServerConfig, user: User, row: RefreshToken, refresh_token: str) -> TokenPair:
    organization = session.get(Organization, user.organization_id) if user.organization_id else None
    return TokenPair(
        access_token=_access_token(config, user, row.device_id, row.access_jti, row.issued_at),
        refresh_token=refresh_token,
        access_expires_in=int(config.access_token_ttl.total_seconds()),
        user=user_info(session, user),
        mirror_key=organization.mirror_key if organization else None,
    )


def _store(
    session: Session,
    config: ServerConfig,
    user: User,
    device_id: uuid.UUID,
    family_id: uuid.UUID,
    token: str,
    now: datetime,
) -> RefreshToken:
    row = RefreshToken(
        user_id=user.id,
        device_id=device_id,
        family_id=family_id,
        token_hash=_hash(token),
        issued_at=now,
        expires_at=now + config.refresh_token_ttl,
        access_jti=uuid.uuid4(),
    )
    session.add(row)
    session.flush()
    return row


def issue(session: Session, config: ServerConfig, user: User, device_id: uuid.UUID, now: datetime) -> TokenPair:
    """A fresh pair after a successful login: a new token family."""
    token = secrets.token_urlsafe(32)
    row = _store(session, config, user, device_id, uuid.uuid4(), token, now)
    return _pair(session, config, user, row, token)


def refresh(
    session: Session, config: ServerConfig, token: str, device_id: uuid.UUID, now: datetime
) -> TokenPair | ApiError:
    """Rotate a refresh token (see the module docstring for reuse and the grace window).

    A refusal is returned, not raised, so that the caller commits what it changed (a revoked family)
    before answering 401.
    """
    row = session.scalar(select(RefreshToken).where(RefreshToken.token_hash == _hash(token)))
    if row is None or row.revoked_at is not None or row.device_id != device_id:
        return unauthorized(SESSION_INVALID, code="refresh_invalid")
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return unauthorized(SESSION_INVALID, code="refresh_invalid")
    if row.rotated_at is not None:
        return _replay(session, config, user, row, token, now)
    if row.expires_at <= now:
        return unauthorized(SESSION_EXPIRED, code="refresh_expired")
    successor_token = _successor_token(config.secret, token)
    successor = _store(session, config, user, device_id, row.family_id, successor_token, now)
    row.rotated_at = now
    row.successor_id = successor.id
    return _pair(session, config, user, successor, successor_token)


def _replay(
    session: Session, config: ServerConfig, user: User, row: RefreshToken, token: str, now: datetime
) -> TokenPair | ApiError:
    successor = session.get(RefreshToken, row.successor_id) if row.successor_id else None
    within_grace = row.rotated_at is not None and now - row.rotated_at <= config.refresh_grace
    if successor is not None and within_grace and successor.rotated_at is None and successor.revoked_at is None:
        return _pair(session, config, user, successor, _successor_token(config.secret, token))
    revoke_family(session, row.family_id, now)
    return unauthorized(SESSION_INVALID, code="refresh_reused")


def revoke_family(session: Session, family_id: uuid.UUID, now: datetime) -> None:
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def logout(session: Session, token: str, now: datetime) -> None:
    """Forget the session: the whole family of this refresh token stops working. Unknown tokens are fine."""
    row = session.scalar(select(RefreshToken).where(RefreshToken.token_hash == _hash(token)))
    if row is not None:
        revoke_family(session, row.family_id, now)
