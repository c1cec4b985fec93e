"""The floors stay one-way: read every module's imports (ast, nothing is imported) and check who may import whom.

Floors, bottom up: records · errors · settings → reference · normalize → ingest · iati → db → resolve →
registry (the composition root) → grants → web · cli. `docs/architecture.md` draws them.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "aidatlas"

FORBIDDEN: dict[str, tuple[str, ...]] = {
    # importer prefix → what it must not import (prefixes)
    "aidatlas.records": ("aidatlas.",),
    "aidatlas.errors": ("aidatlas.",),
    "aidatlas.settings": ("aidatlas.",),
    "aidatlas.reference": ("aidatlas.ingest", "aidatlas.db", "aidatlas.resolve", "aidatlas.iati", "aidatlas.grants",
                           "aidatlas.web", "aidatlas.cli", "aidatlas.registry"),
    "aidatlas.normalize": ("aidatlas.ingest", "aidatlas.db", "aidatlas.resolve", "aidatlas.iati", "aidatlas.grants",
                           "aidatlas.web", "aidatlas.cli", "aidatlas.registry"),
    "aidatlas.ingest": ("aidatlas.db", "aidatlas.resolve", "aidatlas.iati", "aidatlas.grants", "aidatlas.web",
                        "aidatlas.cli", "aidatlas.registry"),
    "aidatlas.iati": ("aidatlas.ingest", "aidatlas.db", "aidatlas.resolve", "aidatlas.grants", "aidatlas.web",
                      "aidatlas.cli", "aidatlas.registry"),
    "aidatlas.db": ("aidatlas.ingest", "aidatlas.resolve", "aidatlas.iati", "aidatlas.grants", "aidatlas.web",
                    "aidatlas.cli", "aidatlas.registry", "aidatlas.curation"),
    "aidatlas.resolve": ("aidatlas.ingest", "aidatlas.grants", "aidatlas.web", "aidatlas.cli", "aidatlas.registry"),
    "aidatlas.curation": ("aidatlas.ingest", "aidatlas.iati", "aidatlas.grants", "aidatlas.web", "aidatlas.cli",
                          "aidatlas.registry"),
    "aidatlas.registry": ("aidatlas.grants", "aidatlas.web", "aidatlas.cli"),
    "aidatlas.iati_import": ("aidatlas.grants", "aidatlas.web", "aidatlas.cli"),
    "aidatlas.grants": ("aidatlas.web", "aidatlas.cli"),
    "aidatlas.web": ("aidatlas.cli", "sqlalchemy"),
    "aidatlas.cli": ("sqlalchemy",),
}
"""a lower floor never imports a higher one; web and cli are thin shells with no SQL; nothing imports cli"""
MAY_IMPORT_CLI = ("aidatlas.cli", "aidatlas.__main__")


@dataclass(frozen=True)
class Import:
    importer: str
    target: str
    line: int
    top_level: bool


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "migrations" not in p.parts}


def _type_checking(node: ast.If) -> bool:
    return "TYPE_CHECKING" in ast.unparse(node.test)


def imports_of(name: str, path: Path, known: set[str]) -> list[Import]:
    """Every import of a module, its target resolved to a module where it names one (`from a import b`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    found: list[Import] = []

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                found.extend(Import(name, a.name, child.lineno, top) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = name.split(".") if is_package else name.split(".")[:-1]
                    anchor = anchor[:len(anchor) - child.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                for alias in child.names:
                    sub = f"{base}.{alias.name}"
                    found.append(Import(name, sub if sub in known else base, child.lineno, top))
            elif (isinstance(child, ast.If) and _type_checking(child)) or isinstance(
                    child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                visit(child, False)     # runs later, or never: not part of importing the module
            else:
                visit(child, top)

    visit(tree, True)
    return found


@pytest.fixture(scope="module")
def graph() -> list[Import]:
    mods = modules()
    known = set(mods)
    return [i for name, path in mods.items() for i in imports_of(name, path, known)]


def _under(name: str, prefix: str) -> bool:
    return name == prefix.rstrip(".") or name.startswith(prefix if prefix.endswith(".") else prefix + ".")


def test_floors_point_down(graph: list[Import]) -> None:
    wrong = [f"{i.importer}:{i.line} imports {i.target}" for i in graph
             for floor, banned in FORBIDDEN.items() if _under(i.importer, floor)
             for b in banned if _under(i.target, b)]
    wrong += [f"{i.importer}:{i.line} imports {i.target} (only the entry point may)" for i in graph
              if _under(i.target, "aidatlas.cli") and not any(_under(i.importer, m) for m in MAY_IMPORT_CLI)]
    assert not wrong, "\n".join(wrong)


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each a cycle to report."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def _edges(graph: list[Import], *, top_level_only: bool) -> dict[str, set[str]]:
    known = set(modules())
    edges: dict[str, set[str]] = {}
    for i in graph:
        if i.target in known and i.target != i.importer and (i.top_level or not top_level_only):
            edges.setdefault(i.importer, set()).add(i.target)
    return edges


def test_no_circular_imports(graph: list[Import]) -> None:
    assert _cycles(_edges(graph, top_level_only=True)) == []


def test_no_import_hides_a_cycle(graph: list[Import]) -> None:
    """Imports inside functions (or under TYPE_CHECKING) are only for start-up cost: moved to the top of their
    module, none of them would close a cycle."""
    assert _cycles(_edges(graph, top_level_only=False)) == []


def test_every_package_is_in_the_architecture_doc() -> None:
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    packages = sorted(module_name(p.parent) for p in PACKAGE.rglob("__init__.py") if "migrations" not in p.parts)
    top_modules = sorted(module_name(p) for p in PACKAGE.glob("*.py") if p.name not in ("__init__.py", "__main__.py"))
    missing = [name for name in [*packages, *top_modules]
               if name != "aidatlas" and f"`{name.removeprefix('aidatlas.').replace('.', '/')}" not in doc]
    assert not missing, f"docs/architecture.md does not describe {', '.join(missing)}"
