"""Sign-in: login, refresh, logout, and who am I."""

from __future__ import annotations

from fastapi import APIRouter, Response
from sqlalchemy import select

from desktop_app.sync.protocol import LoginRequest, LogoutRequest, RefreshRequest, TokenPair, UserInfo
from server.api.deps import ClaimsDep, ServicesDep
from server.auth import throttle, tokens
from server.db.models import User
from server.errors import ApiError, unauthorized
from server.services.audit import audit

router = APIRouter(prefix="/api/v1/auth", tags=["Вход"])

WRONG_PASSWORD = "Неверное имя пользователя или пароль."


@router.post("/login", response_model=TokenPair, summary="Войти: пара токенов по имени и паролю")
def login(body: LoginRequest, found: ServicesDep) -> TokenPair:
    with found.database.transaction() as session:
        now = found.clock.now()
        throttle.check_not_locked(session, body.username, now)
        user = session.scalar(select(User).where(User.username == body.username))
        valid = found.passwords.verify(user.password_hash if user else None, body.password)
        if user is None or not valid or not user.active:
            throttle.record_failure(session, body.username, now, found.config)
            audit(session, at=now, action="auth.login_failed", entity="user", entity_id=body.username)
            refusal: ApiError | None = unauthorized(WRONG_PASSWORD, code="wrong_password")
            pair = None
        else:
            throttle.record_success(session, body.username)
            audit(
                session,
                at=now,
                action="auth.login",
                entity="user",
                entity_id=user.id,
                user_id=user.id,
                organization_id=user.organization_id,
                details={"device": str(body.device_id)},
            )
            refusal = None
            pair = tokens.issue(session, found.config, user, body.device_id, now)
    if refusal is not None:
        raise refusal
    assert pair is not None
    return pair


@router.post("/refresh", response_model=TokenPair, summary="Обновить пару токенов (ротация)")
def refresh(body: RefreshRequest, found: ServicesDep) -> TokenPair:
    with found.database.transaction() as session:
        outcome = tokens.refresh(session, found.config, body.refresh_token, body.device_id, found.clock.now())
    if isinstance(outcome, ApiError):
        raise outcome
    return outcome


@router.post("/logout", status_code=204, summary="Выйти: токен обновления больше не действует")
def logout(body: LogoutRequest, found: ServicesDep) -> Response:
    with found.database.transaction() as session:
        tokens.logout(session, body.refresh_token, found.clock.now())
    return Response(status_code=204)


@router.get("/me", response_model=UserInfo, summary="Кто вошёл")
def me(current: ClaimsDep, found: ServicesDep) -> UserInfo:
    with found.database.transaction() as session:
        user = session.get(User, current.user_id)
        if user is None or not user.active:
            raise unauthorized()
        return tokens.user_info(session, user)
