"""Tests that bad input gets a clear 4xx (an ``ErrorBody`` with a Russian message), never a 5xx: malformed
JSON, wrong types, unknown fields, huge bodies, bad batches; then fuzzing of every documented operation with
schemathesis (against docs/openapi.json) and of push with payloads generated from the protocol's models."""

from __future__ import annotations

import json
import os
import re
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx2
import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from pydantic import BaseModel
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from desktop_app.sync.payloads import OPERATION_PAYLOADS
from desktop_app.sync.protocol import (
    MAX_OPERATIONS_PER_PUSH,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    ErrorBody,
    LoginRequest,
    PushRequest,
)
from server.api.app import create_app
from server.api.schemas import ApplicationRequest, CertifyRequest
from server.clock import FixedClock
from server.config import DEFAULT_TIMEZONE, ServerConfig
from server.db import migrate
from server.db.engine import ServerDatabase, create_server_engine, sqlite_url
from tests.server.conftest import TEST_NOW, LiveServer
from tests.server.world import PASSWORD, PROTOCOL, World, contract_request, login, operation, push

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = json.loads((ROOT / "docs" / "openapi.json").read_text(encoding="utf-8"))
DOCUMENTED = sorted((method.upper(), path) for path, item in DOCUMENT["paths"].items() for method in item)
CYRILLIC = re.compile("[А-Яа-яЁё]")
JSON_HEADERS = {**PROTOCOL, "Content-Type": "application/json"}
LOGIN = "/api/v1/auth/login"
PUSH = "/api/v1/sync/push"
PULL = "/api/v1/sync/pull"
FUZZ_EXAMPLES = int(os.environ.get("PFDO_FUZZ_EXAMPLES", "20"))
"""Examples per generation mode and operation: enough to shake out crashes, small enough for CI (set
``PFDO_FUZZ_EXAMPLES`` higher for a long hunt on a developer's machine)."""


