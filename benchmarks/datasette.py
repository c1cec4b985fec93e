"""aidatlas beside Datasette 0.65.5 on the same activities: same text, same filters, identical hit counts.

    python benchmarks/datasette.py                  # 100,000 synthetic activities, 40 requests per shape
    python benchmarks/datasette.py --quick          # 2,000 activities, 10 requests per shape (a CI-speed check)
    python benchmarks/datasette.py --keep /tmp/bench  # keep (and reuse) both database files

Datasette runs from its own virtual environment (`--venv`, default `.bench-datasette/`, made with pip on first
use; it is not a dependency of the project). Its database is built from aidatlas's own search index: one row
per activity with the folded text aidatlas searches, its title, and a column per single-valued facet (country,
funder, implementer, kind, municipality, year, programme), with an FTS5 table over title and text. Both servers
run under uvicorn, one process each, on loopback; requests to the two are interleaved (a, b, a, b …) so that
load from elsewhere on the machine falls on both alike. Shapes (JSON unless said):
  text + 2 facets + counts   q=word & two filters, facet counts (aidatlas: all its facets; Datasette: `_facet`
                             for each of the seven columns)
  common word                a word in every activity, facet counts
  facets only                two filters, facet counts
  rare word                  a word in a handful of activities, facet counts
  row JSON / row HTML        one activity (aidatlas: the full record; Datasette: its row)
Before timing, every search's hit count is compared between the two; a difference stops the run.
Client-side latency, p50 and p95, and the ratio Datasette / aidatlas (> 1: aidatlas faster).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.web import Client, build, pct, serve

DATASETTE = "datasette==0.65.5"
COLUMNS = ("country", "funder", "implementer", "kind", "municipality", "year", "programme")


# ------------------------------------------------------------------ Datasette's side
def datasette_venv(folder: Path) -> Path:
    """The Datasette executable of the benchmark's own venv, made (pip, from the package index) when missing."""
    exe = folder / "bin" / "datasette"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
        subprocess.run([str(folder / "bin" / "pip"), "install", "-q", DATASETTE], check=True)
    return exe


def datasette_db(source: Path, target: Path) -> None:
    """A flat table of aidatlas's index (`search_docs` + single-valued facets) with its FTS5 table."""
    if target.exists():
        return
    partial = target.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    db = sqlite3.connect(partial)
    db.execute("ATTACH DATABASE ? AS src", (f"file:{source}?mode=ro",))
    facets = ", ".join(f"max(CASE WHEN t.facet = '{c}' THEN t.value END) AS {c}" for c in COLUMNS)
    db.executescript(f"""
        CREATE TABLE activities (rowid INTEGER PRIMARY KEY, id TEXT UNIQUE, title TEXT, text TEXT,
            start_date TEXT, budget_eur REAL, {', '.join(f'{c} TEXT' for c in COLUMNS)});
        INSERT INTO activities SELECT d.doc, d.activity_id, d.title_key, d.text, d.start_date, d.budget_eur, {facets}
            FROM src.search_docs d LEFT JOIN src.search_postings p ON p.doc = d.doc
            LEFT JOIN src.search_terms t ON t.term = p.term GROUP BY d.doc ORDER BY d.doc;
        {''.join(f'CREATE INDEX activities_{c} ON activities ({c});' for c in COLUMNS)}
        CREATE VIRTUAL TABLE activities_fts USING fts5(title, text, content="activities", content_rowid="rowid");
        INSERT INTO activities_fts (rowid, title, text) SELECT rowid, title, text FROM activities;
    """)
    db.commit()
    db.execute("DETACH DATABASE src")
    db.close()
    partial.rename(target)


