"""The package's floors, read from its source: no module imports from a floor above its own, no
import cycle, and computing never loads plotting.

Floors, from the ground up (docs/architecture.md draws them):

0. ground   — errors, text, validation, results, spreadsheet, paths, codebook
1. loaders  — loaders
2. analysis — metrics, agreement, qca, survey (side by side)
3. figures  — figures, coding (side by side: the coding workflow reads the loaders and calls
   agreement)
4. report   — report, tables
5. face     — reproduce, site, cli, the package's ``__init__`` and ``__main__``

Every ``import`` statement counts, also inside a function (a lazy import is still an arrow);
only those under ``if TYPE_CHECKING:`` are left out, as they never run.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import coanalysis

PACKAGE = Path(coanalysis.__file__).parent

FLOORS = {
    "errors": 0, "text": 0, "validation": 0, "results": 0, "spreadsheet": 0, "paths": 0,
    "codebook": 0,
    "loaders": 1,
    "metrics": 2, "agreement": 2, "qca": 2, "survey": 2,
    "figures": 3, "coding": 3,
    "report": 4, "tables": 4,
    "reproduce": 5, "site": 5, "cli": 5, "__init__": 5, "__main__": 5,
}
COMPUTING = ("coanalysis.qca", "coanalysis.survey", "coanalysis.metrics", "coanalysis.loaders",
             "coanalysis.agreement", "coanalysis.codebook", "coanalysis.coding")


def _module_name(path: Path) -> str:
    parts = ("coanalysis",) + path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1]) if parts[-1] == "__init__" else ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_package(name: str) -> bool:
    return MODULES.get(name, Path()).name == "__init__.py"


def _floor(name: str) -> int:
    parts = name.split(".")
    if len(parts) == 1:
        return FLOORS["__init__"]
    return FLOORS[parts[1]]


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for child in node.body for n in ast.walk(child))
    return skip


def imports_of(name: str) -> set[str]:
    """The package modules that module ``name`` imports (``from X import m`` names ``X.m`` when
    ``m`` is a module, else ``X``)."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skip = _type_checking_nodes(tree)
    here = name if _is_package(name) else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "coanalysis")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "coanalysis":
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in MODULES else target)
    found.discard(name)
    return {m for m in found if m in MODULES}


GRAPH = {name: imports_of(name) for name in MODULES}


def test_every_module_has_a_floor():
    assert [n for n in MODULES if n.count(".") >= 1 and n.split(".")[1] not in FLOORS] == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_import_from_a_floor_above(name):
    upward = sorted(t for t in GRAPH[name] if _floor(t) > _floor(name))
    assert upward == [], (f"{name} (floor {_floor(name)}) imports from a floor above: "
                          + ", ".join(f"{t} (floor {_floor(t)})" for t in upward))


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index, low, on, stack, out, counter = {}, {}, set(), [], [], [0]
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter[0]; counter[0] += 1
        stack.append(root); on.add(root)
        while work:
            v, children = work[-1]
            for w in children:
                if w not in graph:
                    continue
                if w not in index:
                    index[w] = low[w] = counter[0]; counter[0] += 1
                    stack.append(w); on.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop(); on.discard(w); comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))
    return out


def test_no_import_cycle():
    # a package's __init__ importing its own modules is the package's face, not a cycle; a
    # module importing back from its package's __init__ would close one
    assert _cycles(GRAPH) == []


def test_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_an_upward_import_would_be_seen():
    # the reader resolves relative imports the way Python does
    assert "coanalysis.errors" in GRAPH["coanalysis.survey.design"]
    assert "coanalysis.codebook" in GRAPH["coanalysis.metrics.profiles"]
    assert _floor("coanalysis.figures.qca") > _floor("coanalysis.qca.minimize")
    assert "coanalysis.codebook" in GRAPH["coanalysis"]  # the face's `from . import codebook`
    assert _floor("coanalysis") == 5


@pytest.mark.parametrize("module", COMPUTING)
def test_computing_never_loads_plotting(module):
    code = (f"import sys, {module}; "
            "print(','.join(m for m in ('matplotlib', 'seaborn') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"import {module} loads {out.stdout.strip()}"


def test_package_face_is_one_import_block_and_one_all():
    # review 3.8: the face of the package reads as one import block then one __all__, not as
    # accretion (imports after code, each with `noqa: E402`, or an __all__ grown by +=)
    source = (PACKAGE / "__init__.py").read_text(encoding="utf-8")
    body = ast.parse(source).body[1:]  # after the docstring
    kinds = ["import" if isinstance(n, (ast.Import, ast.ImportFrom)) else "other" for n in body]
    assert kinds == sorted(kinds, key=lambda k: k != "import"), "an import after other statements"
    assigned = [n for n in ast.walk(ast.parse(source)) if isinstance(n, (ast.Assign, ast.AugAssign))
                and any(isinstance(t, ast.Name) and t.id == "__all__"
                        for t in (n.targets if isinstance(n, ast.Assign) else [n.target]))]
    assert len(assigned) == 1 and isinstance(assigned[0], ast.Assign)
    assert "noqa" not in source


#: Private names still imported across modules, each with the module that defines it: they wait
#: for loaders/casebase/reconcile.py, which imports or defines them, to take public names.
PRIVATE_IMPORTS_LEFT = {
    ("coanalysis.loaders.casebase.schema", "_EXT"),
    ("coanalysis.loaders.casebase.schema", "_names"),
    ("coanalysis.loaders.casebase.checks", "_Table"),
    ("coanalysis.loaders.casebase.checks", "_fmt"),
    ("coanalysis.loaders.casebase.reconcile", "_check_matches"),
}


def private_imports(name: str) -> set[tuple[str, str]]:
    """(defining module, name) of every ``_name`` that module ``name`` imports from another package
    module; a private *module* (``from . import _raking``) is the package's own business."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = name if _is_package(name) else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = here.split(".")
            target = ".".join(base[: len(base) - (node.level - 1)] + ([node.module] if node.module else []))
        else:
            target = node.module or ""
        if target not in MODULES:
            continue
        found.update((target, a.name) for a in node.names
                     if a.name.startswith("_") and not a.name.startswith("__")
                     and f"{target}.{a.name}" not in MODULES)
    return found


def test_no_private_name_is_imported_from_another_module():
    # review 3.7: a helper another module needs has a public name (coverage.case_grid,
    # fit.term_membership, TruthTable.rows_of...), so a file split does not break its callers
    found = {imp for name in MODULES for imp in private_imports(name)}
    assert found - PRIVATE_IMPORTS_LEFT == set()


def test_private_import_finder_sees_one():
    assert ("coanalysis.loaders.casebase.checks", "_Table") in private_imports(
        "coanalysis.loaders.casebase.load")
    # `from . import _raking` imports a private module, not a private name
    assert not any(n == "_raking" for _, n in private_imports("coanalysis.survey.design"))
def test_survey_import_does_not_load_statsmodels():
    # statsmodels costs about a second to import; only the unweighted ordinal model needs it,
    # so coanalysis.survey imports it inside ordinal_regression (review 7, "Beyond the ten")
    code = "import sys, coanalysis.survey; print(int('statsmodels' in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0", "import coanalysis.survey loads statsmodels"
