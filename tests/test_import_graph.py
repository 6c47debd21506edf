"""The package's import graph: no module imports itself back through others when loaded.

Imports inside functions (deferred until called) and under ``TYPE_CHECKING`` (never run)
are not loads; every other import is, and together they must form no cycle.
"""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def _modules() -> dict[str, Path]:
    found = {}
    for path in (SRC / "mirco_lms").rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _loaded_imports(path: Path) -> list[ast.Import | ast.ImportFrom]:
    """The import statements that run when the module is loaded."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    body: list[ast.stmt] = list(tree.body)
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" not in ast.unparse(node.test):
            body += node.body + node.orelse
        elif isinstance(node, ast.Try):
            body += node.body
    return [node for node in body if isinstance(node, ast.Import | ast.ImportFrom)]


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        deps: set[str] = set()
        for node in _loaded_imports(path):
            if isinstance(node, ast.Import):
                deps.update(alias.name for alias in node.names if alias.name in modules)
                continue
            base = node.module or ""
            if node.level:
                parents = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parents, base] if base else parents)
            for alias in node.names:
                target = f"{base}.{alias.name}"
                deps.add(target if target in modules else base)
        graph[name] = {dep for dep in deps if dep in modules and dep != name}
    return graph


def test_the_graph_is_read() -> None:
    graph = import_graph()
    assert "mirco_lms.lrs.store.views" in graph["mirco_lms.lrs.store.reads"]
    assert "mirco_lms.xapi.profile" in graph["mirco_lms.lrs.store.views"]


def test_no_module_imports_itself_back() -> None:
    try:
        tuple(graphlib.TopologicalSorter(import_graph()).static_order())
    except graphlib.CycleError as cycle:
        raise AssertionError(f"import cycle: {' -> '.join(cycle.args[1])}") from None


def test_the_collector_and_the_reports_share_the_profile_not_each_other() -> None:
    graph = import_graph()
    store = {name for name in graph if name.startswith("mirco_lms.lrs.store")}
    assert not {dep for name in store for dep in graph[name] if dep.startswith("mirco_lms.reports")}