def serve_datasette(exe: Path, db: Path, port: int) -> subprocess.Popen[bytes]:
    settings = ["--setting", "sql_time_limit_ms", "20000", "--setting", "facet_time_limit_ms", "20000",
                "--setting", "default_facet_size", "12", "--setting", "num_sql_threads", "3"]
    return subprocess.Popen([str(exe), "serve", "--immutable", str(db), "--port", str(port), "--host", "127.0.0.1",
                             *settings], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait(port: int, path: str, seconds: float = 600) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        try:
            if Client(port).get(path)[0] == 200:
                return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"the server on port {port} did not come up")


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (uvicorn's reloader-less server is one process)."""
    total = 0
    for p in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def _children(pid: int) -> list[int]:
    try:
        kids = [int(k) for k in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    return kids + [g for k in kids for g in _children(k)]


# ------------------------------------------------------------------ the shapes
def shapes(db: Path, n_requests: int, seed: int = 7) -> dict[str, list[tuple[dict[str, str], str]]]:
    """Per shape: (filters and words, activity id) pairs drawn from the data itself."""
    rng = random.Random(seed)
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    values = {c: [r[0] for r in con.execute(f"SELECT {c} FROM activities WHERE {c} IS NOT NULL GROUP BY {c} "
                                            f"HAVING count(*) > 20")] for c in ("country", "funder", "kind", "year")}
    ids = [r[0] for r in con.execute("SELECT id FROM activities ORDER BY random() LIMIT ?", (n_requests * 2,))]
    words = ["water", "youth", "gender", "energy", "tourism", "media", "education", "prijedor", "zvecan"]
    size = con.execute("SELECT count(*) FROM activities").fetchone()[0]
    common = next(w for w in ("improving", "project", "people")
                  if con.execute("SELECT count(*) FROM activities_fts WHERE activities_fts MATCH ?",
                                 (w,)).fetchone()[0] == size)
    rare = [str(rng.randrange(100, min(size, 10_000))) for _ in range(n_requests)]  # an id: a few activities
    con.close()

    def two() -> dict[str, str]:
        a, b = rng.sample(sorted(values), 2)
        return {a: rng.choice(values[a]), b: rng.choice(values[b])}

    return {
        "text + 2 facets + counts": [({**two(), "q": rng.choice(words)}, "") for _ in range(n_requests)],
        "common word": [({"q": common}, "") for _ in range(n_requests)],
        "facets only": [(two(), "") for _ in range(n_requests)],
        "rare word": [({"q": w}, "") for w in rare],
        "row JSON": [({}, i) for i in ids[:n_requests]],
        "row HTML": [({}, i) for i in ids[n_requests:]],
    }


def paths(shape: str, params: dict[str, str], activity: str) -> tuple[str, str]:
    """The aidatlas path and the Datasette path of one request."""
    if shape == "row JSON":
        return f"/api/activities/{activity}", f"/bench/activities/{_pk(activity)}.json"
    if shape == "row HTML":
        return f"/activities/{activity}", f"/bench/activities/{_pk(activity)}"
    filters = {k: v for k, v in params.items() if k != "q"}
    ours = {**filters, "per_page": "20"} | ({"q": params["q"]} if "q" in params else {})
    theirs = {**filters, "_size": "20"} | ({"_search": params["q"]} if "q" in params else {})
    facets = "&".join(f"_facet={c}" for c in COLUMNS)
    return "/api/activities?" + urlencode(ours), "/bench/activities.json?" + urlencode(theirs) + "&" + facets


_ROWIDS: dict[str, int] = {}


def _pk(activity: str) -> int:
    return _ROWIDS[activity]


def get(client: Client, path: str) -> tuple[int, float, float, bytes]:
    """A request, sent again once on a fresh connection when the server had closed the idle one (uvicorn
    closes keep-alive connections after 5 s, and a slow answer from the other server can take longer)."""
    answer = client.get(path)
    return client.get(path) if answer[0] == 599 else answer


def hits(body: bytes, ours: bool) -> int:
    data = json.loads(body)
    return int(data["total"] if ours else data["filtered_table_rows_count"])


# ------------------------------------------------------------------ the run
def run(n: int, n_requests: int, keep: Path | None, venv: Path) -> None:
    exe = datasette_venv(venv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        ours_db = folder / f"bench-{n}.db"
        started = time.perf_counter()
        build(f"sqlite:///{ours_db}", n)
        theirs_db = folder / f"datasette-{n}" / "bench.db"  # Datasette names a database by its file
        theirs_db.parent.mkdir(exist_ok=True)
        datasette_db(ours_db, theirs_db)
        print(f"{n:,} activities; built in {time.perf_counter() - started:.0f} s; files: aidatlas "
              f"{ours_db.stat().st_size / 2**20:.0f} MB, Datasette {theirs_db.stat().st_size / 2**20:.0f} MB")
        con = sqlite3.connect(theirs_db)
        _ROWIDS.update(con.execute("SELECT id, rowid FROM activities").fetchall())
        con.close()
        os.environ["AIDATLAS_BENCH_URL"] = f"sqlite:///{ours_db}"
        port_a, port_b = 19000 + random.randint(0, 400), 19500 + random.randint(0, 400)
        a_started = time.perf_counter()
        server_a = serve(port_a, 1)
        server_b = serve_datasette(exe, theirs_db, port_b)
        try:
            wait(port_a, "/static/app.css")
            first = Client(port_a).get("/api/activities?per_page=1")[1]
            a_up = time.perf_counter() - a_started
            wait(port_b, "/bench/activities.json?_size=1")
            print(f"aidatlas: up and first search answered {a_up:.2f} s after start (first search {first:.0f} ms), "
                  f"RSS {rss_mb(server_a.pid):.0f} MB; Datasette RSS {rss_mb(server_b.pid):.0f} MB")
            compare(port_a, port_b, shapes(theirs_db, n_requests))
            print(f"RSS after the run: aidatlas {rss_mb(server_a.pid):.0f} MB, Datasette {rss_mb(server_b.pid):.0f} MB")
        finally:
            for server in (server_a, server_b):
                server.terminate()
                server.wait(20)


def compare(port_a: int, port_b: int, work: dict[str, list[tuple[dict[str, str], str]]]) -> None:
    a, b = Client(port_a), Client(port_b)
    for shape, items in work.items():  # identical hit counts first (and a warm-up)
        if shape.startswith("row"):
            continue
        for params, activity in items:
            pa, pb = paths(shape, params, activity)
            ra, rb = get(a, pa), get(b, pb)
            if ra[0] != 200 or rb[0] != 200 or hits(ra[3], True) != hits(rb[3], False):
                raise SystemExit(f"hit counts differ for {shape} {params}: {pa} → {ra[0]}, {pb} → {rb[0]}")
    print("hit counts identical for every search request\n")
    print(f"{'shape':26} {'n':>4} {'aidatlas p50':>13} {'p95':>9} {'Datasette p50':>14} {'p95':>9} "
          f"{'ratio p50':>10} {'ratio p95':>10}")
    for shape, items in work.items():
        ours, theirs = [], []
        for params, activity in items:
            pa, pb = paths(shape, params, activity)
            sa, ta, _, _ = get(a, pa)
            sb, tb, _, _ = get(b, pb)
            if sa != 200 or sb != 200:
                raise SystemExit(f"{shape}: {pa} → {sa}, {pb} → {sb}")
            ours.append(ta)
            theirs.append(tb)
        o50, o95, t50, t95 = statistics.median(ours), pct(ours, 95), statistics.median(theirs), pct(theirs, 95)
        print(f"{shape:26} {len(items):>4} {o50:>10.1f} ms {o95:>6.1f} ms {t50:>11.1f} ms {t95:>6.1f} ms "
              f"{t50 / o50:>9.1f}× {t95 / o95:>9.1f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000, help="activities (default 100,000)")
    parser.add_argument("--requests", type=int, default=40, help="requests per shape and server")
    parser.add_argument("--quick", action="store_true", help="2,000 activities, 10 requests per shape")
    parser.add_argument("--keep", type=Path, help="directory for both database files, reused when present")
    parser.add_argument("--venv", type=Path, default=Path(".bench-datasette"), help="Datasette's own venv")
    args = parser.parse_args()
    n, n_requests = (2_000, 10) if args.quick else (args.n, args.requests)
    run(n, n_requests, args.keep, args.venv)


if __name__ == "__main__":
    main()
