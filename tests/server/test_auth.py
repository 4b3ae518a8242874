"""Tests sign-in on the server: token pairs, back-off, expiry, refresh rotation with reuse detection, roles,
the protocol header and how passwords are stored."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from typing import Any

import httpx2
import jwt
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import select

from desktop_app import __version__
from desktop_app.sync.protocol import PROTOCOL_HEADER, ErrorBody
from server.auth.passwords import Passwords
from server.auth.throttle import lock_duration
from server.clock import FixedClock
from server.config import ServerConfig
from server.db.engine import ServerDatabase
from server.db.models import Base, ProgramRow, User
from tests.server.world import PASSWORD, PROTOCOL, World, login

LOGIN = "/api/v1/auth/login"
REFRESH = "/api/v1/auth/refresh"
LOGOUT = "/api/v1/auth/logout"
ME = "/api/v1/auth/me"
CYRILLIC = re.compile("[А-Яа-яЁё]")
WRONG_PASSWORD = "Неверное имя пользователя или пароль."


def assert_error(response: httpx2.Response, status: int, code: str) -> ErrorBody:
    """The answer is an ``ErrorBody`` with that status and code and a Russian message."""
    assert response.status_code == status, response.text
    body = ErrorBody.model_validate(response.json())
    assert body.code == code, body
    assert CYRILLIC.search(body.message), body.message
    return body


def sign_in(client: TestClient, username: str, device_id: uuid.UUID, password: str = PASSWORD) -> httpx2.Response:
    return client.post(
        LOGIN, headers=PROTOCOL, json={"username": username, "password": password, "device_id": str(device_id)}
    )


def pair_of(client: TestClient, username: str, device_id: uuid.UUID) -> dict[str, Any]:
    response = sign_in(client, username, device_id)
    assert response.status_code == 200, response.text
    pair: dict[str, Any] = response.json()
    return pair


def refresh(client: TestClient, token: str, device_id: uuid.UUID) -> httpx2.Response:
    return client.post(REFRESH, headers=PROTOCOL, json={"refresh_token": token, "device_id": str(device_id)})


def bearer(access_token: str) -> dict[str, str]:
    return {**PROTOCOL, "Authorization": f"Bearer {access_token}"}


# ---------------------------------------------------------------- login


def test_login_returns_a_working_pair(client: TestClient, world: World, config: ServerConfig) -> None:
    device = uuid.uuid4()
    pair = pair_of(client, world.a.clerk, device)

    assert pair["access_expires_in"] == int(config.access_token_ttl.total_seconds())
    assert pair["mirror_key"] == world.a.mirror_key
    assert pair["user"]["username"] == world.a.clerk
    assert pair["user"]["role"] == "clerk"
    assert pair["user"]["organization_id"] == str(world.a.id)
    me = client.get(ME, headers=bearer(pair["access_token"]))
    assert me.status_code == 200, me.text
    assert me.json() == pair["user"]
    rotated = refresh(client, pair["refresh_token"], device)
    assert rotated.status_code == 200, rotated.text
    assert client.get(ME, headers=bearer(rotated.json()["access_token"])).status_code == 200


def test_wrong_password_and_unknown_user_get_the_same_answer(client: TestClient, world: World) -> None:
    wrong_password = sign_in(client, world.a.clerk, uuid.uuid4(), password="не тот пароль")
    unknown_user = sign_in(client, "nobody_here", uuid.uuid4())

    first = assert_error(wrong_password, 401, "wrong_password")
    second = assert_error(unknown_user, 401, "wrong_password")
    assert first.message == second.message == WRONG_PASSWORD
    assert wrong_password.json() == unknown_user.json()


def test_operator_pair_has_no_organization(client: TestClient, world: World) -> None:
    pair = pair_of(client, world.operator, uuid.uuid4())

    assert pair["mirror_key"] is None
    assert pair["user"]["role"] == "operator"
    assert pair["user"]["organization_id"] is None
    assert pair["user"]["organization_name"] is None


# ---------------------------------------------------------------- back-off


def test_back_off_after_repeated_wrong_passwords(
    client: TestClient, world: World, config: ServerConfig, clock: FixedClock
) -> None:
    device = uuid.uuid4()
    for _ in range(config.login_failures_before_lock):
        assert_error(sign_in(client, world.a.clerk, device, password="угадываю"), 401, "wrong_password")

    locked = sign_in(client, world.a.clerk, device)  # the right password, but too late

    body = assert_error(locked, 429, "too_many_requests")
    assert "неудачных попыток входа" in body.message
    wait = int(locked.headers["Retry-After"])
    assert body.details == {"retry_after": wait}
    assert wait == int(lock_duration(config, config.login_failures_before_lock).total_seconds()) + 1
    assert f"через {wait} с" in body.message

    clock.advance(timedelta(seconds=wait - 2))
    assert_error(sign_in(client, world.a.clerk, device), 429, "too_many_requests")
    clock.advance(timedelta(seconds=2))
    assert sign_in(client, world.a.clerk, device).status_code == 200


def test_back_off_doubles_and_resets_after_a_successful_login(
    client: TestClient, world: World, config: ServerConfig, clock: FixedClock
) -> None:
    device = uuid.uuid4()
    for _ in range(config.login_failures_before_lock):
        sign_in(client, world.a.clerk, device, password="угадываю")
    clock.advance(config.login_lock_base + timedelta(seconds=1))

    assert_error(sign_in(client, world.a.clerk, device, password="снова мимо"), 401, "wrong_password")
    locked_again = sign_in(client, world.a.clerk, device)
    assert_error(locked_again, 429, "too_many_requests")
    assert int(locked_again.headers["Retry-After"]) == int((config.login_lock_base * 2).total_seconds()) + 1

    clock.advance(config.login_lock_base * 2 + timedelta(seconds=1))
    assert sign_in(client, world.a.clerk, device).status_code == 200
    # A success forgets the failures: the next wrong password is not locked out at once.
    assert_error(sign_in(client, world.a.clerk, device, password="опечатка"), 401, "wrong_password")
    assert sign_in(client, world.a.clerk, device).status_code == 200


def test_back_off_is_per_username(client: TestClient, world: World, config: ServerConfig) -> None:
    for _ in range(config.login_failures_before_lock):
        sign_in(client, world.a.clerk, uuid.uuid4(), password="угадываю")

    assert_error(sign_in(client, world.a.clerk, uuid.uuid4()), 429, "too_many_requests")
    assert sign_in(client, world.b.clerk, uuid.uuid4()).status_code == 200


def test_unknown_usernames_are_locked_out_too(client: TestClient, config: ServerConfig) -> None:
    for _ in range(config.login_failures_before_lock):
        assert_error(sign_in(client, "ghost", uuid.uuid4()), 401, "wrong_password")

    assert_error(sign_in(client, "ghost", uuid.uuid4()), 429, "too_many_requests")


# ---------------------------------------------------------------- access tokens


def test_access_token_expires(client: TestClient, world: World, config: ServerConfig, clock: FixedClock) -> None:
    headers = login(client, world.a.clerk)

    clock.advance(config.access_token_ttl - timedelta(seconds=1))
    assert client.get(ME, headers=headers).status_code == 200
    clock.advance(timedelta(seconds=1))

    body = assert_error(client.get(ME, headers=headers), 401, "token_expired")
    assert body.message == "Срок действия входа истёк."
    assert_error(client.get("/api/v1/sync/pull", headers=headers), 401, "token_expired")


@pytest.mark.parametrize(
    ("authorization", "code"),
    [
        ("Bearer garbage", "token_invalid"),
        ("Bearer a.b.c", "token_invalid"),
        ("Bearer " + "x" * 5000, "token_invalid"),
        ("Bearer " + jwt.encode({"sub": "x"}, "s" * 32, algorithm="HS256"), "token_invalid"),
        ("Basic dXNlcjpwYXNz", "unauthorized"),
        ("garbage", "unauthorized"),
    ],
    ids=["garbage", "three-parts", "long", "claims-missing", "basic", "no-scheme"],
)
def test_malformed_token_is_refused(client: TestClient, world: World, authorization: str, code: str) -> None:
    response = client.get(ME, headers={**PROTOCOL, "Authorization": authorization})

    assert_error(response, 401, code)
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_missing_token_is_refused(client: TestClient, world: World) -> None:
    body = assert_error(client.get(ME, headers=PROTOCOL), 401, "unauthorized")
    assert body.message == "Требуется вход в систему."


def test_forged_token_is_refused(client: TestClient, world: World, config: ServerConfig) -> None:
    genuine = pair_of(client, world.a.clerk, uuid.uuid4())["access_token"]
    claims = jwt.decode(genuine, config.secret, algorithms=["HS256"], options={"verify_exp": False})
    promoted = {**claims, "role": "operator", "org": None}
    forged = jwt.encode(promoted, b"not the server's secret" * 2, algorithm="HS256")
    unsigned = jwt.encode(promoted, "", algorithm="none")

    for token in (forged, unsigned):
        assert_error(client.get(ME, headers=bearer(token)), 401, "token_invalid")
        assert_error(client.get("/api/v1/operator/programs", headers=bearer(token)), 401, "token_invalid")


# ---------------------------------------------------------------- refresh tokens


def test_refresh_rotates(client: TestClient, world: World) -> None:
    device = uuid.uuid4()
    first = pair_of(client, world.a.clerk, device)

    response = refresh(client, first["refresh_token"], device)

    assert response.status_code == 200, response.text
    second = response.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["user"] == first["user"]
    assert client.get(ME, headers=bearer(second["access_token"])).status_code == 200
    third = refresh(client, second["refresh_token"], device)
    assert third.status_code == 200, third.text
    assert third.json()["refresh_token"] not in (first["refresh_token"], second["refresh_token"])


def test_reuse_after_the_grace_window_revokes_the_whole_family(
    client: TestClient, world: World, config: ServerConfig, clock: FixedClock
) -> None:
    device = uuid.uuid4()
    first = pair_of(client, world.a.clerk, device)
    second = refresh(client, first["refresh_token"], device).json()
    third = refresh(client, second["refresh_token"], device).json()
    other_session = pair_of(client, world.a.clerk, device)

    clock.advance(config.refresh_grace + timedelta(seconds=1))
    reused = refresh(client, first["refresh_token"], device)

    assert_error(reused, 401, "refresh_reused")
    assert_error(refresh(client, third["refresh_token"], device), 401, "refresh_invalid")
    assert_error(refresh(client, second["refresh_token"], device), 401, "refresh_invalid")
    # Another sign-in of the same user is another family and keeps working.
    assert refresh(client, other_session["refresh_token"], device).status_code == 200


def test_reuse_within_the_grace_window_after_a_later_rotation_revokes_the_family(
    client: TestClient, world: World
) -> None:
    device = uuid.uuid4()
    first = pair_of(client, world.a.clerk, device)
    second = refresh(client, first["refresh_token"], device).json()
    third = refresh(client, second["refresh_token"], device).json()

    # Within the grace window of its own rotation, but its successor was rotated already: not a lost reply.
    assert_error(refresh(client, first["refresh_token"], device), 401, "refresh_reused")
    assert_error(refresh(client, third["refresh_token"], device), 401, "refresh_invalid")
    assert_error(refresh(client, second["refresh_token"], device), 401, "refresh_invalid")


def test_within_the_grace_window_the_same_pair_comes_back(
    client: TestClient, world: World, config: ServerConfig, clock: FixedClock
) -> None:
    device = uuid.uuid4()
    first = pair_of(client, world.a.clerk, device)
    rotated = refresh(client, first["refresh_token"], device)
    assert rotated.status_code == 200

    clock.advance(config.refresh_grace)  # the reply was lost; the client tries again at the edge of the window
    repeated = refresh(client, first["refresh_token"], device)

    assert repeated.status_code == 200, repeated.text
    assert repeated.json()["access_token"] == rotated.json()["access_token"]
    assert repeated.json()["refresh_token"] == rotated.json()["refresh_token"]
    assert repeated.content == rotated.content
    # The pair it returned is the live one: it rotates normally.
    assert refresh(client, repeated.json()["refresh_token"], device).status_code == 200


def test_refresh_is_bound_to_the_device(client: TestClient, world: World) -> None:
    device = uuid.uuid4()
    pair = pair_of(client, world.a.clerk, device)

    assert_error(refresh(client, pair["refresh_token"], uuid.uuid4()), 401, "refresh_invalid")
    assert refresh(client, pair["refresh_token"], device).status_code == 200


def test_expired_refresh_token(client: TestClient, world: World, config: ServerConfig, clock: FixedClock) -> None:
    device = uuid.uuid4()
    pair = pair_of(client, world.a.clerk, device)

    clock.advance(config.refresh_token_ttl)
    body = assert_error(refresh(client, pair["refresh_token"], device), 401, "refresh_expired")

    assert "Сеанс истёк" in body.message
    assert "войдите снова" in body.message


def test_refresh_token_just_before_expiry_still_rotates(
    client: TestClient, world: World, config: ServerConfig, clock: FixedClock
) -> None:
    device = uuid.uuid4()
    pair = pair_of(client, world.a.clerk, device)

    clock.advance(config.refresh_token_ttl - timedelta(seconds=1))

    assert refresh(client, pair["refresh_token"], device).status_code == 200


def test_unknown_refresh_token(client: TestClient, world: World) -> None:
    body = assert_error(refresh(client, "made-up-token", uuid.uuid4()), 401, "refresh_invalid")
    assert body.message == "Сеанс недействителен: войдите снова, указав пароль."


def test_logout_revokes(client: TestClient, world: World) -> None:
    device = uuid.uuid4()
    pair = pair_of(client, world.a.clerk, device)
    rotated = refresh(client, pair["refresh_token"], device).json()

    response = client.post(LOGOUT, headers=PROTOCOL, json={"refresh_token": rotated["refresh_token"]})

    assert response.status_code == 204
    assert response.content == b""
    assert_error(refresh(client, rotated["refresh_token"], device), 401, "refresh_invalid")
    assert_error(refresh(client, pair["refresh_token"], device), 401, "refresh_invalid")


def test_logout_of_an_unknown_token_is_harmless(client: TestClient, world: World) -> None:
    device = uuid.uuid4()
    pair = pair_of(client, world.a.clerk, device)

    response = client.post(LOGOUT, headers=PROTOCOL, json={"refresh_token": "never-issued"})

    assert response.status_code == 204
    assert refresh(client, pair["refresh_token"], device).status_code == 200


def test_deactivated_user_loses_access(client: TestClient, world: World, database: ServerDatabase) -> None:
    device = uuid.uuid4()
    pair = pair_of(client, world.a.clerk, device)
    with database.transaction() as session:
        user = session.scalar(select(User).where(User.username == world.a.clerk))
        assert user is not None
        user.active = False

    assert_error(client.get(ME, headers=bearer(pair["access_token"])), 401, "unauthorized")
    assert_error(refresh(client, pair["refresh_token"], device), 401, "refresh_invalid")
    assert_error(sign_in(client, world.a.clerk, device), 401, "wrong_password")


# ---------------------------------------------------------------- who am I


@pytest.mark.parametrize(
    ("who", "role", "organization"),
    [("clerk_a", "clerk", "a"), ("admin_b", "org_admin", "b"), ("operator", "operator", None)],
)
def test_me(client: TestClient, world: World, who: str, role: str, organization: str | None) -> None:
    response = client.get(ME, headers=login(client, who))

    assert response.status_code == 200, response.text
    me = response.json()
    assert me["username"] == who
    assert me["role"] == role
    if organization is None:
        assert me["organization_id"] is None
        assert me["organization_name"] is None
    else:
        assert me["organization_id"] == str(world.organizations[organization].id)
        assert me["organization_name"] == f"Орг {organization.upper()}"


# ---------------------------------------------------------------- roles


def operator_requests(world: World) -> list[tuple[str, str, dict[str, Any] | None]]:
    program = world.a.program_id
    return [
        ("GET", "/api/v1/operator/programs", None),
        ("GET", f"/api/v1/operator/programs/{program}", None),
        ("POST", f"/api/v1/operator/programs/{program}/certify", {"normatives": {}, "remark": ""}),
        ("POST", f"/api/v1/operator/programs/{program}/refuse", {"remark": "Нет"}),
    ]


def organization_requests(world: World) -> list[tuple[str, str, dict[str, Any] | None]]:
    certificate = world.certificates["c1"]
    return [
        ("POST", "/api/v1/certificates/check", {"number": certificate.number, "surname": certificate.surname}),
        (
            "POST",
            "/api/v1/sync/push",
            {
                "operations": [
                    {"op_id": str(uuid.uuid4()), "type": "program.submit", "version": 1, "payload": {"program_id": ""}}
                ]
            },
        ),
        ("GET", "/api/v1/sync/pull", None),
    ]


@pytest.mark.parametrize("who", ["clerk_a", "admin_a", "clerk_b"])
def test_organization_users_cannot_use_operator_routes(
    client: TestClient, database: ServerDatabase, world: World, who: str
) -> None:
    headers = login(client, who)
    for method, path, body in operator_requests(world):
        response = client.request(method, path, headers=headers, json=body)
        assert_error(response, 403, "forbidden")
        assert response.json()["message"] == "Недостаточно прав для этого действия."
    with database.transaction() as session:
        statuses = {row.status for row in session.scalars(select(ProgramRow))}
    assert statuses == {"certified"}, "nothing was certified or refused"


def test_operator_cannot_use_organization_routes(client: TestClient, world: World) -> None:
    headers = login(client, world.operator)
    for method, path, body in organization_requests(world):
        assert_error(client.request(method, path, headers=headers, json=body), 403, "forbidden")


def test_organization_users_can_use_organization_routes(client: TestClient, world: World) -> None:
    for who in ("clerk_a", "admin_a"):
        headers = login(client, who)
        certificate = world.certificates["c1"]
        check = client.post(
            "/api/v1/certificates/check",
            headers=headers,
            json={"number": certificate.number, "surname": certificate.surname},
        )
        assert check.status_code == 200, check.text
        assert client.get("/api/v1/sync/pull", headers=headers).status_code == 200


def test_operator_can_use_operator_routes(client: TestClient, world: World) -> None:
    headers = login(client, world.operator)

    assert client.get("/api/v1/operator/programs", headers=headers).status_code == 200
    details = client.get(f"/api/v1/operator/programs/{world.a.program_id}", headers=headers)
    assert details.status_code == 200, details.text


# ---------------------------------------------------------------- protocol version


def api_routes(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of every API route, with path parameters filled in."""
    found = []
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, APIRoute) and context.path:
            for method in sorted(context.methods or ()):
                found.append((method, context.path.replace("{program_id}", str(uuid.uuid4()))))
    return found