def assert_error(response: httpx2.Response, status: int, code: str) -> ErrorBody:
    """The answer is an ``ErrorBody`` with that status and code and a Russian message."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = ErrorBody.model_validate(response.json())
    assert body.code == code, body
    assert CYRILLIC.search(body.message), body.message
    return body


MAX_BODY_BYTES = ServerConfig.max_body_bytes


@pytest.fixture(scope="module")
def front_desk_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    """An app on one SQLite file for requests refused before any rule touches the data: one backend is enough."""
    url = sqlite_url(tmp_path_factory.mktemp("front-desk") / "server.sqlite3")
    engine = create_server_engine(url)
    migrate.upgrade(engine)
    database = ServerDatabase(engine)
    config = ServerConfig(database_url=url, secret=b"s" * 32, fast_password_hashing=True)
    assert config.max_body_bytes == MAX_BODY_BYTES
    yield create_app(config, database, FixedClock(DEFAULT_TIMEZONE, TEST_NOW))
    database.dispose()


@pytest.fixture
def front_desk(front_desk_app: FastAPI) -> Iterator[TestClient]:
    before = set(threading.enumerate())
    with TestClient(front_desk_app) as client:
        yield client
    # The client's event loop has ended and told its idle AnyIO worker threads to stop: let them finish.
    for thread in set(threading.enumerate()) - before:
        thread.join(timeout=10)


def valid_login() -> dict[str, str]:
    return {"username": "clerk_a", "password": PASSWORD, "device_id": str(uuid.uuid4())}


# ---------------------------------------------------------------- malformed bodies


@pytest.mark.parametrize(
    "content",
    [b'{"username":', b"{'username': 'clerk_a'}", b"", b"\xff\xfe{}", b'{"username": "\x00"}', b"[1, 2,]"],
    ids=["truncated", "single-quotes", "empty", "not-utf8", "raw-nul", "trailing-comma"],
)
def test_malformed_json(front_desk: TestClient, content: bytes) -> None:
    response = front_desk.post(LOGIN, headers=JSON_HEADERS, content=content)

    if content:
        body = assert_error(response, 400, "invalid_json")
        assert body.message == "Тело запроса не является корректным JSON."
    else:
        assert_error(response, 422, "invalid_body")


@pytest.mark.parametrize("content", [b"[]", b'"clerk_a"', b"42", b"null", b"NaN"])
def test_body_that_is_not_an_object(front_desk: TestClient, content: bytes) -> None:
    body = assert_error(front_desk.post(LOGIN, headers=JSON_HEADERS, content=content), 422, "invalid_body")
    assert body.message == "Тело запроса должно быть JSON-объектом (Content-Type: application/json)."


def test_json_without_a_json_content_type(front_desk: TestClient) -> None:
    for content_type in (None, "text/plain", "application/x-www-form-urlencoded"):
        headers = dict(PROTOCOL) if content_type is None else {**PROTOCOL, "Content-Type": content_type}
        response = front_desk.post(LOGIN, headers=headers, content=json.dumps(valid_login()).encode())
        assert_error(response, 422, "invalid_body")


@pytest.mark.parametrize(
    ("body", "message", "errors"),
    [
        (
            {},
            "Неверные данные запроса: body.device_id, body.password, body.username.",
            {("body.username", "missing"), ("body.password", "missing"), ("body.device_id", "missing")},
        ),
        (
            {"username": 17, "password": ["x"], "device_id": "не-uuid"},
            "Неверные данные запроса: body.device_id, body.password, body.username.",
            {("body.username", "string_type"), ("body.password", "string_type"), ("body.device_id", "uuid_parsing")},
        ),
        (
            {**valid_login(), "organization_id": str(uuid.uuid4())},
            "Неверные данные запроса: body.organization_id.",
            {("body.organization_id", "extra_forbidden")},
        ),
        (
            {**valid_login(), "username": "", "password": "x" * 257},
            "Неверные данные запроса: body.password, body.username.",
            {("body.username", "string_too_short"), ("body.password", "string_too_long")},
        ),
    ],
    ids=["missing", "wrong-types", "unknown-field", "lengths"],
)
def test_invalid_login_body_names_the_fields(
    front_desk: TestClient, body: dict[str, Any], message: str, errors: set[tuple[str, str]]
) -> None:
    error = assert_error(front_desk.post(LOGIN, headers=PROTOCOL, json=body), 422, "invalid_request")

    assert error.message == message
    assert error.details is not None
    assert {(item["field"], item["type"]) for item in error.details["errors"]} == errors


def test_invalid_nested_fields_are_named(client: TestClient, world: World) -> None:
    headers = login(client, world.a.clerk)
    body = {
        "operations": [
            {"op_id": "x", "type": "program.create", "version": "1", "payload": {}},
            {"op_id": str(uuid.uuid4()), "type": "НЕ ТИП", "version": 1, "payload": [], "extra": True},
        ]
    }

    error = assert_error(client.post(PUSH, headers=headers, json=body), 422, "invalid_request")

    assert error.message == (
        "Неверные данные запроса: body.operations.0.op_id, body.operations.0.version, body.operations.1.extra, "
        "body.operations.1.payload, body.operations.1.type."
    )


def test_invalid_certificate_check_body(client: TestClient, world: World) -> None:
    headers = login(client, world.a.clerk)

    error = assert_error(
        client.post("/api/v1/certificates/check", headers=headers, json={"number": "42", "surname": ""}),
        422,
        "invalid_request",
    )

    assert error.message == "Неверные данные запроса: body.number, body.surname."


def test_overlong_choices_are_rejected_not_crashing(client: TestClient, world: World) -> None:
    """Direction, kind, form and level have no length in the protocol; the server stores 32 characters."""
    headers = login(client, world.a.clerk)
    program = {
        "full_name": "Программа",
        "short_name": "Программа",
        "kind": None,
        "form": None,
        "level": None,
        "age_from_months": 60,
        "age_to_months": 120,
        "duration_months": 9,
    }

    results = push(
        client,
        headers,
        operation("program.create", {**program, "id": str(uuid.uuid4()), "direction": "н" * 33, "level": "у" * 40}),
        operation("program.create", {**program, "id": str(uuid.uuid4()), "direction": "н" * 32}),
        operation("program.update", {**program, "id": str(world.a.program_id), "direction": "н" * 33}),
    )

    assert [(result["status"], result["code"]) for result in results] == [
        ("rejected", "invalid_payload"),
        ("applied", None),
        ("rejected", "invalid_payload"),
    ]
    assert results[0]["message"] == "Неверные данные операции, поля: direction, level."
    assert results[2]["message"] == "Неверные данные операции, поля: direction."


def test_nul_characters_are_refused(client: TestClient, world: World) -> None:
    """PostgreSQL cannot store U+0000 in text; the server refuses it on every backend alike."""
    headers = login(client, world.a.clerk)
    cases: list[tuple[str, dict[str, str], bytes]] = [
        (LOGIN, JSON_HEADERS, b'{"username": "clerk_a\\u0000", "password": "x", "device_id": "%s"}'),
        (
            "/api/v1/certificates/check",
            {**headers, "Content-Type": "application/json"},
            b'{"number": "4212000001", "surname": "\\u0000"}',
        ),
        (
            PUSH,
            {**headers, "Content-Type": "application/json"},
            b'{"operations": [{"op_id": "%s", "type": "x.y", "version": 1, "payload": {"\\u0000": 1}}]}',
        ),
    ]
    for path, request_headers, template in cases:
        content = template.replace(b"%s", str(uuid.uuid4()).encode())
        body = assert_error(client.post(path, headers=request_headers, content=content), 422, "invalid_text")
        assert body.message == "Текст в запросе содержит недопустимый символ с кодом 0."
    # An escaped backslash before «u0000» is ordinary text, not a NUL character.
    text = client.post(
        LOGIN,
        headers=JSON_HEADERS,
        content=b'{"username": "a\\\\u0000", "password": "x", "device_id": "%s"}'.replace(
            b"%s", str(uuid.uuid4()).encode()
        ),
    )
    assert_error(text, 401, "wrong_password")


# ---------------------------------------------------------------- body size


def padded_login(size: int) -> bytes:
    """A valid login body padded with JSON whitespace to exactly ``size`` bytes."""
    body = json.dumps({"username": "nobody", "password": "x", "device_id": str(uuid.uuid4())}).encode()
    return body[:-1] + b" " * (size - len(body)) + b"}"


def test_body_at_the_limit_is_read(front_desk: TestClient) -> None:
    body = padded_login(MAX_BODY_BYTES)
    assert len(body) == MAX_BODY_BYTES

    assert_error(front_desk.post(LOGIN, headers=JSON_HEADERS, content=body), 401, "wrong_password")


def test_body_over_the_limit_with_content_length(front_desk: TestClient) -> None:
    response = front_desk.post(LOGIN, headers=JSON_HEADERS, content=padded_login(MAX_BODY_BYTES + 1))

    body = assert_error(response, 413, "body_too_large")
    assert body.message == "Слишком большой запрос: не больше 1000 КБ."


def test_huge_bodies_over_a_real_socket(live_server: LiveServer, config: ServerConfig) -> None:
    """Declared or chunked (no Content-Length), a body over the limit gets 413 from a real uvicorn."""
    chunk = b" " * 65_536

    def chunks() -> Iterator[bytes]:
        sent = 0
        while sent <= config.max_body_bytes:
            yield chunk
            sent += len(chunk)

    with httpx2.Client(base_url=live_server.url, timeout=30) as http:
        declared = http.post(LOGIN, headers=JSON_HEADERS, content=padded_login(config.max_body_bytes + 1))
        assert declared.request.headers["content-length"] == str(config.max_body_bytes + 1)
        assert_error(declared, 413, "body_too_large")

        streamed = http.post(LOGIN, headers=JSON_HEADERS, content=chunks())
        assert "content-length" not in streamed.request.headers
        assert streamed.request.headers["transfer-encoding"] == "chunked"
        assert_error(streamed, 413, "body_too_large")

    with httpx2.Client(base_url=live_server.url, timeout=30) as http:
        # The server is still serving afterwards.
        assert http.get("/health").status_code == 200


# ---------------------------------------------------------------- routes and methods


@pytest.mark.parametrize("path", ["/nowhere", "/api/v1/nowhere", "/api/v2/sync/push", "/api/v1/operator/programs/x/y"])
def test_unknown_route(front_desk: TestClient, path: str) -> None:
    body = assert_error(front_desk.get(path, headers=PROTOCOL), 404, "http_error")
    assert body.message == "Адрес не найден."


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [("GET", PUSH, "POST"), ("DELETE", PULL, "GET"), ("PUT", "/health", "GET"), ("GET", LOGIN, "POST")],
)
def test_wrong_method(front_desk: TestClient, method: str, path: str, allowed: str) -> None:
    response = front_desk.request(method, path, headers=PROTOCOL)

    body = assert_error(response, 405, "http_error")
    assert body.message == "Метод не поддерживается для этого адреса."
    assert response.headers["allow"] == allowed


def test_malformed_path_parameter(client: TestClient, world: World) -> None:
    headers = login(client, world.operator)

    body = assert_error(client.get("/api/v1/operator/programs/не-uuid", headers=headers), 422, "invalid_request")
    assert body.message == "Неверные данные запроса: path.program_id."


# ---------------------------------------------------------------- push and pull


@pytest.mark.parametrize("count", [0, MAX_OPERATIONS_PER_PUSH + 1])
def test_push_batch_size_limits(client: TestClient, world: World, count: int) -> None:
    headers = login(client, world.a.clerk)
    operations = [operation("program.submit", {"program_id": str(world.a.program_id)}) for _ in range(count)]

    body = assert_error(client.post(PUSH, headers=headers, json={"operations": operations}), 422, "invalid_request")

    assert body.message == "Неверные данные запроса: body.operations."
    assert body.details is not None
    assert body.details["errors"][0]["type"] == ("too_short" if count == 0 else "too_long")


def test_push_of_the_largest_batch_is_accepted(client: TestClient, world: World) -> None:
    headers = login(client, world.a.clerk)
    operations = [operation("group.archive", {"id": str(uuid.uuid4())}) for _ in range(MAX_OPERATIONS_PER_PUSH)]

    results = push(client, headers, *operations)

    assert len(results) == MAX_OPERATIONS_PER_PUSH
    assert {result["code"] for result in results} == {"not_found"}


def test_bad_operations_are_rejected_one_by_one(client: TestClient, world: World) -> None:
    """An unknown type or a bad payload rejects that operation only, not the batch."""
    headers = login(client, world.a.clerk)
    program_id = uuid.uuid4()
    batch = [
        operation("program.teleport", {"id": str(program_id)}),
        {**operation("program.create", {"id": str(program_id)}), "version": 2},
        operation("program.create", {"id": str(program_id), "full_name": 5, "extra": True}),
        operation("contract.confirm", {}),
        operation(
            "program.create",
            {
                "id": str(program_id),
                "full_name": "Хор",
                "short_name": "Хор",
                "direction": "arts",
                "kind": None,
                "form": None,
                "level": None,
                "age_from_months": 60,
                "age_to_months": 120,
                "duration_months": 9,
            },
        ),
    ]

    response = client.post(PUSH, headers=headers, json={"operations": batch})

    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [(result["op_id"], result["status"], result["code"]) for result in results] == [
        (batch[0]["op_id"], "rejected", "unknown_operation"),
        (batch[1]["op_id"], "rejected", "unknown_operation"),
        (batch[2]["op_id"], "rejected", "invalid_payload"),
        (batch[3]["op_id"], "rejected", "invalid_payload"),
        (batch[4]["op_id"], "applied", None),
    ]
    assert results[0]["message"] == (
        "Сервер не знает операцию «program.teleport» версии 1. Обновите сервер или программу."
    )
    assert results[1]["message"] == "Сервер не знает операцию «program.create» версии 2. Обновите сервер или программу."
    assert results[2]["message"] == (
        "Неверные данные операции, поля: age_from_months, age_to_months, direction, duration_months, extra, "
        "form, full_name, kind, level, short_name."
    )
    assert results[3]["message"] == "Неверные данные операции, поля: contract_id."


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"cursor": -1}, "query.cursor"),
        ({"cursor": "вчера"}, "query.cursor"),
        ({"cursor": 2**63}, "query.cursor"),
        ({"limit": 0}, "query.limit"),
        ({"limit": 1001}, "query.limit"),
    ],
)
def test_pull_with_bad_parameters(client: TestClient, world: World, params: dict[str, Any], field: str) -> None:
    headers = login(client, world.a.clerk)

    body = assert_error(client.get(PULL, headers=headers, params=params), 422, "invalid_request")

    assert body.message == f"Неверные данные запроса: {field}."


def test_operator_list_with_a_bad_status(client: TestClient, world: World) -> None:
    headers = login(client, world.operator)

    body = assert_error(
        client.get("/api/v1/operator/programs", headers=headers, params={"status": "archived"}), 422, "invalid_request"
    )
    assert body.message == "Неверные данные запроса: query.status."


# ---------------------------------------------------------------- generating data from a JSON schema


class SchemaStrategies:
    """Hypothesis strategies for values of a JSON schema (the subset pydantic and FastAPI emit).

    ``uuids`` and ``certificate_numbers`` steer identifiers towards records that exist, so generated requests
    get past «not found» and into the server's rules.
    """

    def __init__(
        self,
        root: dict[str, Any],
        uuids: list[str] | None = None,
        certificate_numbers: list[str] | None = None,
        *,
        nul: bool = True,
        ids: dict[str, list[str]] | None = None,
    ) -> None:
        self.root = root
        self.ids = ids or {}
        self.alphabet = st.characters(codec="utf-8", exclude_characters="" if nul else "\x00")
        self.uuids = st.one_of(st.sampled_from(uuids), st.uuids().map(str)) if uuids else st.uuids().map(str)
        numbers = st.from_regex(r"\d{10}", fullmatch=True)
        self.numbers = st.one_of(st.sampled_from(certificate_numbers), numbers) if certificate_numbers else numbers

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            node: Any = self.root
            for part in schema["$ref"].removeprefix("#/").split("/"):
                node = node[part]
            schema = node
        return schema

    def of(self, schema: dict[str, Any]) -> st.SearchStrategy[Any]:  # noqa: PLR0911 — one branch per type
        schema = self.resolve(schema)
        if "const" in schema:
            return st.just(schema["const"])
        if "enum" in schema:
            return st.sampled_from(schema["enum"])
        for combinator in ("anyOf", "oneOf"):
            if combinator in schema:
                return st.one_of([self.of(option) for option in schema[combinator]])
        if "allOf" in schema:
            return self.of(schema["allOf"][0])
        kind = schema.get("type", "string" if "format" in schema or "pattern" in schema else None)
        if kind == "object":
            return self.object(schema)
        if kind == "array":
            return st.lists(
                self.of(schema.get("items", {})),
                min_size=schema.get("minItems", 0),
                max_size=min(schema.get("maxItems", 3), 3),
            )
        if kind == "string":
            return self.string(schema)
        if kind == "integer":
            return self.integer(schema)
        if kind == "number":
            return st.floats(allow_nan=False, allow_infinity=False)
        if kind == "boolean":
            return st.booleans()
        if kind == "null":
            return st.none()
        return self.anything()

    def anything(self) -> st.SearchStrategy[Any]:
        scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(self.alphabet, max_size=10), self.uuids)
        return st.recursive(
            scalars,
            lambda inner: st.one_of(
                st.lists(inner, max_size=3), st.dictionaries(st.text(self.alphabet, max_size=5), inner, max_size=3)
            ),
            max_leaves=6,
        )

    def object(self, schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
        properties: dict[str, Any] = schema.get("properties", {})
        required = set(schema.get("required", ()))
        if not properties:
            extra = schema.get("additionalProperties", {})
            keys = (
                self.of(schema["propertyNames"]) if "propertyNames" in schema else st.text(self.alphabet, max_size=10)
            )
            return st.dictionaries(keys, self.of(extra if isinstance(extra, dict) else {}), max_size=3)
        return st.fixed_dictionaries(
            {name: self.named(name, value) for name, value in properties.items() if name in required},
            optional={name: self.named(name, value) for name, value in properties.items() if name not in required},
        )

    def named(self, name: str, schema: dict[str, Any]) -> st.SearchStrategy[Any]:
        if name in self.ids:
            known = st.sampled_from(self.ids[name])
            return st.one_of(known, known, known, known, self.of(schema))
        if name.endswith("surname"):
            return st.one_of(
                st.sampled_from(["Петров", "Соколова-Ёлкина", "СОКОЛОВА-ЕЛКИНА", "Иванов"]), self.of(schema)
            )
        return self.of(schema)

    def string(self, schema: dict[str, Any]) -> st.SearchStrategy[str]:  # noqa: PLR0911 — one return per format
        form = schema.get("format")
        if form == "uuid":
            return self.uuids
        if form == "date":
            near = st.dates(date(2026, 1, 1), date(2028, 12, 31))
            return st.one_of(near, near, st.dates()).map(date.isoformat)
        if form == "time":
            return st.times().map(lambda value: value.isoformat())
        if form == "date-time":
            return st.datetimes(timezones=st.just(UTC)).map(datetime.isoformat)
        if schema.get("pattern") == r"^\d{10}$":
            return self.numbers
        if "pattern" in schema:
            return st.from_regex(schema["pattern"], fullmatch=True)
        low, high = schema.get("minLength", 0), schema.get("maxLength")
        short = st.text(self.alphabet, min_size=low, max_size=max(low, min(high or 40, 40)))
        # Long text too: at the documented limit (up to 100), or past the 32 of narrow columns where there is none.
        long_size = (
            {"min_size": min(high, 100), "max_size": min(high, 100)} if high else {"min_size": 33, "max_size": 80}
        )
        long = st.text(self.alphabet, **long_size)
        return st.one_of(short, short, long)

    @staticmethod
    def integer(schema: dict[str, Any]) -> st.SearchStrategy[int]:
        low = int(schema["minimum"]) if "minimum" in schema else None
        high = int(schema["maximum"]) if "maximum" in schema else None
        edges = [value for value in (low, high) if value is not None]
        return st.one_of(st.integers(low, high), st.sampled_from(edges)) if edges else st.integers()


@pytest.mark.parametrize("name", ["LoginRequest", "PushRequest", "CertifyRequest", "ApplicationRequest"])
def test_schema_strategies_follow_the_document(name: str) -> None:
    """The home-made generator (the fallback for what schemathesis cannot run) makes documented bodies."""
    models: dict[str, type[BaseModel]] = {
        "LoginRequest": LoginRequest,
        "PushRequest": PushRequest,
        "CertifyRequest": CertifyRequest,
        "ApplicationRequest": ApplicationRequest,
    }
    seen: list[Any] = []

    @settings(max_examples=15, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(value=SchemaStrategies(DOCUMENT).of({"$ref": f"#/components/schemas/{name}"}))
    def conforms(value: Any) -> None:
        models[name].model_validate(value)
        seen.append(value)

    conforms()
    assert len(seen) == 15


# ---------------------------------------------------------------- fuzzing every documented operation


def sign_in(http: httpx2.Client, username: str) -> str:
    response = http.post(
        LOGIN, headers=PROTOCOL, json={"username": username, "password": PASSWORD, "device_id": str(uuid.uuid4())}
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def submitted_program(http: httpx2.Client, username: str) -> str:
    """A program of organization A waiting for the operator, so operator routes have something to decide."""
    program_id = str(uuid.uuid4())
    program = {
        "id": program_id,
        "full_name": "Программа для проверки",
        "short_name": "Проверка",
        "direction": "social",
        "kind": "general_developmental",
        "form": "correspondence",
        "level": "basic",
        "age_from_months": 60,
        "age_to_months": 200,
        "duration_months": 9,
    }
    module = {
        "id": str(uuid.uuid4()),
        "program_id": program_id,
        "position": 0,
        "name": "Модуль",
        "months": 9,
        "hours": 36,
        "min_group_size": 1,
        "max_group_size": 10,
        "price": 500_000,
    }
    batch = [
        operation("program.create", program),
        operation("module.create", module),
        operation("program.submit", {"program_id": program_id}),
    ]
    headers = {**PROTOCOL, "Authorization": f"Bearer {sign_in(http, username)}"}
    response = http.post(PUSH, headers=headers, json={"operations": batch})
    assert [result["status"] for result in response.json()["results"]] == ["applied"] * 3, response.text
    return program_id


def fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )


@pytest.fixture(scope="module")
def documented_schema() -> Any:
    return schemathesis.openapi.from_dict(DOCUMENT)


PACE = {"/api/v1/certificates/check": timedelta(seconds=3), "/api/v1/portal/applications": timedelta(seconds=7)}
"""Rate-limited routes: the clock moves this much before each request, so generated requests get past the limit
and into the rules behind it."""


@dataclass
class Caller:
    """Headers for one generated request: the protocol version and a fresh enough token of the right role."""

    http: httpx2.Client
    clock: FixedClock
    username: str
    pace: timedelta
    token: str = ""
    signed_at: datetime | None = None

    def headers(self, generated: Any = None, keep_generated_authorization: bool = False) -> dict[str, str]:
        self.clock.advance(self.pace)
        if self.signed_at is None or self.clock.now() - self.signed_at > timedelta(minutes=10):
            self.token, self.signed_at = sign_in(self.http, self.username), self.clock.now()
        headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION), "Authorization": f"Bearer {self.token}"}
        if keep_generated_authorization and generated and "authorization" in generated:
            del headers["Authorization"]
        return headers


@pytest.mark.parametrize(("method", "path"), DOCUMENTED, ids=[f"{method} {path}" for method, path in DOCUMENTED])
def test_no_server_errors_on_any_documented_operation(
    live_server: LiveServer, world: World, clock: FixedClock, documented_schema: Any, method: str, path: str
) -> None:
    """schemathesis generates valid and invalid requests for the operation; none may get a 5xx, and every
    refusal is an ``ErrorBody`` with a Russian message.

    Requests carry the protocol header and the right role's token (a fifth of them keep the generated
    Authorization header instead). Where schemathesis cannot generate a mode for an operation (nothing in it
    can be made invalid), the home-made generator sends requests built from the same document instead, so no
    operation goes untested.
    """
    api_operation = documented_schema[path][method]
    counted = {"schemathesis": 0, "fallback": 0}
    with httpx2.Client(base_url=live_server.url, timeout=30) as http:
        program_ids = [str(world.a.program_id), str(world.b.program_id), submitted_program(http, world.a.clerk)]
        username = world.operator if path.startswith("/api/v1/operator/") else world.a.clerk
        caller = Caller(http, clock, username, PACE.get(path, timedelta(0)))

        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @fuzz_settings(FUZZ_EXAMPLES)
            @given(
                case=api_operation.as_strategy(generation_mode=mode),
                keep_generated_authorization=st.integers(0, 4).map(lambda draw: draw == 0),
                known_program=st.sampled_from([None, *program_ids]),
            )
            def schemathesis_run(case: Any, keep_generated_authorization: bool, known_program: str | None) -> None:
                if known_program is not None and case.path_parameters and "program_id" in case.path_parameters:
                    case.path_parameters["program_id"] = known_program
                headers = caller.headers(case.headers, keep_generated_authorization)
                response = case.call(base_url=live_server.url, headers=headers, timeout=30)
                counted["schemathesis"] += 1
                case.validate_response(response, checks=[not_a_server_error])
                if response.status_code >= 400:
                    assert CYRILLIC.search(ErrorBody.model_validate_json(response.content).message), response.content

            try:
                schemathesis_run()
            except Unsatisfiable:
                fallback_run(http, method, path, program_ids, caller, counted)

    assert counted["schemathesis"] + counted["fallback"] >= FUZZ_EXAMPLES, counted


def fallback_run(
    http: httpx2.Client, method: str, path: str, program_ids: list[str], caller: Caller, counted: dict[str, int]
) -> None:
    """Requests for the operation generated from the document by ``SchemaStrategies``, valid and not."""
    item = DOCUMENT["paths"][path][method.lower()]
    strategies = SchemaStrategies(DOCUMENT, uuids=program_ids)
    body_schema = item.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    bodies = st.one_of(strategies.of(body_schema), strategies.anything()) if body_schema else st.none()
    documented_query = st.fixed_dictionaries(
        {},
        optional={
            parameter["name"]: st.one_of(strategies.of(parameter["schema"]), st.text(max_size=5))
            for parameter in item.get("parameters", [])
            if parameter["in"] == "query"
        },
    )
    junk_query = st.dictionaries(st.text(min_size=1, max_size=5), st.text(max_size=5), max_size=2)

    @fuzz_settings(FUZZ_EXAMPLES)
    @given(body=bodies, params=st.one_of(documented_query, junk_query), program_id=strategies.uuids)
    def run(body: Any, params: dict[str, Any], program_id: str) -> None:
        url = path.replace("{program_id}", program_id)
        response = http.request(method, url, headers=caller.headers(), json=body, params=params)
        counted["fallback"] += 1
        assert response.status_code < 500, (method, url, body, params, response.text)
        if response.status_code >= 400:
            assert CYRILLIC.search(ErrorBody.model_validate(response.json()).message), response.text

    run()


def test_every_documented_operation_is_fuzzed(app: FastAPI) -> None:
    """The fuzzed list is the document's, and the document is the app's (see test_openapi)."""
    assert set(DOCUMENTED) == {
        (method.upper(), path) for path, item in app.openapi()["paths"].items() for method in item
    }


# ---------------------------------------------------------------- fuzzing push with protocol payloads


def test_push_fuzz_with_payloads_from_the_protocol(client: TestClient, world: World) -> None:
    """Operations of every known type, payloads generated from their models, aimed at real records: the server
    answers each with a result (never a 5xx), and a rejection always says why in Russian.

    Identifiers are drawn by role (a program's id from programs, a group's from groups…) among records that
    exist — the world's and a second set made here — so that edits, submissions and contracts meet real rows.
    """
    headers = login(client, world.a.clerk)
    a = world.a
    program, module, group, entry, teacher, address = (str(uuid.uuid4()) for _ in range(6))
    contract = contract_request(world, a, "c1")
    made = push(
        client,
        headers,
        operation(
            "program.create",
            {
                "id": program,
                "full_name": "Вторая программа",
                "short_name": "Вторая",
                "direction": "arts",
                "kind": "general_developmental",
                "form": "full_time",
                "level": "basic",
                "age_from_months": 60,
                "age_to_months": 200,
                "duration_months": 9,
                "addresses": ["ул. Садовая, 2"],
            },
        ),
        operation(
            "module.create",
            {
                "id": module,
                "program_id": program,
                "position": 0,
                "name": "Модуль",
                "months": 9,
                "hours": 36,
                "min_group_size": 1,
                "max_group_size": 10,
                "price": 300_000,
            },
        ),
        operation(
            "group.create",
            {
                "id": group,
                "module_id": module,
                "name": "Группа",
                "teacher": "Педагог",
                "start_date": "2026-09-01",
                "end_date": "2027-05-31",
                "capacity": 5,
            },
        ),
        operation(
            "schedule.create",
            {"id": entry, "group_id": group, "weekday": 1, "starts_at": "10:00:00", "ends_at": "11:00:00"},
        ),
        contract,
        operation("teacher.create", {"id": teacher, "full_name": "Педагог", "category": "первая"}),
        operation("address.create", {"id": address, "text": "ул. Садовая, 2"}),
    )
    assert [result["status"] for result in made] == ["applied"] * 7, made
    programs = [str(a.program_id), program]
    modules = [str(a.module_id), module]
    groups = [str(a.group_id), str(a.small_group_id), group, str(world.b.group_id)]
    schedules = [entry]
    contracts = [contract["payload"]["id"]]
    by_kind = {
        "program": programs,
        "module": modules,
        "group": groups,
        "schedule": schedules,
        "contract": contracts,
        "teacher": [teacher],
        "address": [address],
        "organization": [str(a.id)],  # organization.requisites names no record: the token's organization
    }
    numbers = [certificate.number for certificate in world.certificates.values()]

    def typed(op_type: str, version: int, model: type[BaseModel]) -> st.SearchStrategy[dict[str, Any]]:
        schema = model.model_json_schema()
        ids = {
            "id": by_kind[op_type.split(".", maxsplit=1)[0]],
            "program_id": programs,
            "module_id": modules,
            "group_id": groups,
            "contract_id": contracts,
        }
        # Without U+0000, which refuses the whole request (see test_nul_characters_are_refused).
        strategies = SchemaStrategies(schema, certificate_numbers=numbers, nul=False, ids=ids)
        return strategies.of(schema).map(
            lambda payload: {"op_id": str(uuid.uuid4()), "type": op_type, "version": version, "payload": payload}
        )

    # Archiving is drawn less often: an archived program refuses everything that follows.
    operations = st.one_of(
        [
            typed(op_type, version, model)
            for (op_type, version), model in OPERATION_PAYLOADS.items()
            for _weight in range(1 if op_type.endswith(".archive") else 3)
        ]
    )
    codes: dict[str, int] = {}

    @fuzz_settings(4 * FUZZ_EXAMPLES)
    @given(batch=st.lists(operations, min_size=1, max_size=4))
    def run(batch: list[dict[str, Any]]) -> None:
        response = client.post(PUSH, headers=headers, json={"operations": batch})
        assert response.status_code == 200, response.text
        results = response.json()["results"]
        assert [result["op_id"] for result in results] == [item["op_id"] for item in batch]
        for result in results:
            code = result["code"] or result["status"]
            codes[code] = codes.get(code, 0) + 1
            if result["status"] == "rejected":
                assert CYRILLIC.search(result["message"]), result
        assert client.get(PULL, headers=headers, params={"limit": 5}).status_code == 200

    run()
    assert codes.get("applied", 0) >= 5, f"the generated operations stayed shallow: {codes}"
    assert len(codes) >= 6, f"the generated operations stayed shallow: {codes}"
