"""IATI throughput and memory: reader, store import, writer, validator on a generated ~200 MB file.

    python benchmarks/iati.py            # ~200 MB file, export of N = 20,000 and 10·N activities
    python benchmarks/iati.py --quick    # ~20 MB, N = 2,000
    python benchmarks/iati.py --no-store # skip the database import

The file repeats the activities of the real MAEC file (../shared/data/iati/) with new identifiers, in a
temporary directory. Each measurement runs in its own subprocess, so its peak RSS (getrusage ru_maxrss)
is its own; the bare interpreter with the libraries imported is reported as the baseline.
Targets: import ≥ 2,000 activities/s and ≥ 10 MB/s with peak RSS < 300 MB; export ≥ 5,000 activities/s
with flat RSS; validation of 200 MB < 60 s. Prints numbers; this is not a test.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "data" / "iati" / "es-maec-indonesia.xml"
sys.path.insert(0, str(ROOT))  # run from a checkout without installing


def generate(target: Path, size_mb: float) -> int:
    """Repeat the real file's activities, each with a fresh identifier, until the file reaches size_mb."""
    from lxml import etree

    templates = []
    for _, element in etree.iterparse(str(REAL), events=("end",), tag="iati-activity", resolve_entities=False):
        identifier = element.findtext("iati-identifier") or ""
        raw = etree.tostring(element, encoding="utf-8")
        marker = f"<iati-identifier>{identifier}</iati-identifier>".encode()
        head, _, tail = raw.partition(marker)
        templates.append((head, identifier.encode(), tail))
    limit = size_mb * 1024 * 1024
    count = 0
    with target.open("wb") as out:
        out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n'
                  b'<iati-activities version="2.01" generated-datetime="2015-02-24T09:41:10">\n')
        while out.tell() < limit:
            for head, identifier, tail in templates:
                out.write(head + b"<iati-identifier>" + identifier + b"-r%d</iati-identifier>" % count + tail)
                count += 1
        out.write(b"</iati-activities>\n")
    return count


# ------------------------------------------------------------------ children: one measurement each
def _child(mode: str, path: Path, n: int) -> dict[str, Any]:
    from aidatlas.iati.reader import read_activities
    from aidatlas.registry import open_store
    from aidatlas.settings import Settings

    started = time.perf_counter()
    result: dict[str, Any] = {}
    if mode == "baseline":
        from aidatlas.iati import validate, writer  # noqa: F401  (the libraries, loaded)
    elif mode == "iterparse":  # the floor: lxml walking the file, each activity cleared, nothing mapped
        from lxml import etree

        count = 0
        for _, element in etree.iterparse(str(path), events=("end",), tag="iati-activity", resolve_entities=False):
            count += 1
            element.clear(keep_tail=False)
        result["count"] = count
    elif mode == "read":
        result["count"] = sum(1 for _ in read_activities(path))
    elif mode == "store":

        store = open_store(Settings(database_url=Settings.sqlite_url(path.with_suffix(".db"))))
        counts = store.import_activities(read_activities(path), source_name=path.name)
        store.close()
        result["count"] = counts.new + counts.updated + counts.unchanged
    elif mode == "export":
        from aidatlas.iati.writer import write_activities

        base = list(read_activities(REAL))

        def many() -> Any:
            for i in range(n):
                a = base[i % len(base)]
                yield a.model_copy(update={"iati_identifier": f"{a.iati_identifier}-e{i}"})

        started = time.perf_counter()
        with path.open("wb") as out:
            result["count"] = write_activities(many(), out, Settings())
    elif mode == "validate":
        from aidatlas.iati.validate import validate_file

        report = validate_file(path)
        result.update(count=report.activities, errors=report.errors, warnings=report.warnings)
    result["seconds"] = time.perf_counter() - started
    result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def measure(mode: str, path: Path, n: int = 0) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, "--child", mode, str(path), str(n)], check=True,
                          capture_output=True, text=True, cwd=ROOT)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="~20 MB file and N = 2,000")
    parser.add_argument("--no-store", action="store_true", help="skip the database import")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, path, n = args.child
        print(json.dumps(_child(mode, Path(path), int(n))))
        return
    size_mb, n = (20, 2_000) if args.quick else (200, 20_000)
    with tempfile.TemporaryDirectory(prefix="aidatlas-bench-") as tmp:
        big = Path(tmp) / "big.xml"
        started = time.perf_counter()
        count = generate(big, size_mb)
        mb = big.stat().st_size / 1024 / 1024
        print(f"generated {big.name}: {mb:.1f} MB, {count:,} activities in {time.perf_counter() - started:.1f} s")
        base = measure("baseline", big)
        print(f"baseline RSS (interpreter + lxml + pydantic + aidatlas.iati): {base['maxrss_mb']:.0f} MB\n")
        rows = []
        bare = measure("iterparse", big)
        rows.append(("bare lxml.iterparse", bare["count"], bare["seconds"], mb, bare["maxrss_mb"]))
        read = measure("read", big)
        rows.append(("import: reader only", read["count"], read["seconds"], mb, read["maxrss_mb"]))
        if not args.no_store:
            stored = measure("store", big)
            rows.append(("import: reader + SQLite store", stored["count"], stored["seconds"], mb, stored["maxrss_mb"]))
        for size in (n, 10 * n):
            out = Path(tmp) / f"export-{size}.xml"
            exported = measure("export", out, size)
            rows.append((f"export {size:,} activities", exported["count"], exported["seconds"],
                         out.stat().st_size / 1024 / 1024, exported["maxrss_mb"]))
            out.unlink()
        checked = measure("validate", big)
        rows.append(("validate (XSD + rules)", checked["count"], checked["seconds"], mb, checked["maxrss_mb"]))
        print(f"{'measurement':32} {'activities':>11} {'seconds':>8} {'act/s':>9} {'MB/s':>7} {'peak RSS':>9}")
        for name, done, seconds, megabytes, rss in rows:
            print(f"{name:32} {done:>11,} {seconds:>8.2f} {done / seconds:>9,.0f} {megabytes / seconds:>7.1f} "
                  f"{rss:>6.0f} MB")
        if not args.no_store:
            print(f"\nimport into SQLite: {bare['seconds'] / stored['seconds']:.2f} of bare iterparse speed "
                  "(issue 20 asks ≥ 0.33)")
        print(f"\nvalidation found {checked['errors']:,} errors and {checked['warnings']:,} warnings "
              "(the real file's recipient percentages, repeated)")


if __name__ == "__main__":
    main()
