"""Tests that docs/openapi.json is the running server's OpenAPI document, and that /docs serves the API docs."""

from __future__ import annotations

import difflib
import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = ROOT / "docs" / "openapi.json"
TOOL = ROOT / "tools" / "export_openapi.py"
HINT = "docs/openapi.json differs from the app's schema: run `python tools/export_openapi.py` and commit the result"


def load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("export_openapi", TOOL)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    return load_tool()


def test_committed_document_matches_the_app(app: FastAPI, tool: ModuleType) -> None:
    expected: str = tool.render(app.openapi())
    committed = DOCUMENT.read_text(encoding="utf-8") if DOCUMENT.exists() else ""

    if committed != expected:
        diff = "".join(
            list(
                difflib.unified_diff(
                    committed.splitlines(keepends=True),
                    expected.splitlines(keepends=True),
                    "docs/openapi.json (committed)",
                    "the app's schema",
                )
            )[:60]
        )
        pytest.fail(f"{HINT}\n{diff}", pytrace=False)


def test_served_document_is_the_committed_one(client: TestClient) -> None:
    response = client.get("/openapi.json")

    assert response.status_code == 200
    assert response.json() == json.loads(DOCUMENT.read_text(encoding="utf-8")), HINT


def test_tool_check_mode(tool: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "openapi.json"

    assert tool.main(["--check", "--output", str(target)]) == 1
    assert "run `python tools/export_openapi.py`" in capsys.readouterr().err
    assert tool.main(["--output", str(target)]) == 0
    assert tool.main(["--check", "--output", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == DOCUMENT.read_text(encoding="utf-8"), HINT


def test_tool_prints_the_document(tool: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    assert tool.main(["--stdout"]) == 0

    printed = capsys.readouterr().out
    assert json.loads(printed)["info"]["title"] == "Сервер ПФДО"
    assert printed == tool.render(json.loads(printed)), "pretty JSON with sorted keys"


def test_document_lists_every_route(tool: ModuleType) -> None:
    document = json.loads(DOCUMENT.read_text(encoding="utf-8"))

    assert sorted(document["paths"]) == [
        "/api/v1/auth/login",
        "/api/v1/auth/logout",
        "/api/v1/auth/me",
        "/api/v1/auth/refresh",
        "/api/v1/certificates/check",
        "/api/v1/operator/programs",
        "/api/v1/operator/programs/{program_id}",
        "/api/v1/operator/programs/{program_id}/certify",
        "/api/v1/operator/programs/{program_id}/refuse",
        "/api/v1/portal/applications",
        "/api/v1/sync/pull",
        "/api/v1/sync/push",
        "/health",
    ]


def test_docs_page_is_served(client: TestClient) -> None:
    response = client.get("/docs")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "swagger-ui" in response.text
    assert "/openapi.json" in response.text
    assert "Сервер ПФДО" in response.text