@pytest.mark.parametrize("header", [None, "2", "0", "1.0", "v1", ""])
def test_every_api_route_needs_a_supported_protocol(
    client: TestClient, app: FastAPI, world: World, header: str | None
) -> None:
    authorization = login(client, world.a.clerk)["Authorization"]
    routes = [(method, path) for method, path in api_routes(app) if path.startswith("/api/v1/")]
    assert len(routes) >= 12
    for method, path in routes:
        headers = {"Authorization": authorization}
        if header is not None:
            headers[PROTOCOL_HEADER] = header
        response = client.request(method, path, headers=headers, json={} if method == "POST" else None)
        body = assert_error(response, 426, "protocol_unsupported")
        assert "Обновите программу" in body.message, (method, path)
        assert body.details == {"supported": [1]}
        if header:
            assert f"Версия протокола {header} не поддерживается" in body.message
        else:
            assert "Не указана версия протокола" in body.message


def test_health_needs_no_protocol_header(client: TestClient) -> None:
    response = client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": __version__}


# ---------------------------------------------------------------- stored passwords


def test_passwords_are_stored_as_argon2_hashes(database: ServerDatabase, world: World) -> None:
    with database.transaction() as session:
        users = session.scalars(select(User)).all()
    assert len(users) == 5
    passwords = Passwords(fast=True)
    for user in users:
        assert user.password_hash.startswith("$argon2id$"), user.username
        assert PASSWORD not in user.password_hash
        assert PASSWORD.encode().hex() not in user.password_hash
        assert passwords.verify(user.password_hash, PASSWORD)
        assert not passwords.verify(user.password_hash, PASSWORD + "!")
    assert len({user.password_hash for user in users}) == len(users), "every hash has its own salt"


def test_password_does_not_appear_anywhere_in_the_database(
    client: TestClient, database: ServerDatabase, world: World
) -> None:
    """Signing in leaves no plaintext password behind: not in users, tokens, throttle or the audit log."""
    sign_in(client, world.a.clerk, uuid.uuid4())
    sign_in(client, world.a.clerk, uuid.uuid4(), password="неверный-пароль-123")
    with database.transaction() as session:
        for table in Base.metadata.sorted_tables:
            for row in session.execute(table.select()).all():
                text = " ".join(str(value) for value in row)
                assert PASSWORD not in text, table.name
                assert "неверный-пароль-123" not in text, table.name
