"""Safe, flat-memory iteration over the `iati-activity` elements of a file (shared by reader and validator).

The parser resolves no entities, loads no DTD and touches no network; a file that declares entities is
refused before any activity is read, so billion-laughs bombs and external-entity (XXE) tricks fail fast
with a clear message. Each activity is cleared once the caller has used it, and earlier siblings are
deleted, so a file of hundreds of megabytes never sits in memory.
"""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, cast

from lxml import etree

from aidatlas.errors import IatiError, IatiFileError, display_name

PARSER_OPTIONS: dict[str, bool] = {
    "resolve_entities": False, "no_network": True, "huge_tree": False, "load_dtd": False,
}
Element = etree._Element


def line_of(element: Element) -> int | None:
    """The element's line in the file (lxml's stubs do not type `sourceline`)."""
    line = cast(Any, element).sourceline
    return int(line) if line else None


def check_root(root: Element, source: str, *, upgrade: bool = False) -> None:
    """Refuse anything but an IATI 2.x activity file (or 1.0x, when the caller `upgrade`s it) whose prologue
    declares no entities."""
    line = line_of(root)
    tag = root.tag if isinstance(root.tag, str) else "?"
    qname = etree.QName(tag)
    if qname.namespace or qname.localname != "iati-activities":
        hint = " (an IATI organisation file)" if qname.localname == "iati-organisations" else ""
        raise IatiFileError(source, line, f"the root element is <{tag}>{hint}, expected <iati-activities>: "
                                          "not an IATI activity file")
    version = (root.get("version") or "").strip()
    if version.startswith("1.") and not upgrade:
        raise IatiFileError(source, line, f"IATI version {version} is not supported (2.01 to 2.03 are)")
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in cast(Any, dtd).entities()):
        raise IatiFileError(source, 1, "the DOCTYPE declares XML entities, which IATI files never need; "
                                       "refused (protection against XML bombs and external entities)")


def _last_line(path: Path) -> int:
    lines = 1
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            lines += chunk.count(b"\n")
    return lines


def syntax_error(path: Path, exc: etree.XMLSyntaxError) -> IatiFileError:
    """A one-line account of a parse error; an error on the file's last line means it was cut short."""
    message = (exc.msg or str(exc)).strip()
    lowered = message.lower()
    line = exc.lineno or None
    if "amplification" in lowered or "entity loop" in lowered or "entities" in lowered:
        problem = f"refused: XML entity expansion (an XML bomb?): {message}"
    elif "document is empty" in lowered or "start tag expected" in lowered or "no element found" in lowered:
        problem = f"not an XML file: {message}"
    elif "premature end" in lowered or (line is not None and line >= _last_line(path)):
        problem = f"the file ends early (truncated?): {message}"
    else:
        problem = f"not well-formed XML: {message}"
    return IatiFileError(display_name(path.name), line, problem)


def _peek_root(fh: BinaryIO, path: Path, upgrade: bool = False) -> Element:
    """Parse only up to the root's start tag, so a wrong file is refused before it is read whole."""
    try:
        for _, root in etree.iterparse(_Unnamed(fh), events=("start",), **PARSER_OPTIONS):
            check_root(root, display_name(path.name), upgrade=upgrade)
            break
        else:
            raise IatiFileError(display_name(path.name), None, "not an XML file: no root element")
    except etree.XMLSyntaxError as exc:
        raise syntax_error(path, exc) from None
    fh.seek(0)
    return root


class _Unnamed:
    """A file as lxml should see it: bytes to read, without the name it would encode (and fail on when the
    name's bytes are not UTF-8)."""

    def __init__(self, fh: BinaryIO) -> None:
        self.read = fh.read


def _open(path: Path) -> BinaryIO:
    """The file, once it is known to be a regular file (a FIFO would block, a device never end)."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise IatiError(display_name(path.name), "is not a regular file (a directory, pipe or device); refused")
        return path.open("rb")
    except FileNotFoundError:
        raise IatiError(display_name(path.name), "cannot read the file: no such file or directory") from None
    except OSError as exc:
        raise IatiError(display_name(path.name), f"cannot read the file: {exc.strerror or exc}") from None


def read_root(path: Path) -> Element:
    """The root element alone (with its attributes), after the same checks as `iter_activity_elements`."""
    with _open(path) as fh:
        return _peek_root(fh, path)


def iter_activity_elements(path: Path, *, upgrade: bool = False) -> Iterator[Element]:
    """Yield each top-level `iati-activity` element; it is cleared when the caller asks for the next one.
    With `upgrade`, a 1.0x file is let through (the reader upgrades each activity).

    Raises `IatiFileError` (an `IatiError`) naming the file and line for unreadable or non-IATI input.
    """
    with _open(path) as fh:
        _peek_root(fh, path, upgrade)
        context = etree.iterparse(_Unnamed(fh), events=("end",), tag="iati-activity", **PARSER_OPTIONS)
        try:
            for _, element in context:
                parent = element.getparent()
                if parent is None or parent.getparent() is not None:
                    continue  # nested inside something else: cleared along with its ancestor
                yield element
                element.clear(keep_tail=False)
                while element.getprevious() is not None:
                    del parent[0]
        except etree.XMLSyntaxError as exc:
            raise syntax_error(path, exc) from None
