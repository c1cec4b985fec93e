"""Web benchmark: search and activity pages over real HTTP on loopback, SQLite and PostgreSQL.

    python benchmarks/web.py                 # 100,000 synthetic activities, 30 s of 32 clients per database
    python benchmarks/web.py --quick         # 5,000 activities, 5 s of 32 clients
    python benchmarks/web.py --n 100000 --keep /tmp/aidatlas-bench   # keep (and reuse) the SQLite file

For each database: builds the registry (synthetic activities from aidatlas.synthetic, imported in batches,
then indexed), starts `uvicorn` in a separate process, and measures
  - server time (an ASGI wrapper puts it in a Server-Timing header) and client time, sequentially:
    search pages with two facet filters (with and without words), and activity pages;
  - 32 concurrent clients (threads with keep-alive connections) for the given time: requests/s and errors.
Client and server share the machine's cores; the figures are for this machine, printed as measured.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.pgschema import temporary_schema


# ------------------------------------------------------------------ the server process
def timed_app() -> Any:
    """The app wrapped so that every response says how long the server spent on it (Server-Timing)."""
    from aidatlas.settings import Settings
    from aidatlas.web.app import create_app, settle_heap

    app = create_app(Settings(database_url=os.environ["AIDATLAS_BENCH_URL"]))
    settle_heap()                               # as `aidatlas serve` does

    async def wrapper(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        started = time.perf_counter()

        async def timed_send(message: Any) -> None:
            if message["type"] == "http.response.start":
                ms = (time.perf_counter() - started) * 1000
                message["headers"] = [*message.get("headers", []), (b"server-timing", f"app;dur={ms:.3f}".encode())]
            await send(message)

        await app(scope, receive, timed_send)

    return wrapper


def serve(port: int, workers: int) -> subprocess.Popen[bytes]:
    root = str(Path(__file__).resolve().parent.parent)
    code = (f"import sys, uvicorn; sys.path.insert(0, {root!r}); "
            f"uvicorn.run('benchmarks.web:timed_app', factory=True, host='127.0.0.1', port={port}, "
            f"workers={workers}, log_level='warning', access_log=False)")
    return subprocess.Popen([sys.executable, "-c", code], env=os.environ.copy())


# ------------------------------------------------------------------ building the registry
def build(url: str, n: int) -> float:
    from aidatlas.db.search import Searcher
    from aidatlas.registry import open_store
    from aidatlas.settings import Settings
    from aidatlas.synthetic import synthetic_activities

    store = open_store(Settings(database_url=url))
    have = store.counts()["activities"]
    started = time.perf_counter()
    if have != n:
        batch = []
        for i, a in enumerate(synthetic_activities(n)):
            a.iati_identifier, a.id = f"XI-BENCH-{i}", None
            batch.append(a)
            if len(batch) == 5000:
                store.import_activities(batch, source_name="bench")
                batch = []
        if batch:
            store.import_activities(batch, source_name="bench")
    Searcher(store.engine).ensure_indexed()
    store.close()
    return time.perf_counter() - started


# ------------------------------------------------------------------ clients
class Client:
    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(self, path: str) -> tuple[int, float, float, bytes]:
        started = time.perf_counter()
        try:
            self.conn.request("GET", path)
            response = self.conn.getresponse()
            body = response.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            return 599, (time.perf_counter() - started) * 1000, 0.0, b""
        client_ms = (time.perf_counter() - started) * 1000
        timing = response.getheader("server-timing") or "app;dur=0"
        return response.status, client_ms, float(timing.split("dur=")[1]), body


def wait_up(port: int, seconds: float = 600) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        try:
            status = Client(port).get("/static/app.css")[0]
            if status == 200:
                return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not come up")


def workload(port: int, seed: int = 1) -> dict[str, list[str]]:
    import json

    c = Client(port)
    facets = json.loads(c.get("/api/activities?per_page=1")[3])["facets"]
    rng = random.Random(seed)
    pairs = [("country", "funder"), ("country", "kind"), ("funder", "year"), ("municipality", "kind"),
             ("implementer", "year"), ("programme", "country"), ("language", "year")]
    words = ["water", "youth", "Prijedor", "Приједор", "Zvecan", "energy", "gender equality", "tourism*"]
    two, two_words, ids = [], [], []
    for _ in range(300):
        a, b = rng.choice(pairs)
        params = {a: rng.choice(facets[a])["value"], b: rng.choice(facets[b])["value"],
                  "sort": rng.choice(["relevance", "newest", "budget", "title"]), "page": rng.choice([1, 1, 1, 2, 5])}
        two.append("/activities?" + urlencode(params))
        two_words.append("/activities?" + urlencode({**params, "q": rng.choice(words)}))
    for page in range(1, 16):
        listing = json.loads(c.get(f"/api/activities?per_page=100&sort=title&page={page * 37}")[3])
        ids += [r["id"] for r in listing["records"]]
    rng.shuffle(ids)
    activity = [f"/activities/{i}" for i in ids[:300]]
    api = [p.replace("/activities?", "/api/activities?") for p in two[:100]] + [
        f"/api/activities/{i}" for i in ids[300:400]]
    return {"search, two facets": two, "search, two facets + words": two_words, "activity page": activity,
            "api (search + record)": api}


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def sequential(port: int, paths: list[str]) -> dict[str, float]:
    c = Client(port)
    server, client, errors = [], [], 0
    for path in paths:
        status, client_ms, server_ms, _ = c.get(path)
        errors += status != 200
        server.append(server_ms)
        client.append(client_ms)
    return {"n": len(paths), "errors": errors, "server_p50": statistics.median(server),
            "server_p95": pct(server, 95), "client_p50": statistics.median(client), "client_p95": pct(client, 95)}


def concurrent(port: int, paths: list[str], clients: int, seconds: float) -> dict[str, float]:
    stop = time.perf_counter() + seconds
    counts = [0] * clients
    errors = [0] * clients
    latencies: list[list[float]] = [[] for _ in range(clients)]

    def run(k: int) -> None:
        rng = random.Random(k)
        c = Client(port)
        while time.perf_counter() < stop:
            status, client_ms, _, _ = c.get(rng.choice(paths))
            counts[k] += 1
            errors[k] += status != 200
            latencies[k].append(client_ms)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    every = [x for ls in latencies for x in ls]
    return {"requests": sum(counts), "errors": sum(errors), "rps": sum(counts) / elapsed,
            "p50": statistics.median(every), "p95": pct(every, 95)}


def bench(label: str, url: str, n: int, seconds: float, clients: int, workers: int) -> None:
    built = build(url, n)
    print(f"\n== {label}: {n:,} activities (built/indexed in {built:.0f} s)")
    port = 18000 + random.randint(0, 2000)
    os.environ["AIDATLAS_BENCH_URL"] = url
    process = serve(port, workers)
    try:
        up = wait_up(port)
        first = Client(port).get("/activities?country=BA")[2]
        print(f"server up in {up:.1f} s (indexes pending activities first); first search, which loads the "
              f"columnar snapshot of the index: {first:.0f} ms server time")
        paths = workload(port)
        for path in paths["search, two facets"][:30] + paths["activity page"][:30]:
            Client(port).get(path)  # warm-up
        print(f"{'sequential, one client':32} {'n':>5} {'server p50':>11} {'server p95':>11} "
              f"{'client p50':>11} {'client p95':>11} errors")
        for name, group in paths.items():
            r = sequential(port, group)
            print(f"{name:32} {r['n']:>5} {r['server_p50']:>8.1f} ms {r['server_p95']:>8.1f} ms "
                  f"{r['client_p50']:>8.1f} ms {r['client_p95']:>8.1f} ms {r['errors']:>5}")
        mix = paths["search, two facets"] + paths["search, two facets + words"] + paths["activity page"] * 2
        r = concurrent(port, mix, clients, seconds)
        print(f"{clients} concurrent clients for {seconds:.0f} s ({workers} worker{'s' if workers > 1 else ''}): "
              f"{r['requests']:,} requests, {r['rps']:.0f} requests/s, {r['errors']} errors, "
              f"latency p50 {r['p50']:.0f} ms, p95 {r['p95']:.0f} ms")
    finally:
        process.terminate()
        process.wait(20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000, help="activities (default 100,000)")
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the concurrent run")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--quick", action="store_true", help="5,000 activities, 5 s")
    parser.add_argument("--keep", type=Path, help="directory for the SQLite file, reused when it has --n activities")
    parser.add_argument("--databases", default="sqlite,postgres", help="which to run (default: sqlite,postgres)")
    args = parser.parse_args()
    n, seconds = (5_000, 5.0) if args.quick else (args.n, args.seconds)
    databases = args.databases.split(",")
    if "sqlite" in databases:
        with tempfile.TemporaryDirectory() as tmp:
            folder = args.keep or Path(tmp)
            folder.mkdir(parents=True, exist_ok=True)
            bench("sqlite", f"sqlite:///{folder / f'bench-{n}.db'}", n, seconds, args.clients, args.workers)
    if "postgres" not in databases:
        return
    with temporary_schema() as url:
        if url is not None:
            bench("postgres", url, n, seconds, args.clients, args.workers)


if __name__ == "__main__":
    main()
