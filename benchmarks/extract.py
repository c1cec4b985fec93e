"""Extraction throughput, end to end from file to records, on one core.

    python benchmarks/extract.py [--docs 40] [--quick]

Generates realistic documents (grantee listings with labelled profiles and projects, about as dense in
records as the seed documents; the same as HTML pages with site chrome) of 20-60 KB each into a temp dir,
then times `Extractor.extract_path` on each: prints MB/s (wall clock, and per CPU second, which other
processes on the machine do not distort) and documents/s for txt and HTML, and pages/s for the project's own
two-page PDF.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aidatlas.ingest.pipeline import Extractor

ROOT = Path(__file__).resolve().parent.parent
PLACES = ["Mostar", "Prijedor", "Tuzla", "Bihać", "Niš", "Kragujevac", "Novi Pazar", "Zvečan", "Prizren",
          "Nikšić", "Pljevlja", "Bitola", "Tetovo", "Shkodër", "Elbasan", "Fushë-Arrëz"]
COUNTRIES = ["Bosnia and Herzegovina", "Serbia", "Kosovo", "Montenegro", "North Macedonia", "Albania"]
THEMES = ["youth employment", "local democracy", "air quality", "gender equality", "media literacy",
          "rural tourism", "waste management", "social inclusion", "transitional justice", "digital skills"]
SENTENCE = ("The organisation works with local communities on {theme} in {place} and neighbouring "
            "municipalities, with a focus on women, young people and minorities.")


def profile(rng: random.Random, i: int) -> str:
    place, theme = rng.choice(PLACES), rng.choice(THEMES)
    bullets = "\n".join(f"- {rng.choice(['Training', 'Monitoring', 'Advocacy', 'Research'])} on {rng.choice(THEMES)} "
                        f"in {rng.choice(PLACES)};" for _ in range(rng.randint(3, 7)))
    return (f"Centre for {theme.title()} {place} {i}\n\nSummary of organization’s strategic orientation\n\n"
            + " ".join(SENTENCE.format(theme=theme, place=place) for _ in range(rng.randint(6, 12)))
            + f"\n\nOrganization goal\n\nTo strengthen {theme} in {place}.\n\nBeneficiaries\n\n"
            f"Citizens of {place}, about {rng.randint(50, 900)} young people and {rng.randint(5, 40)} CSOs.\n\n"
            f"Main organization activities\n\n{bullets}\n\n")


def project(rng: random.Random, i: int) -> str:
    a, b = rng.sample(COUNTRIES, 2)
    return (f"Regional Partnership for {rng.choice(THEMES).title()} {i}\n\nImplementing organizations:\n\n"
            f"- Association “Civic Bridge {i}”, Lead applicant, {a}\n- Youth Network {rng.choice(PLACES)}, "
            f"Partner, {b}\n\nSummary of the project\n\n"
            + " ".join(SENTENCE.format(theme=rng.choice(THEMES), place=rng.choice(PLACES))
                       for _ in range(rng.randint(8, 16)))
            + f"\n\nProject goals\n\nOverall goal of the project is to improve {rng.choice(THEMES)}.\n\n"
            "Specific objectives are:\n\n(1) Improved cooperation.\n\n(2) Stronger institutions.\n\n"
            f"Target groups and beneficiaries\n\nThe direct target group are at least {rng.randint(100, 5000)} "
            f"students and {rng.randint(10, 90)} teachers.\n\nMain activities\n\n- Desk research\n- Trainings\n\n")


def document(rng: random.Random, size: int) -> str:
    parts = [f"Grantees {rng.randint(2019, 2025)}\n\nThe fund is implemented by the Balkan Civic Trust with the "
             "financial support of the European Union.\n\n"]
    i = 0
    while sum(map(len, parts)) < size:
        parts.append(profile(rng, i) if i % 2 else project(rng, i))
        i += 1
    return "".join(parts)


def as_html(text: str) -> str:
    body = "".join(f"<h3>{p}</h3>" if len(p) < 80 and not p.startswith("-") else f"<p>{p}</p>"
                   for p in text.split("\n\n") if p)
    chrome = ("<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><div class='cookie'>We use cookies."
              "<button>Accept</button></div>")
    return (f"<html><head><title>Grantees</title></head><body>{chrome}<main><article>{body}</article></main>"
            "<footer>© Fund, Sarajevo</footer></body></html>")


def measure(extractor: Extractor, paths: list[Path], label: str) -> None:
    total = sum(p.stat().st_size for p in paths)
    started, cpu_started = time.perf_counter(), time.process_time()
    records = 0
    for path in paths:
        records += len(extractor.extract_path(path)[1])
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(f"{label:5} {len(paths):4} docs  {total / 1e6:6.2f} MB  {total / 1e6 / elapsed:6.2f} MB/s  "
          f"({total / 1e6 / cpu:.2f} MB per CPU second)  {len(paths) / elapsed:7.1f} docs/s  {records} records "
          f"({total / records / 1000:.1f} KB per record; the seeds have 2.7)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=40)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n = 6 if args.quick else args.docs
    rng = random.Random(5)
    extractor = Extractor()
    extractor.extract_path(ROOT / "tests" / "data" / "docs" / "njoftim_mk.txt")  # reference data loads once
    with tempfile.TemporaryDirectory() as tmp:
        txt, html = [], []
        for i in range(n):
            text = document(rng, rng.randint(20_000, 60_000))
            (p := Path(tmp) / f"doc{i}.txt").write_text(text, encoding="utf-8")
            txt.append(p)
            (h := Path(tmp) / f"doc{i}.html").write_text(as_html(text), encoding="utf-8")
            html.append(h)
        measure(extractor, txt, "txt")
        measure(extractor, html, "html")
    pdf = ROOT / "tests" / "data" / "docs" / "project_sheet.pdf"
    repeats = 5 if args.quick else 30
    started = time.perf_counter()
    pages = 0
    for _ in range(repeats):
        document_, _records = extractor.extract_path(pdf)
        pages += len(document_.page_starts)
    print(f"pdf   {pages / (time.perf_counter() - started):.1f} pages/s (project_sheet.pdf × {repeats})")


if __name__ == "__main__":
    main()
