"""File → Document → Drafts → Activities: the ordered stages of extraction, and directory expansion."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from aidatlas.ingest.documents import MEDIA_TYPES, Document, load_path
from aidatlas.ingest.extract import extract_drafts
from aidatlas.ingest.limits import Limits
from aidatlas.normalize.countries import find_countries
from aidatlas.normalize.draft import Normalizer
from aidatlas.normalize.language import LanguageDetector
from aidatlas.records import Activity, stable_id
from aidatlas.reference.gazetteer import Gazetteer
from aidatlas.reference.orgs import KnownOrgs
from aidatlas.settings import Settings


@dataclass
class Extractor:
    """Holds the reference data extraction needs (loaded on first use) so that many files share it.

    With `settings`, its organisations table (`AIDATLAS_ORG_TABLE`) extends the built-in one, as when saving."""

    normalizer: Normalizer | None = None
    detector: LanguageDetector = field(default_factory=LanguageDetector)
    settings: Settings | None = None

    def _norm(self) -> Normalizer:
        if self.normalizer is None:
            if self.settings is not None and self.settings.org_table:
                self.normalizer = Normalizer(Gazetteer.load(), KnownOrgs.load(self.settings.org_table))
            else:
                self.normalizer = Normalizer.load()
        return self.normalizer

    def extract(self, document: Document) -> list[Activity]:
        mentions = find_countries(document.text)  # read once, used by language detection and countries
        drafts = extract_drafts(document, self.detector, mentions)
        activities = self._norm().normalize_all(drafts, document, mentions)
        for position, activity in enumerate(activities):
            activity.id = stable_id("act", document.sha256, position)
        titles = {a.primary_title(): a.id for a in activities if a.kind == "programme"}
        for activity in activities:
            if activity.kind != "programme" and activity.programme in titles:
                activity.part_of = titles[activity.programme]
        return activities

    def load(self, path: Path) -> Document:
        """A file as a document, within the settings' input limits (`aidatlas.ingest.limits`)."""
        return load_path(path, Limits.of(self.settings))

    def extract_path(self, path: Path) -> tuple[Document, list[Activity]]:
        document = self.load(path)
        return document, self.extract(document)


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given; directories expanded to the supported files inside them (sorted, recursive). Nothing is
    refused here, so that one bad argument fails alone when it is loaded."""
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in MEDIA_TYPES
                           and not p.name.startswith("."))
            yield from found or [path]  # an empty directory fails alone, as "a directory, not a document"
        else:
            yield path
