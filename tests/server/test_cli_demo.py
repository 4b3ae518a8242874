"""``pfdo-server init-demo`` and ``serve``: the demo region, a workstation's first pull, a real server process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx2
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from desktop_app.domain.age import age_in_years
from desktop_app.domain.program import Program
from desktop_app.domain.validation import validate_program
from desktop_app.sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from server.auth.passwords import Passwords
from server.cli import main
from server.db import migrate
from server.db.engine import ServerDatabase, create_server_engine
from server.db.models import (
    Certificate,
    CertificateBalance,
    ChangeLogEntry,
    GroupRow,
    ModuleRow,
    Organization,
    Payer,
    ProgramRow,
    ScheduleEntryRow,
)
from server.services.demo import init_demo
from server.services.domain_views import program_tree
from tests.server.cli_support import Cli, free_port, make_cli, today

NOW = datetime(2026, 9, 10, 3, 30, tzinfo=UTC)


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    return make_cli(tmp_path, capsys, monkeypatch)


# ---------------------------------------------------------------- the demo region and the server


def test_init_demo_builds_a_region_a_workstation_can_pull(cli: Cli) -> None:
    out = cli.ok("init-demo")
    assert "3 организации" in out
    assert "2000 сертификатов" in out
    for username in ("operator", "ddt-clerk", "sport-admin", "art-clerk"):
        assert f"логин: {username}" in out
    assert "пароль: demo" in out
    assert "только в пустой базе" in cli.refused("init-demo")
    opened = cli.runtime()
    try:
        with opened.database.transaction() as session:
            assert session.scalar(select(func.count()).select_from(Organization)) == 3
            certificates = list(session.scalars(select(Certificate)))
            kinds = Counter(certificate.kind for certificate in certificates)
            codes = {payer.id: payer.code for payer in session.scalars(select(Payer))}
            programs = list(session.scalars(select(ProgramRow)))
            per_organization = Counter(program.organization_id for program in programs if program.status == "certified")
            directions = {program.direction for program in programs}
            groups = session.scalar(select(func.count()).select_from(GroupRow))
            entries = session.scalar(select(func.count()).select_from(ScheduleEntryRow))
            balances = session.scalar(select(func.count()).select_from(CertificateBalance))
            logged = Counter(session.scalars(select(ChangeLogEntry.entity)))
            modules = list(session.scalars(select(ModuleRow)))
    finally:
        opened.close()
    assert len(certificates) == 2000
    assert len({certificate.number for certificate in certificates}) == 2000
    assert 1400 < kinds["financing"] < 1800 and kinds["accounting"] > 200
    assert all(c.number.startswith("42" + codes[c.payer_id]) and len(c.number) == 10 for c in certificates)
    assert {age_in_years(c.birth_date, today()) for c in certificates} <= set(range(5, 18))
    assert any(certificate.frozen for certificate in certificates)
    assert len(per_organization) == 3 and min(per_organization.values()) >= 2
    assert directions == {"technical", "natural_science", "sports", "arts", "tourism", "social"}
    assert all(module.normative is not None and module.price <= module.normative for module in modules)
    assert balances == 4000
    assert logged == {
        "certificate": 2000,
        "program": len(programs),
        "module": len(modules),
        "group": groups,
        "schedule_entry": entries,
        "period": 2,
        "organization": 7,  # each of 3 organizations when created, and again with each of its 4 agreements
    }
    first_pull = workstation_first_pull(cli, "ddt-clerk")
    assert first_pull == {"certificate": 1200, "program": 4, "module": 5, "period": 2, "organization": 1}


def workstation_first_pull(cli: Cli, username: str) -> dict[str, int]:
    """Log in as a demo clerk and pull everything; count what came, by kind (groups and schedule vary)."""
    opened = cli.runtime()
    protocol = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
    try:
        with TestClient(opened.app()) as client:
            login = {"username": username, "password": "demo", "device_id": str(uuid.uuid4())}
            token = client.post("/api/v1/auth/login", headers=protocol, json=login).json()["access_token"]
            headers = {**protocol, "Authorization": f"Bearer {token}"}
            received: Counter[str] = Counter()
            cursor, more = 0, True
            while more:
                page = client.get(f"/api/v1/sync/pull?cursor={cursor}&limit=1000", headers=headers).json()
                received.update(change["entity"] for change in page["changes"])
                cursor, more = page["cursor"], page["has_more"]
    finally:
        opened.close()
    return {kind: received[kind] for kind in ("certificate", "program", "module", "period", "organization")}


def demo_region(path: Path, seed: int) -> tuple[list[tuple[str, str, str]], list[Program]]:
    """A small demo region in a fresh database: its certificates (number and name) and programs."""
    database = ServerDatabase(create_server_engine(f"sqlite:///{path}"))
    try:
        migrate.upgrade(database.engine)
        with database.transaction() as session:
            init_demo(session, Passwords(fast=True), NOW, seed, certificates=50)
            people = session.execute(
                select(Certificate.number, Certificate.surname, Certificate.first_name).order_by(Certificate.number)
            ).all()
            rows = session.scalars(select(ProgramRow).order_by(ProgramRow.short_name))
            return [tuple(person) for person in people], [program_tree(session, row) for row in rows]
    finally:
        database.dispose()


def test_the_demo_is_the_same_for_the_same_seed_and_its_programs_are_valid(tmp_path: Path) -> None:
    people, programs = demo_region(tmp_path / "first.sqlite3", 7)
    again, _programs = demo_region(tmp_path / "second.sqlite3", 7)
    other, _programs = demo_region(tmp_path / "third.sqlite3", 8)
    assert people == again
    assert people != other
    assert len(people) == 50
    assert all(validate_program(program) == [] for program in programs)
    assert all(group.schedule for program in programs for module in program.modules for group in module.groups)


def test_serve_refuses_a_busy_port(cli: Cli) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        err = cli.refused("serve", "--port", str(busy.getsockname()[1]))
    assert "Не удалось занять адрес" in err


def test_a_database_that_cannot_be_opened(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"postgresql+psycopg://pfdo:секрет@127.0.0.1:{free_port()}/pfdo?connect_timeout=2"
    assert main(["migrate", "--db", url, "--data-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "Не удалось открыть базу данных" in err
    assert "секрет" not in err
    assert "Traceback" not in err


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    port = free_port()
    stdout, stderr = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    command = [sys.executable, "-m", "server.cli", "serve", "--demo", "--port", str(port)]
    command += ["--db", f"sqlite:///{tmp_path / 'demo.sqlite3'}", "--data-dir", str(tmp_path / "data")]
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=tmp_path, env={**os.environ, "PYTHONUTF8": "1"})
    try:
        yield f"http://127.0.0.1:{port}", stdout
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    assert process.returncode is not None
    if process.returncode not in (0, -15):
        pytest.fail(f"the server exited with {process.returncode}: {stderr.read_text(encoding='utf-8')}")


@pytest.mark.slow
def test_serve_demo_really_serves(demo_server: tuple[str, Path]) -> None:
    url, stdout = demo_server
    deadline = time.monotonic() + 60
    health = None
    with httpx2.Client(timeout=2) as client:
        while time.monotonic() < deadline:
            try:
                health = client.get(f"{url}/health")
                break
            except httpx2.TransportError:
                time.sleep(0.1)
        assert health is not None, "the server did not answer in time"
        assert health.status_code == 200
        assert health.json()["version"]
        assert client.get(f"{url}/docs").status_code == 200
    printed = stdout.read_text(encoding="utf-8")
    assert "Создан демонстрационный регион" in printed
    for username in ("operator", "ddt-admin", "ddt-clerk", "sport-clerk", "art-clerk"):
        assert f"логин: {username}" in printed
    assert "пароль: demo" in printed
