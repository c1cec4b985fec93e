"""A project a training was held in is a record of its own when its paragraph gives money or a period."""

from __future__ import annotations

from pathlib import Path

from aidatlas.ingest.pipeline import Extractor

NEWS = """Obuka o zelenim nabavkama u Valjevu

Valjevo, 4. mart 2025.

Dvodnevna obuka „Zelene nabavke u praksi“ održana je danas za 25 službenika iz šest opština. Obuku je
organizovao Centar za razvoj „Kolubara“ u okviru projekta „Zelena opština“.

Projekat „Zelena opština“ sprovodi se od januara 2025. do decembra 2026. godine, a vredan je 9,5 miliona dinara.
Finansira ga Ambasada Kraljevine Švedske.
"""


def test_the_project_behind_a_training_is_a_record_with_its_money_period_and_funder(tmp_path: Path):
    page = tmp_path / "obuka.txt"
    page.write_text(NEWS.replace("je\norganizovao", "je organizovao"), encoding="utf-8")
    _, activities = Extractor().extract_path(page)
    project = next(a for a in activities if "Zelena opština" in a.title.values())
    assert project.kind == "project"
    assert project.budget is not None and (project.budget.value, project.budget.currency) == (9_500_000, "RSD")
    assert (project.dates.start, project.dates.end) == ("2025-01", "2026-12")
    assert ("Ambasada Kraljevine Švedske", "funder") in {(p.name, p.role) for p in project.participants}
    assert any(a.kind == "event" for a in activities)


def test_a_project_named_only_in_passing_is_no_record(tmp_path: Path):
    page = tmp_path / "obuka.txt"
    page.write_text(NEWS.split("Projekat „Zelena")[0].replace("je\norganizovao", "je organizovao"), encoding="utf-8")
    _, activities = Extractor().extract_path(page)
    assert not any("Zelena opština" in a.title.values() for a in activities)
