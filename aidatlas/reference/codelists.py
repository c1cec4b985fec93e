"""IATI 2.03 codelists and schema, read from package data copied from IATI (see reference/data/SOURCES.md).

Codes are never written by hand elsewhere: the writer and the validator ask a `Codelist` for the code of a
named item ("Funding", "Objectives", ...) or whether a code exists. Files are parsed on first use and cached
on the `Codelists` object, so importing this module reads nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

DATA_DIR = Path(__file__).resolve().parent / "data" / "iati"
SCHEMA_FILE = DATA_DIR / "iati-activities-schema.xsd"


@dataclass(frozen=True)
class CodeItem:
    code: str
    name: str
    withdrawn: bool = False


@dataclass(frozen=True)
class Codelist:
    """One codelist: its items by code, and whether IATI embeds it in the standard (vs. a replicated list)."""

    name: str
    items: dict[str, CodeItem]
    embedded: bool

    def __contains__(self, code: object) -> bool:
        return code in self.items

    def code(self, name: str) -> str:
        """The code of the item called `name` (English name, case-insensitive)."""
        wanted = name.casefold()
        for item in self.items.values():
            if item.name.casefold() == wanted:
                return item.code
        raise KeyError(f"codelist {self.name} has no item named {name!r}")

    def name_of(self, code: str) -> str | None:
        item = self.items.get(code)
        return item.name if item else None

    def is_withdrawn(self, code: str) -> bool:
        item = self.items.get(code)
        return bool(item and item.withdrawn)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def load_codelist(path: Path) -> Codelist:
    root = etree.parse(str(path), _parser()).getroot()
    items: dict[str, CodeItem] = {}
    for el in root.iter("codelist-item"):
        code = (el.findtext("code") or "").strip()
        if not code:
            continue
        name = (el.findtext("name/narrative") or "").strip()
        items[code] = CodeItem(code, name, el.get("status") == "withdrawn")
    return Codelist(root.get("name") or path.stem, items, root.get("embedded") == "1")


class Codelists:
    """Lazy, cached access to the codelist files of one directory (the package data by default)."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or DATA_DIR / "codelists"
        self._lists: dict[str, Codelist] = {}
        self._schema: etree.XMLSchema | None = None

    def __getitem__(self, name: str) -> Codelist:
        found = self._lists.get(name)
        if found is None:
            path = self.directory / f"{name}.xml"
            if not path.is_file():
                raise KeyError(f"no IATI codelist {name!r} in {self.directory}")
            found = self._lists[name] = load_codelist(path)
        return found

    def code(self, codelist: str, name: str) -> str:
        """Shorthand: the code of a named item, e.g. `code("OrganisationRole", "Funding") == "1"`."""
        return self[codelist].code(name)

    def schema(self) -> etree.XMLSchema:
        """The IATI 2.03 activity schema (XSD), loaded once, without network access."""
        if self._schema is None:
            self._schema = etree.XMLSchema(etree.parse(str(SCHEMA_FILE), _parser()))
        return self._schema


@cache
def codelists() -> Codelists:
    """The shared instance over the package data; created on first call, not at import."""
    return Codelists()
