"""Lossless IATI round trip at scale: a generated file → import into a fresh SQLite registry → export → compare.

    python benchmarks/roundtrip.py            # 10,000 activities
    python benchmarks/roundtrip.py --n 2000

The file mixes the real MAEC file's activities (../shared/data/iati/, repeated under new identifiers) with
synthetic records written by the registry's writer (`aidatlas.synthetic.write_iati_file`). Prints how many
activities are semantically equal after import → store → export (`aidatlas.iati.compare`), whether the export
validates against the 2.03 XSD, and the time of each step. Prints numbers; this is not a test.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "data" / "iati" / "es-maec-indonesia.xml"
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000)
    args = parser.parse_args()
    from lxml import etree

    from aidatlas.cli.iati import export_iati
    from aidatlas.iati.compare import canonical_activities, differing
    from aidatlas.iati.reader import read_activities
    from aidatlas.reference.codelists import codelists
    from aidatlas.registry import open_store
    from aidatlas.settings import Settings
    from aidatlas.synthetic import write_iati_file

    with tempfile.TemporaryDirectory() as tmp:
        source, out = Path(tmp) / "generated.xml", Path(tmp) / "exported.xml"
        settings = Settings(database_url=Settings.sqlite_url(Path(tmp) / "registry.db"),
                            reporting_org_ref="XI-BENCH", reporting_org_name="Benchmark registry")
        started = time.perf_counter()
        write_iati_file(source, args.n, REAL, settings)
        print(f"generated {args.n:,} activities ({source.stat().st_size / 1e6:.1f} MB) in "
              f"{time.perf_counter() - started:.1f} s")
        store = open_store(settings)
        started = time.perf_counter()
        counts = store.import_activities(read_activities(source), source_name=source.name)
        print(f"import into SQLite: {counts.new:,} new in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        written = export_iati(store.iter_activities(), out, settings)
        print(f"export: {written:,} activities in {time.perf_counter() - started:.1f} s")
        store.close()
        valid = codelists().schema().validate(etree.parse(str(out)))
        total = len(canonical_activities(source))
        lost = differing(source, out)
        print(f"semantically equal after import → store → export: {total - len(lost):,} of {total:,} "
              f"({100 * (total - len(lost)) / total:.2f} %); export valid against the 2.03 XSD: {bool(valid)}")
        for ident in lost[:10]:
            print(f"  differs: {ident}")


if __name__ == "__main__":
    main()
