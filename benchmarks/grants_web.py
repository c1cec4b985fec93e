"""The ranking page with 2,000 applications and 300 reviews, and the inbox of their applicant (one notification
per application, as submission receipts make), HTML and JSON through the app, p50/p95.

    .venv/bin/python benchmarks/grants_web.py            # 2,000 applications, 300 reviews, 50 requests each
    .venv/bin/python benchmarks/grants_web.py --quick    # 300 applications, 50 reviews, 10 requests each

The registry is a fresh SQLite file filled by `aidatlas.grants.demo.populate` (bulk rows, no audit); requests
go through FastAPI's TestClient with an officer's (ranking) or the applicant's (inbox) session, so the numbers
include routing, the access table's check, the queries (ranking, call budget; inbox page and unread count) and
the template (not the network). Target: p95 ≤ 200 ms.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from aidatlas import auth
from aidatlas.auth import find_user
from aidatlas.grants import Grants, outbox
from aidatlas.grants.demo import populate
from aidatlas.registry import open_store
from aidatlas.settings import Settings
from aidatlas.web.app import create_app, settle_heap
from aidatlas.web.common import CSRF_COOKIE, SESSION_COOKIE

TARGET_MS = 200.0


def measure(client: TestClient, url: str, runs: int) -> tuple[float, float, int]:
    client.get(url)  # warm the caches once
    times = []
    size = 0
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code, response.text[:300])
        size = len(response.content)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small registry and few requests (a smoke run)")
    parser.add_argument("--applications", type=int)
    parser.add_argument("--reviews", type=int)
    parser.add_argument("--runs", type=int)
    args = parser.parse_args()
    applications = args.applications or (300 if args.quick else 2000)
    reviews = args.reviews or (50 if args.quick else 300)
    runs = args.runs or (10 if args.quick else 50)
    with tempfile.TemporaryDirectory(prefix="aidatlas-grants-bench-") as tmp:
        settings = Settings(database_url=Settings.sqlite_url(Path(tmp) / "bench.db"))
        store = open_store(settings)
        start = time.perf_counter()
        made = populate(store.engine, settings, applications=applications, reviews=reviews)
        grants = Grants(store.engine, settings, store)
        owner = next(u for u in [find_user(store.engine, "bench-applicant")] if u is not None)
        with grants.ctx.begin() as conn:  # a receipt per application, and as many to other accounts
            for app_id in made.application_ids:
                outbox.notify(grants.ctx, conn, owner.username, f"Application {app_id} received",
                              f"Your application {app_id} was submitted as version 1.")
                outbox.notify(grants.ctx, conn, f"someone-else-{app_id % 50}", "Other", "not this inbox")
        print(f"populated {applications:,} applications, {reviews:,} reviews and {2 * applications:,} "
              f"notifications in {time.perf_counter() - start:.1f} s")
        session = auth.create_session(store.engine, made.officer)
        inbox_session = auth.create_session(store.engine, owner)
        app = create_app(settings, store)
        settle_heap()                           # as `aidatlas serve` does before taking traffic
        with TestClient(app) as client:
            client.cookies.set(SESSION_COOKIE, session)
            client.cookies.set(CSRF_COOKIE, "bench")
            worst = 0.0
            for label, url in (("ranking HTML", f"/calls/{made.call_id}/ranking"),
                               ("ranking JSON", f"/api/calls/{made.call_id}/ranking")):
                p50, p95, size = measure(client, url, runs)
                worst = max(worst, p95)
                print(f"{label:13} {runs} requests: p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  ({size / 1024:,.0f} KB)")
            client.cookies.set(SESSION_COOKIE, inbox_session)
            for label, url in (("inbox HTML", "/inbox"), ("inbox JSON", "/api/inbox")):
                p50, p95, size = measure(client, url, runs)
                worst = max(worst, p95)
                print(f"{label:13} {runs} requests: p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  ({size / 1024:,.0f} KB)")
        store.close()
    verdict = "meets" if worst <= TARGET_MS else "MISSES"
    print(f"worst p95 {worst:.1f} ms: {verdict} the {TARGET_MS:.0f} ms target")


if __name__ == "__main__":
    main()
