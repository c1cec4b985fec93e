"""Corpus-scale benchmark on PostgreSQL: generate IATI files, load them with `aidatlas import-iati`, serve, query.

    python benchmarks/scale.py --quick            # 10,000 activities (CI)
    python benchmarks/scale.py --n 100000         # also 300000, 1100000 (the whole IATI corpus)
    python benchmarks/scale.py --n 100000 --keep /tmp/scale --reuse   # keep the files; query a loaded database

Steps, each measured: the corpus (`scale_data.py`: real codelists, several publishers, transactions) is written
to a directory; a fresh database `aidatlas_scale_<n>` is created and `python -m aidatlas import-iati DIR` loads
it in its own process (load rate in activities/s end to end, peak RSS of the import); the database's size;
`python -m aidatlas serve` is started and timed to its first answered search (first response after start); then
each query shape is asked `--requests` times over HTTP on loopback (p50/p95 client time): text + 2 facets,
common word, facets only, rare word, row page, organisation page, overview; last the server's RSS (and peak).
The machine is shared (2 cores, other processes running): state the load with the numbers. Not a test.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
COMMON_WORD, RARE_WORD = "improving", "quetzalcoatl"


def admin(sql: str) -> Any:
    import psycopg

    with psycopg.connect(ADMIN, autocommit=True) as conn:
        cursor = conn.execute(sql)
        return cursor.fetchall() if cursor.description else None


def run_measured(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (MB) of its largest process (itself or a worker) and exit code of a child."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    lines = proc.stderr.read().decode(errors="replace").strip().splitlines()
    problems = [line for line in lines if not line.endswith(" unchanged")]  # not a file's "n new, …" line
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    largest = max(usage.ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)  # its workers too
    if proc.returncode:
        print("\n".join(problems[-20:]), file=sys.stderr)
    return time.perf_counter() - started, largest / 1024, proc.returncode


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Client:
    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)

    def get(self, path: str) -> tuple[int, float, bytes]:
        started = time.perf_counter()
        self.conn.request("GET", path)
        response = self.conn.getresponse()
        body = response.read()
        return response.status, (time.perf_counter() - started) * 1000, body


def rss_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a process in MB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def shapes(c: Client, requests: int, seed: int = 3) -> dict[str, list[str]]:
    """The query shapes' paths, built from what the registry holds (facet values, ids, organisations)."""
    rng = random.Random(seed)
    facets = json.loads(c.get("/api/activities?per_page=1")[2])["facets"]
    words = ["water", "education", "health", "energy", "agricultural", "policy", "rural", "emergency"]
    top = {f: [v["value"] for v in facets.get(f, [])][:8] or [""] for f in ("country", "sector", "year", "funder")}
    listing = json.loads(c.get("/api/activities?per_page=200&sort=title")[2])
    ids = [r["id"] for r in listing["records"]]
    orgs = top["funder"] + [v["value"] for v in facets.get("implementer", [])][:8]
    out: dict[str, list[str]] = {k: [] for k in ("text + 2 facets", "common word", "facets only", "rare word",
                                                 "row page", "organisation page", "overview")}
    for i in range(requests):
        out["text + 2 facets"].append("/api/activities?" + urlencode(
            {"q": rng.choice(words), "country": rng.choice(top["country"]), "sector": rng.choice(top["sector"])}))
        out["common word"].append("/api/activities?" + urlencode({"q": COMMON_WORD, "page": 1 + i % 3}))
        out["facets only"].append("/api/activities?" + urlencode(
            {"country": rng.choice(top["country"]), "year": rng.choice(top["year"])}))
        out["rare word"].append("/api/activities?" + urlencode({"q": RARE_WORD}))
        out["row page"].append(f"/api/activities/{quote(rng.choice(ids))}")
        out["organisation page"].append(f"/api/organisations/{quote(rng.choice(orgs))}")
        out["overview"].append("/api/overview")
    return out


def serve_and_query(url: str, requests: int) -> dict[str, Any]:
    port = free_port()
    env = {**os.environ, "AIDATLAS_DATABASE_URL": url}
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "aidatlas", "serve", "--db", url, "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    try:
        first = None
        while time.perf_counter() - started < 600:
            try:
                status, ms, _ = Client(port).get("/api/activities?q=water&per_page=20")
                if status == 200:
                    first = (time.perf_counter() - started, ms)
                    break
            except OSError:
                time.sleep(0.1)
        if first is None:
            raise SystemExit("the server did not answer within 600 s")
        c = Client(port)
        out: dict[str, Any] = {"first_response_after_start_s": round(first[0], 2),
                               "first_search_ms": round(first[1], 1), "shapes": {}}
        for shape, paths in shapes(c, requests).items():
            times, errors = [], 0
            for path in paths:
                status, ms, _ = c.get(path)
                errors += status != 200
                times.append(ms)
            out["shapes"][shape] = {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(pct(times, 95), 1),
                                    "n": len(times), "errors": errors}
        rss, peak = rss_mb(server.pid)
        out["web_rss_mb"], out["web_peak_rss_mb"] = round(rss, 1), round(peak, 1)
        return out
    finally:
        server.terminate()
        server.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="10,000 activities, 10 requests per shape")
    parser.add_argument("--publishers", type=int, default=12)
    parser.add_argument("--requests", type=int, default=40, help="requests per query shape")
    parser.add_argument("--batch", type=int,
                        help="activities per committed batch of the import (default: the setting's)")
    parser.add_argument("--jobs", type=int, default=2, help="import worker processes (`import-iati --jobs`)")
    parser.add_argument("--keep", type=Path, help="write the files here and keep them (reused when present)")
    parser.add_argument("--reuse", action="store_true", help="query the loaded database; no generation or load")
    args = parser.parse_args()
    n = 10_000 if args.quick else args.n
    requests = 10 if args.quick else args.requests
    name = f"aidatlas_scale_{n}"
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    report: dict[str, Any] = {"n": n, "database": name, "load_average": os.getloadavg()[0]}
    if not args.reuse:
        from scale_data import write_corpus

        target = args.keep or Path(tempfile.mkdtemp(prefix="aidatlas-scale-"))
        target.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        files = sorted(target.glob("*.xml")) or write_corpus(target, n, args.publishers)
        report["generate_s"] = round(time.perf_counter() - started, 1)
        report["files"], report["file_mb"] = len(files), round(sum(f.stat().st_size for f in files) / 2**20, 1)
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin(f'CREATE DATABASE "{name}"')
        env = {**os.environ, **({"AIDATLAS_IMPORT_BATCH_ACTIVITIES": str(args.batch)} if args.batch else {})}
        seconds, peak, code = run_measured([sys.executable, "-m", "aidatlas", "import-iati", str(target),
                                            "--db", url, "--no-progress", "--jobs", str(args.jobs)], env)
        report.update(import_s=round(seconds, 1), import_rate_per_s=round(n / seconds), import_peak_rss_mb=round(peak),
                      import_jobs=args.jobs, import_exit=code)
        if not args.keep:
            shutil.rmtree(target, ignore_errors=True)
    size = admin(f"SELECT pg_database_size('{name}')")[0][0]
    report["database_mb"] = round(size / 2**20)
    report.update(serve_and_query(url, requests))
    report["load_average_after"] = os.getloadavg()[0]
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
