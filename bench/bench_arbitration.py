"""Server arbitration under load: 16 workstations request contracts at once, on SQLite and on PostgreSQL.

Each client signs in as the clerk of its organization and pushes its requests one by one (as a desk does);
the figure is contracts accepted per second, and the invariants (places taken = open contracts; money
reserved = the ledger; nothing negative) are checked over the whole database afterwards. Limit: a raw loop
of the same conditional UPDATEs (a place, then the money) in a transaction per contract, 16 threads, on a
copy of the same database.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import psycopg
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.arbitration_plan import ClientPlan, Request, plan_requests
from bench.common import SCALES, SEED, Result, Scale, parse, report, throughput_result
from bench.server_region import ServerData, postgresql_base, postgresql_copy, served, sqlite_copy
from desktop_app.sync.client import ServerClient
from desktop_app.sync.protocol import Operation, OperationStatus

CLIENTS = 16
MIN_SHARE = 0.5
OPEN = "('requested', 'confirmed', 'active', 'terminating')"
INVARIANTS = {
    "places": f"SELECT count(*) FROM study_groups g WHERE g.taken <> (SELECT count(*) FROM contracts c "
    f"WHERE c.group_id = g.id AND c.status IN {OPEN})",
    "money": "SELECT count(*) FROM certificate_balances b WHERE b.reserve <> (SELECT coalesce(sum(CASE l.kind "
    "WHEN 'reserve' THEN l.amount ELSE -l.amount END), 0) FROM ledger_entries l WHERE l.balance_id = b.id) "
    "OR b.balance + b.reserve <> b.nominal OR b.balance < 0",
}
GROUP_UPDATE = "UPDATE study_groups SET taken = taken + 1 WHERE id = {mark} AND taken < capacity"
MONEY_UPDATE = (
    "UPDATE certificate_balances SET balance = balance - {mark}, reserve = reserve + {mark} "
    "WHERE id = {mark} AND balance >= {mark}"
)


def in_threads(work: Sequence[Callable[[], None]]) -> float:
    """Run each callable in its own thread, all released at once; seconds until the last one ends."""
    barrier = threading.Barrier(len(work) + 1)
    errors: list[BaseException] = []

    def body(action: Callable[[], None]) -> None:
        try:
            barrier.wait()
            action()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=body, args=(action,)) for action in work]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - started


def product_rate(data: ServerData, plans: list[ClientPlan], log: Any) -> float:
    accepted: list[int] = []
    with served(data, log) as url:
        clients = [(ServerClient(url), plan) for plan in plans]
        tokens = [client.login(plan.username, "demo", uuid.uuid4()).access_token for client, plan in clients]

        def desk(client: ServerClient, token: str, plan: ClientPlan) -> Callable[[], None]:
            def push_all() -> None:
                for request in plan.requests:
                    operation = Operation(
                        op_id=uuid.uuid4(), type="contract.request", version=1, payload=request.payload
                    )
                    result = client.push(token, [operation]).results[0]
                    accepted.append(1 if result.status is OperationStatus.APPLIED else 0)

            return push_all

        seconds = in_threads([desk(client, token, plan) for (client, plan), token in zip(clients, tokens, strict=True)])
        for client, _plan in clients:
            client.close()
    assert sum(accepted) > 0.9 * len(accepted), f"only {sum(accepted)} of {len(accepted)} requests accepted"
    return sum(accepted) / seconds


def check_invariants(url: str) -> None:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            for name, query in INVARIANTS.items():
                broken = connection.execute(text(query)).scalar_one()
                assert broken == 0, f"invariant «{name}» broken in {broken} rows"
    finally:
        engine.dispose()


def raw_rate(data: ServerData, requests: list[Request]) -> float:
    """The limit: the two conditional UPDATEs and a commit per contract, by 16 threads with plain DB-API."""
    postgresql = data.url.startswith("postgresql")
    mark = "%s" if postgresql else "?"
    group_update, money_update = GROUP_UPDATE.format(mark=mark), MONEY_UPDATE.format(mark=mark)
    shares = [requests[index::CLIENTS] for index in range(CLIENTS)]

    def loop(share: list[Request]) -> Callable[[], None]:
        def run() -> None:
            if postgresql:
                dsn = make_url(data.url).set(drivername="postgresql").render_as_string(hide_password=False)
                with psycopg.connect(dsn) as connection:
                    for request in share:
                        with connection.transaction():
                            connection.execute(group_update, (request.group_id,))
                            amount = request.amount
                            connection.execute(money_update, (amount, amount, request.balance_id, amount))
                return
            lite = sqlite3.connect(data.url.removeprefix("sqlite:///"), isolation_level=None, timeout=30)
            try:
                lite.execute("PRAGMA synchronous=NORMAL")
                for request in share:
                    amount = request.amount
                    lite.execute("BEGIN IMMEDIATE")
                    lite.execute(group_update, (request.group_id.hex,))
                    lite.execute(money_update, (amount, amount, request.balance_id.hex, amount))
                    lite.execute("COMMIT")
            finally:
                lite.close()

        return run

    return len(requests) / in_threads([loop(share) for share in shares])


def measure(backend: str, scale: Scale, work: Any) -> Result:
    copy = sqlite_copy if backend == "sqlite" else postgresql_copy
    product_data = copy(work, scale, f"arbitration-{backend}")
    limit_data = copy(work, scale, f"arbitration-{backend}-raw")
    plans = plan_requests(product_data.url, CLIENTS, scale.arbitration_requests, SEED)
    rate = product_rate(product_data, plans, work / "runs" / f"arbitration-{backend}.log")
    check_invariants(product_data.url)
    limit = raw_rate(limit_data, [request for plan in plans for request in plan.requests])
    return throughput_result(f"arbitration_{backend}", "contracts/s", rate, limit, scale, MIN_SHARE)


def run(argv: Sequence[str] | None = None) -> list[Result]:
    arguments = parse(argv, __doc__ or "")
    scale = SCALES[arguments.scale]
    results = [measure("sqlite", scale, arguments.work)]
    try:
        dsn = postgresql_base().set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(dsn, connect_timeout=3):
            pass
    except psycopg.OperationalError:
        print("PostgreSQL is not reachable: arbitration on PostgreSQL is not measured")
    else:
        results.append(measure("postgresql", scale, arguments.work))
    report(results, arguments.out)
    return results


if __name__ == "__main__":
    run(sys.argv[1:])
