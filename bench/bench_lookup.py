"""Certificate look-up at the desk, offline, through the service layer, on the region's mirror.

Limit: the same look-ups as a raw indexed ``sqlite3`` query on the same file (the keyed hash computed the
same way, the mirror row and the child's contracts read by their indexes). Median and p99 of each.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Sequence
from functools import partial

from bench.client_db import NOW, ClientRegion, client_database
from bench.common import SCALES, Result, parse, percentile, report, time_result, timed_ms
from bench.workstation import offline_context
from desktop_app.domain.certificate import certificate_lookup_key

MIRROR_QUERY = (
    "SELECT kind, birth_date, frozen, balance_current, balance_next, payer_code FROM certificate_mirror "
    "WHERE lookup_key = ?"
)
CONTRACTS_QUERY = "SELECT * FROM contracts WHERE certificate_number = ?"
MAX_RATIO = 3.0
P99_CEILING_MS = 2.0


def raw_lookups(region: ClientRegion, probes: Sequence[tuple[str, str]]) -> list[float]:
    connection = sqlite3.connect(region.path)
    try:

        def look(number: str, surname: str) -> None:
            key = certificate_lookup_key(region.mirror_key, number, surname)
            assert connection.execute(MIRROR_QUERY, (key,)).fetchone() is not None
            connection.execute(CONTRACTS_QUERY, (number,)).fetchall()

        return [timed_ms(partial(look, *probe)) for probe in probes]
    finally:
        connection.close()


def service_lookups(region: ClientRegion, probes: Sequence[tuple[str, str]]) -> list[float]:
    context = offline_context(region)
    today = NOW.date()
    try:

        def look(number: str, surname: str) -> None:
            assert context.certificates.check(number, surname, today).offline

        return [timed_ms(partial(look, *probe)) for probe in probes]
    finally:
        context.close()


def run(argv: Sequence[str] | None = None) -> list[Result]:
    arguments = parse(argv, __doc__ or "")
    scale = SCALES[arguments.scale]
    region = client_database(arguments.work, scale)
    probes = region.probes[: scale.lookups]
    warm = probes[: min(200, len(probes))]
    raw_lookups(region, warm)
    service_lookups(region, warm)
    raw = raw_lookups(region, probes)
    service = service_lookups(region, probes)
    results = [
        time_result("lookup_median", percentile(service, 0.5), percentile(raw, 0.5), scale, max_ratio=MAX_RATIO),
        time_result(
            "lookup_p99",
            percentile(service, 0.99),
            percentile(raw, 0.99),
            scale,
            max_ratio=MAX_RATIO,
            ceiling=P99_CEILING_MS,
        ),
    ]
    report(results, arguments.out)
    return results


if __name__ == "__main__":
    run(sys.argv[1:])
