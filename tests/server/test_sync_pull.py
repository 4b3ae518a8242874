"""Tests pull: paging by the change-log cursor, what an organization sees (its own records and a nameless
mirror of its payers' certificates), tombstones, must_refetch after the log is pruned, and no row skipped
while several workstations write at once.
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, or_, select, text
from sqlalchemy.exc import OperationalError

from desktop_app.domain.certificate import certificate_lookup_key
from desktop_app.sync.protocol import ChangeEntity
from desktop_app.sync.server_records import CertificateMirrorRecord
from server.clock import FixedClock
from server.db.engine import ServerDatabase
from server.db.models import ChangeLogEntry, ProgramRow
from server.services.changes import log_floor, prune_log, record_change
from server.services.pull import pull
from tests.server.conftest import TEST_NOW, LiveServer
from tests.server.world import (
    PASSWORD,
    PROTOCOL,
    World,
    contract_request,
    expected_split,
    operation,
    push,
)

PULL = "/api/v1/sync/pull"
NAME_FIELDS = ("surname", "first_name", "patronymic", "full_name", "child_full_name", "number")


@dataclass
class Workstation:
    """A signed-in workstation: its headers and the mirror key the login gave it."""

    headers: dict[str, str]
    mirror_key: str


def sign_in(client: TestClient | httpx2.Client, username: str) -> Workstation:
    response = client.post(
        "/api/v1/auth/login",
        headers=PROTOCOL,
        json={"username": username, "password": PASSWORD, "device_id": str(uuid.uuid4())},
    )
    assert response.status_code == 200, response.text
    pair = response.json()
    return Workstation({**PROTOCOL, "Authorization": f"Bearer {pair['access_token']}"}, pair["mirror_key"])


def pull_page(client: TestClient | httpx2.Client, desk: Workstation, cursor: int, limit: int = 1000) -> dict[str, Any]:
    response = client.get(PULL, headers=desk.headers, params={"cursor": cursor, "limit": limit})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def pull_to_end(client: TestClient, desk: Workstation, cursor: int = 0) -> tuple[list[dict[str, Any]], int]:
    body = pull_page(client, desk, cursor)
    assert body["has_more"] is False
    assert body["must_refetch"] is False
    return body["changes"], body["cursor"]


def visible_log(
    database: ServerDatabase, organization_id: uuid.UUID, payer_ids: list[uuid.UUID]
) -> list[ChangeLogEntry]:
    """The change-log entries an organization may see, oldest first."""
    with database.transaction() as session:
        return list(
            session.scalars(
                select(ChangeLogEntry)
                .where(
                    or_(
                        ChangeLogEntry.organization_id == organization_id,
                        ChangeLogEntry.payer_id.in_(payer_ids),
                        ChangeLogEntry.organization_id.is_(None) & ChangeLogEntry.payer_id.is_(None),
                    )
                )
                .order_by(ChangeLogEntry.seq)
            )
        )


def program_payload(program_id: uuid.UUID | str, name: str) -> dict[str, Any]:
    return {
        "id": str(program_id),
        "full_name": f"Программа «{name}»",
        "short_name": name,
        "direction": "arts",
        "kind": "general_developmental",
        "form": "full_time",
        "level": "starting",
        "age_from_months": 84,
        "age_to_months": 144,
        "duration_months": 9,
        "addresses": ["г. Кемерово, ул. Весенняя, 5"],
    }


def key_of(change: dict[str, Any]) -> tuple[str, str]:
    return change["entity"], change["id"]


@pytest.fixture
def clerk_a(client: TestClient, world: World) -> Workstation:
    return sign_in(client, world.a.clerk)


@pytest.fixture
def clerk_b(client: TestClient, world: World) -> Workstation:
    return sign_in(client, world.b.clerk)


def make_history(client: TestClient, world: World, clerk: Workstation) -> dict[str, str]:
    """Programs, a module, a group, a schedule entry, a contract; one program changed twice. Returns ids."""
    first, second, third = (str(uuid.uuid4()) for _ in range(3))
    module_id, group_id, entry_id = (str(uuid.uuid4()) for _ in range(3))
    ops = [
        operation("program.create", program_payload(first, "Акварель")),
        operation("program.create", program_payload(second, "Гитара")),
        operation(
            "module.create",
            {
                "id": module_id,
                "program_id": first,
                "position": 0,
                "name": "Год 1",
                "months": 9,
                "hours": 72,
                "min_group_size": 5,
                "max_group_size": 12,
                "price": 500_000,
            },
        ),
        operation(
            "group.create",
            {
                "id": group_id,
                "module_id": module_id,
                "name": "Утренняя",
                "teacher": "Орлова О. О.",
                "start_date": "2026-09-01",
                "end_date": "2027-05-31",
                "capacity": 12,
            },
        ),
        operation(
            "schedule.create",
            {"id": entry_id, "group_id": group_id, "weekday": 3, "starts_at": "10:00:00", "ends_at": "11:00:00"},
        ),
        operation("program.create", program_payload(third, "Хор")),
        operation("program.update", {**program_payload(first, "Акварель и гуашь")}),
        contract_request(world, world.a, "c1"),
    ]
    for result in push(client, clerk.headers, *ops):
        assert result["status"] == "applied", result
    return {"first": first, "second": second, "third": third, "module": module_id, "group": group_id}


# ---------------------------------------------------------------- paging


def test_pages_cover_every_change_once_and_a_record_at_its_latest_seq(
    client: TestClient, world: World, database: ServerDatabase, clerk_a: Workstation
) -> None:
    ids = make_history(client, world, clerk_a)
    log = visible_log(database, world.a.id, list(world.payer_ids.values()))
    latest: dict[tuple[str, str], int] = {}
    for entry in log:
        latest[(entry.entity, entry.entity_id)] = entry.seq
    assert latest[("program", ids["first"])] > min(
        entry.seq for entry in log if (entry.entity, entry.entity_id) == ("program", ids["first"])
    ), "the first program changed twice"

    # One page: every record once, at its latest position.
    changes, end = pull_to_end(client, clerk_a)
    assert end == log[-1].seq
    assert len(changes) == len(latest)
    assert [change["seq"] for change in changes] == sorted(latest.values())
    program = next(change for change in changes if key_of(change) == ("program", ids["first"]))
    assert (program["seq"], program["data"]["short_name"]) == (latest[("program", ids["first"])], "Акварель и гуашь")

    # Small pages: the cursor moves forward, every log entry falls in exactly one page, and within its page it
    # is either returned or superseded by a later entry of the same record.
    limit = 3
    cursor = 0
    seen_seqs: list[int] = []
    pages = 0
    covered: set[int] = set()
    while True:
        body = pull_page(client, clerk_a, cursor, limit)
        pages += 1
        assert body["must_refetch"] is False
        in_page = [entry for entry in log if cursor < entry.seq <= body["cursor"]]
        assert len(in_page) == limit if body["has_more"] else len(in_page) <= limit
        returned = {change["seq"]: change for change in body["changes"]}
        assert len(returned) == len(body["changes"])
        for entry in in_page:
            later = [change for change in body["changes"] if change["seq"] >= entry.seq and _same_record(change, entry)]
            assert later, f"log entry {entry.seq} ({entry.entity}) was neither returned nor superseded in its page"
            covered.add(entry.seq)
        if body["changes"]:
            assert max(returned) == body["cursor"]
        seen_seqs.extend(returned)
        assert body["cursor"] >= cursor
        if not body["has_more"]:
            break
        assert body["cursor"] > cursor
        cursor = body["cursor"]
    assert pages == -(-len(log) // limit)
    assert covered == {entry.seq for entry in log}
    assert seen_seqs == sorted(set(seen_seqs)), "a change came twice or out of order"
    assert set(latest.values()) <= set(seen_seqs)

    again = pull_page(client, clerk_a, body["cursor"], limit)
    assert (again["changes"], again["cursor"], again["has_more"]) == ([], body["cursor"], False)


def _same_record(change: dict[str, Any], entry: ChangeLogEntry) -> bool:
    """Whether a pulled change is of the same record as a log entry (certificates are pulled by lookup key)."""
    if change["entity"] != entry.entity:
        return False
    if entry.entity == "certificate":
        return True  # one certificate in this history
    return bool(change["id"] == entry.entity_id)


# ---------------------------------------------------------------- what an organization sees


def test_an_organization_sees_its_own_records_and_its_payers_certificates_without_names(
    client: TestClient, world: World, clerk_a: Workstation, clerk_b: Workstation
) -> None:
    assert (clerk_a.mirror_key, clerk_b.mirror_key) == (world.a.mirror_key, world.b.mirror_key)
    c1, c3 = world.certificates["c1"], world.certificates["c3"]
    for key in ("c1", "c3"):
        (result,) = push(client, clerk_a.headers, contract_request(world, world.a, key))
        assert result["status"] == "applied", result

    changes_a, _ = pull_to_end(client, clerk_a)
    changes_b, cursor_b = pull_to_end(client, clerk_b)
    assert {change["entity"] for change in changes_a} == {"contract", "group", "certificate", "period", "organization"}
    assert {change["entity"] for change in changes_b} == {"certificate", "period", "organization"}, "none of a's"
    assert [change["id"] for change in changes_b if change["entity"] == "organization"] == [str(world.b.id)]

    mirror_a = {change["id"]: change["data"] for change in changes_a if change["entity"] == "certificate"}
    mirror_b = {change["id"]: change["data"] for change in changes_b if change["entity"] == "certificate"}
    key_a = bytes.fromhex(clerk_a.mirror_key)
    key_b = bytes.fromhex(clerk_b.mirror_key)
    assert set(mirror_a) == {
        certificate_lookup_key(key_a, c1.number, c1.surname),
        certificate_lookup_key(key_a, c3.number, c3.surname),
    }
    assert set(mirror_b) == {certificate_lookup_key(key_b, c1.number, c1.surname)}, "payer 13 is not b's"
    assert set(mirror_a).isdisjoint(mirror_b), "each organization has its own mirror key"

    spent = expected_split(date(2026, 10, 1), c1.balance).from_certificate
    for mirror in (mirror_a, mirror_b):
        for lookup_key, data in mirror.items():
            assert set(data) == set(CertificateMirrorRecord.model_fields)
            assert data["lookup_key"] == lookup_key
            text = json.dumps(data, ensure_ascii=False)
            for name in NAME_FIELDS:
                assert name not in data
            for secret in (c1.surname, c3.surname, "Тест", c1.number, c3.number):
                assert secret not in text
    c1_in_b = mirror_b[certificate_lookup_key(key_b, c1.number, c1.surname)]
    assert c1_in_b == {
        "lookup_key": certificate_lookup_key(key_b, c1.number, c1.surname),
        "kind": "financing",
        "birth_date": "2016-03-01",
        "frozen": False,
        "balance_current": c1.balance - spent,
        "balance_next": 3_000_000,
        "payer_code": "12",
    }

    # Organization b spends on c1 too: a's next pull shows the new balance.
    _, cursor_a = pull_to_end(client, clerk_a)
    remaining = c1.balance - spent
    op = contract_request(world, world.b, "c1", balance=remaining)
    (result,) = push(client, clerk_b.headers, op)
    assert result["status"] == "applied", result
    spent_by_b = expected_split(date(2026, 10, 1), remaining).from_certificate
    assert spent_by_b == remaining < expected_split(date(2026, 10, 1), c1.balance).price
    changes_a, _ = pull_to_end(client, clerk_a, cursor_a)
    assert [(change["entity"], change["data"]["balance_current"]) for change in changes_a] == [("certificate", 0)]
    changes_b, _ = pull_to_end(client, clerk_b, cursor_b)
    assert [change["data"]["balance_current"] for change in changes_b if change["entity"] == "certificate"] == [0]
    assert [change["data"]["number"] for change in changes_b if change["entity"] == "contract"] == ["1-ПФ"]


# ---------------------------------------------------------------- tombstones and pruning


def _tombstone(database: ServerDatabase, entity: str, entity_id: str, organization_id: uuid.UUID) -> int:
    with database.transaction() as session:
        entry = ChangeLogEntry(
            organization_id=organization_id, entity=entity, entity_id=entity_id, deleted=True, created_at=TEST_NOW
        )
        session.add(entry)
        session.flush()
        return entry.seq


def test_a_deleted_record_comes_as_a_tombstone(
    client: TestClient, world: World, database: ServerDatabase, clerk_a: Workstation, clerk_b: Workstation
) -> None:
    ids = make_history(client, world, clerk_a)
    _, cursor = pull_to_end(client, clerk_a)
    _, cursor_b = pull_to_end(client, clerk_b)
    gone_entry = str(uuid.uuid4())
    seqs = [
        _tombstone(database, "schedule_entry", gone_entry, world.a.id),
        _tombstone(database, "program", ids["second"], world.a.id),
    ]
    changes, end = pull_to_end(client, clerk_a, cursor)
    assert changes == [
        {"seq": seqs[0], "entity": "schedule_entry", "id": gone_entry, "deleted": True, "data": None},
        {"seq": seqs[1], "entity": "program", "id": ids["second"], "deleted": True, "data": None},
    ]
    assert end == seqs[1]
    assert pull_to_end(client, clerk_b, cursor_b)[0] == [], "a's tombstones are a's"


def test_a_cursor_older_than_the_pruned_log_must_refetch(
    client: TestClient, world: World, database: ServerDatabase, clock: FixedClock, clerk_a: Workstation
) -> None:
    ids = make_history(client, world, clerk_a)
    _, old_cursor = pull_to_end(client, clerk_a)
    for name in ("Акварель, масло", "Живопись"):
        (result,) = push(client, clerk_a.headers, operation("program.update", program_payload(ids["first"], name)))
        assert result["status"] == "applied"
    tombstone = _tombstone(database, "program", ids["third"], world.a.id)
    (result,) = push(client, clerk_a.headers, operation("program.update", program_payload(ids["second"], "Гитара+")))
    assert result["status"] == "applied"
    full_before, current_cursor = pull_to_end(client, clerk_a)
    assert tombstone < current_cursor

    with database.transaction() as session:
        rows_before = session.scalars(select(func.count()).select_from(ChangeLogEntry)).one()
        dropped = prune_log(session, before=clock.now() + timedelta(seconds=1))
    with database.transaction() as session:
        assert log_floor(session) == tombstone
        rows_after = session.scalars(select(func.count()).select_from(ChangeLogEntry)).one()
    assert dropped == rows_before - rows_after > 1

    stale = pull_page(client, clerk_a, old_cursor)
    assert (stale["must_refetch"], stale["changes"], stale["cursor"], stale["has_more"]) == (True, [], 0, True)
    just_below = pull_page(client, clerk_a, tombstone - 1)
    assert just_below["must_refetch"] is True
    assert pull_page(client, clerk_a, tombstone)["must_refetch"] is False
    assert pull_to_end(client, clerk_a, current_cursor)[0] == []

    full_after, cursor_after = pull_to_end(client, clerk_a)
    assert cursor_after == current_cursor
    expected = [change for change in full_before if not change["deleted"]]
    assert full_after == expected, "from 0 the pruned log still gives every record's current state"
    pulled_programs = {
        change["id"]: change["data"]["short_name"] for change in full_after if change["entity"] == "program"
    }
    assert pulled_programs == {ids["first"]: "Живопись", ids["second"]: "Гитара+"}


# ---------------------------------------------------------------- concurrent writers


WRITERS = 4
UPDATES_PER_WRITER = 8
READER_PAGE = 3
THREAD_TIMEOUT = 90


def _draft_programs(database: ServerDatabase, world: World, count: int) -> list[str]:
    """Draft programs of «a» made directly in the database (no change-log entries of their own)."""
    ids = []
    with database.transaction() as session:
        for index in range(count):
            payload = program_payload(uuid.uuid4(), f"Кружок {index}")
            row = ProgramRow(
                id=uuid.UUID(payload["id"]),
                organization_id=world.a.id,
                full_name=payload["full_name"],
                short_name=payload["short_name"],
                direction="arts",
                kind="general_developmental",
                form="full_time",
                level="starting",
                distance_technologies=False,
                age_from_months=84,
                age_to_months=144,
                duration_months=9,
                annotation="",
                goals="",
                expected_results="",
                medical_certificate_required=False,
                accessible_for_disabled=False,
                final_document="",
                addresses_json="[]",
                status="draft",
                archived=False,
                created_at=TEST_NOW,
                updated_at=TEST_NOW,
            )
            session.add(row)
            ids.append(payload["id"])
    return ids


@dataclass
class Reader:
    """Pulls with its cursor, page after page, until the writers are done and it has caught up."""

    url: str
    username: str
    cursor: int
    writers_done: threading.Event
    seqs: list[int] = field(default_factory=list)
    pulls: int = 0
    errors: list[BaseException] = field(default_factory=list)

    def run(self) -> None:
        try:
            with httpx2.Client(base_url=self.url, timeout=60) as client:
                desk = sign_in(client, self.username)
                while True:
                    finished_before = self.writers_done.is_set()
                    body = pull_page(client, desk, self.cursor, READER_PAGE)
                    self.pulls += 1
                    assert body["must_refetch"] is False
                    self.seqs.extend(change["seq"] for change in body["changes"])
                    self.cursor = body["cursor"]
                    if finished_before and not body["has_more"]:
                        return
        except BaseException as error:  # reported to the test
            self.errors.append(error)


def _write(url: str, username: str, programs: list[str], start: threading.Barrier, errors: list[BaseException]) -> None:
    try:
        with httpx2.Client(base_url=url, timeout=60) as client:
            desk = sign_in(client, username)
            start.wait()
            for program_id in programs:
                op = operation("program.update", program_payload(program_id, f"Обновлено {program_id[:8]}"))
                response = client.post("/api/v1/sync/push", headers=desk.headers, json={"operations": [op]})
                response.raise_for_status()
                (result,) = response.json()["results"]
                assert result["status"] == "applied", result
    except BaseException as error:  # reported to the test
        start.abort()
        errors.append(error)


def test_a_reader_skips_no_row_while_writers_commit_concurrently(
    client: TestClient, live_server: LiveServer, world: World, database: ServerDatabase, clerk_a: Workstation
) -> None:
    """Each program is updated exactly once, so every change-log row must reach the reader individually."""
    programs = _draft_programs(database, world, WRITERS * UPDATES_PER_WRITER)
    _, start_cursor = pull_to_end(client, clerk_a)

    writers_done = threading.Event()
    reader = Reader(live_server.url, "admin_a", start_cursor, writers_done)
    start = threading.Barrier(WRITERS, timeout=THREAD_TIMEOUT)
    errors: list[BaseException] = []
    usernames = ["clerk_a", "admin_a"]
    writers = [
        threading.Thread(
            target=_write,
            args=(live_server.url, usernames[index % 2], programs[index::WRITERS], start, errors),
            name=f"writer-{index}",
        )
        for index in range(WRITERS)
    ]
    reading = threading.Thread(target=reader.run, name="reader")
    reading.start()
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(THREAD_TIMEOUT)
    writers_done.set()
    reading.join(THREAD_TIMEOUT)
    assert not [thread.name for thread in [*writers, reading] if thread.is_alive()]
    assert not errors, errors
    assert not reader.errors, reader.errors

    written = [entry.seq for entry in visible_log(database, world.a.id, []) if entry.seq > start_cursor]
    assert len(written) == WRITERS * UPDATES_PER_WRITER
    assert reader.seqs == written, "the reader skipped or repeated change-log rows"
    assert reader.cursor == written[-1]
    assert reader.pulls >= len(written) // READER_PAGE


def _append_impatiently(
    database: ServerDatabase, clock: FixedClock, entity: ChangeEntity, entity_id: object, organization_id: uuid.UUID
) -> bool:
    """Append a change in a transaction of its own; False when a lock held by another writer stopped it."""
    try:
        with database.transaction() as session:
            if database.is_postgresql:
                session.execute(text("SET LOCAL lock_timeout = '200ms'"))
            record_change(session, now=clock.now(), entity=entity, entity_id=entity_id, organization_id=organization_id)
    except OperationalError:
        return False
    return True


def test_a_reader_does_not_pass_a_change_whose_transaction_is_still_open(
    database: ServerDatabase, clock: FixedClock, world: World
) -> None:
    """Deterministic: the first writer's change is appended but not committed when a second writer tries to
    append and a reader pulls. However the server orders them, the reader must end up with both rows.

    The second writer and the reader use their own connections that do not wait long for locks (SQLite: a
    plain connection with a short busy timeout that reads a WAL snapshot; PostgreSQL: a short lock_timeout).
    """
    impatient = ServerDatabase(
        create_engine(
            database.engine.url, connect_args=({"timeout": 0.2} if database.engine.dialect.name == "sqlite" else {})
        )
    )
    try:
        start = pull(impatient, clock, world.a.id, 0, 1000).cursor
        with database.transaction() as first:
            record_change(
                first,
                now=clock.now(),
                entity=ChangeEntity.PROGRAM,
                entity_id=world.a.program_id,
                organization_id=world.a.id,
            )
            first.flush()
            second_done = _append_impatiently(impatient, clock, ChangeEntity.MODULE, world.a.module_id, world.a.id)
            early = pull(impatient, clock, world.a.id, start, 1000)
        if not second_done:
            assert _append_impatiently(impatient, clock, ChangeEntity.MODULE, world.a.module_id, world.a.id)
        late = pull(impatient, clock, world.a.id, early.cursor, 1000)
    finally:
        impatient.dispose()
    written = [entry.seq for entry in visible_log(database, world.a.id, []) if entry.seq > start]
    assert len(written) == 2
    assert [change.seq for change in [*early.changes, *late.changes]] == written, (
        "the reader moved its cursor past a change that was committed later"
    )
