"""Validate an IATI activity file: the 2.03 schema plus the rules in rules.py, streaming.

lxml cannot stream XSD validation of a whole document, so each `iati-activity` is validated on its own
against the schema's global `iati-activity` declaration as it is parsed, then cleared; the root's own
attributes are checked once, on a copy of the root holding the first activity. Memory stays flat and a
200 MB file takes seconds. Line numbers are those of the file.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from lxml import etree

from aidatlas.errors import IatiError, IatiFileError
from aidatlas.iati.rules import Rules, Severity
from aidatlas.iati.stream import Element, iter_activity_elements, line_of, read_root
from aidatlas.reference.codelists import codelists

MAX_ISSUES = 10_000
Add = Callable[[Severity, int | None, str | None, str, str], None]


@dataclass(frozen=True)
class Issue:
    severity: Severity
    line: int | None
    activity: str | None
    """the iati-identifier of the activity concerned, when there is one"""
    code: str
    """`schema` for XSD errors, `xml` for unreadable files, else the rule's code"""
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"severity": self.severity, "line": self.line, "activity": self.activity, "code": self.code,
                "message": self.message}


@dataclass
class ValidationReport:
    file: str
    activities: int = 0
    errors: int = 0
    warnings: int = 0
    issues: list[Issue] = field(default_factory=list)
    not_listed: int = 0
    """issues counted but not kept, beyond `MAX_ISSUES`"""

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def add(self, issue: Issue, limit: int = MAX_ISSUES) -> None:
        if issue.severity == "error":
            self.errors += 1
        else:
            self.warnings += 1
        if len(self.issues) < limit:
            self.issues.append(issue)
        else:
            self.not_listed += 1

    def summary(self) -> str:
        verdict = "valid" if self.ok else "INVALID"
        return (f"{self.file}: {verdict} — {self.activities} activities, {self.errors} errors, "
                f"{self.warnings} warnings")

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "valid": self.ok, "activities": self.activities, "errors": self.errors,
                "warnings": self.warnings, "issues": [i.to_json() for i in self.issues],
                "issues_not_listed": self.not_listed}

    def to_table(self) -> str:
        """A plain-text table, one issue per line, then the summary."""
        rows = [("severity", "line", "activity", "code", "message")]
        rows += [(i.severity, str(i.line or ""), i.activity or "", i.code, i.message) for i in self.issues]
        widths = [max(len(r[c]) for r in rows) for c in range(4)]
        lines = ["  ".join(r[c].ljust(widths[c]) for c in range(4)) + "  " + r[4] for r in rows]
        if not self.issues:
            lines = []
        if self.not_listed:
            lines.append(f"… and {self.not_listed} more issues not listed")
        lines.append(self.summary())
        return "\n".join(lines)


def validate_file(path: Path, *, rules: bool = True, max_issues: int = MAX_ISSUES) -> ValidationReport:
    """Schema errors (with line numbers) and rule findings for every activity of an IATI file.

    Unreadable or non-IATI files give a report with one `xml` error rather than an exception; a missing
    file raises `IatiError`.
    """
    if not path.is_file():
        raise IatiError(path.name, "no such file")
    report = ValidationReport(path.name)
    cl = codelists()
    schema = cl.schema()
    checks = Rules(cl) if rules else None
    root: Element | None = None

    def add(severity: Severity, line: int | None, activity: str | None, code: str, message: str) -> None:
        report.add(Issue(severity, line, activity, code, message), max_issues)

    try:
        for element in iter_activity_elements(path):
            report.activities += 1
            identifier = (element.findtext("iati-identifier") or "").strip() or None
            if root is None:
                root = element.getparent()
                assert root is not None
                target = _bare_copy(root)
                target.append(copy.deepcopy(element))
            else:
                target = element
            _unexpected_siblings(element, add)
            found: list[Issue] = []
            if not schema.validate(target):
                found += [Issue("error", error.line or line_of(element), identifier, "schema", error.message)
                          for error in _errors(schema)]
            if checks is not None:
                found += [Issue(f.severity, f.line, identifier, f.code, f.message) for f in checks.check(element)]
            for issue in sorted(found, key=lambda i: i.line or 0):
                report.add(issue, max_issues)
    except IatiFileError as exc:
        add("error", exc.line, None, "xml", exc.detail)
        return report
    if root is None:  # no activity: validate the bare root, which the schema refuses
        bare = read_root(path)
        schema.validate(_bare_copy(bare))
        for error in _errors(schema):
            add("error", line_of(bare), None, "schema", error.message)
    else:
        for child in root:
            if child.tag != "iati-activity":
                _unexpected(child, add)
    return report


def _bare_copy(root: Element) -> Element:
    """The root element with its attributes and namespaces but no children."""
    attributes: dict[Any, Any] = dict(root.attrib)
    return etree.Element(root.tag, attributes, nsmap=cast(Any, root.nsmap))


def _errors(schema: etree.XMLSchema) -> list[Any]:
    return list(cast(Any, schema.error_log))


def _unexpected(child: Element, add: Add) -> None:
    if isinstance(child.tag, str) and not etree.QName(child).namespace:
        add("error", line_of(child), None, "schema",
            f"Element '{child.tag}': This element is not expected in iati-activities.")


def _unexpected_siblings(element: Element, add: Add) -> None:
    """Elements between activities (in no namespace) are schema errors; they are about to be deleted."""
    for sibling in element.itersiblings(preceding=True):
        if sibling.tag != "iati-activity":
            _unexpected(sibling, add)
