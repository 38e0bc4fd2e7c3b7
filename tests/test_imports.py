"""Imports run one way (api/cli → pipeline → guard, models, facts, text): no cycles in service/.

Two checks: every module imports on its own in a fresh interpreter (a cycle hidden by import
order shows up there), and the static import graph — every import statement, including those
inside functions and `if TYPE_CHECKING:` blocks — has no cycle.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "service"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _resolve(name: str) -> str | None:
    """The service module an imported name lives in (a submodule, else its package)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(module: str, path: Path) -> set[str]:
    """Service modules `module` imports anywhere in its file."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            # `from pkg import sub` imports the submodule; `from pkg import name` the package
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
        else:
            continue
        found |= {resolved for target in targets if (resolved := _resolve(target)) and resolved != module}
    return found


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle in the graph as a path [a, b, ..., a], or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_import_graph_of_service_has_no_cycle() -> None:
    graph = {module: imports_of(module, path) for module, path in MODULES.items()}
    assert graph["service.pipeline.brief"] >= {"service.guard.policy", "service.facts"}  # the walker sees imports
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


def test_the_cycle_finder_finds_cycles() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_guard_never_imports_the_pipeline() -> None:
    for module, path in MODULES.items():
        if module.startswith("service.guard"):
            assert not {m for m in imports_of(module, path) if m.startswith(("service.pipeline", "service.api", "service.cli"))}, module


def test_every_module_imports_alone_in_a_fresh_interpreter() -> None:
    # One interpreter per module would take minutes; instead one child per module, run in a batch
    # script that starts each import from a clean `sys.modules` snapshot of service.* modules.
    script = """
import importlib, sys, traceback
failed = []
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m == "service" or m.startswith("service.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception:
        failed.append(name + "\\n" + traceback.format_exc(limit=3))
print("\\n\\n".join(failed))
sys.exit(1 if failed else 0)
"""
    names = [name for name in MODULES if name != "service.__main__"]
    done = subprocess.run([sys.executable, "-c", script, *names], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
