"""The package's shape, checked from its source: layers, cycles, lazy imports, sizes.

Run `pytest tests/test_architecture.py -q` to see a violation named with its file and line.
The layers (bottom to top) are docs/architecture.md's; an import may only point down or sideways.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "airflow_evalguard"
MAX_FILE_LINES = 300
MAX_FUNCTION_LINES = 60

# Bottom to top. A module belongs to the first layer with a prefix it starts with.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "foundation",
        (
            "compat",
            "exceptions",
            "ids",
            "uri",
            "settings",
            "result",
            "verdicts",
            "stats",
            "columns",
            "pii",
            "labelers",
            "timewindows",
            "input_errors",
            "bounded_read",
            "npy_header",
            "params_file",
            "out_dir",
            "airflow_evalguard",
        ),
    ),
    ("inputs", ("io", "contracts", "sources.local_reader", "harnesses")),
    ("core", ("core",)),
    ("checks", ("checks",)),
    ("run", ("run", "sources", "registries")),
    ("render and store", ("report", "store")),
    ("publish", ("publish",)),
    (
        "airflow boundary",
        (
            "hooks",
            "gate",
            "links",
            "lineage",
            "operators",
            "sensors",
            "triggers",
            "taskgroups",
            "plugin",
            "web",
            "demo",
            "cli",
            "cli_inputs",
            "cli_history",
        ),
    ),
]
BOUNDARY = LAYERS[-1][1]
# Siblings in one layer that must not know each other: the publish layer joins them.
FORBIDDEN = [("store", "report"), ("report", "store")]
# Imported inside functions on purpose outside the boundary: optional or heavy engines used on a
# rare path (a spec names DuckDB, a contract runs GX, an Inspect log is read with Inspect's own
# reader when the `inspect` extra is installed), never at DAG parse time.
OPTIONAL_LAZY = ("great_expectations", "duckdb", "psycopg", "pyspark", "faiss", "airflow", "inspect_ai")


def _name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@lru_cache(maxsize=1)
def _modules() -> dict[str, tuple[Path, ast.Module]]:
    return {_name(path): (path, ast.parse(path.read_text(), str(path))) for path in PACKAGE.rglob("*.py")}


def _short(module: str) -> str:
    return module.removeprefix("airflow_evalguard.") if module != "airflow_evalguard" else module


def _layer(module: str) -> int:
    short = _short(module)
    best = None
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (short == prefix or short.startswith(prefix + ".")) and (best is None or len(prefix) > best[1]):
                best = (index, len(prefix))
    assert best is not None, f"{module} is in no layer: add it to LAYERS in tests/test_architecture.py"
    return best[0]


def _type_checking_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _resolve(module: str, node: ast.ImportFrom) -> list[str]:
    if node.level:
        base = module.split(".")
        package = base if _modules()[module][0].name == "__init__.py" else base[:-1]
        package = package[: len(package) - node.level + 1]
        stem = ".".join(package + ([node.module] if node.module else []))
    else:
        stem = node.module or ""
    targets = []
    for alias in node.names:
        candidate = f"{stem}.{alias.name}"
        targets.append(candidate if candidate in _modules() else stem)
    return targets


def _imports(module: str) -> list[tuple[str, int, bool]]:
    """(imported module, line, at function level) for every import of `module` (TYPE_CHECKING excluded)."""
    path, tree = _modules()[module]
    skip = _type_checking_lines(tree)
    function_lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            function_lines.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Import, ast.ImportFrom)) or node.lineno in skip:
            continue
        names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else _resolve(module, node)
        found.extend((name, node.lineno, node.lineno in function_lines) for name in names)
    return found


def _internal_edges() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in _modules()}
    for module in _modules():
        for target, _, _ in _imports(module):
            while target and target not in _modules():
                target = target.rpartition(".")[0]
            if target and target != module and target.startswith("airflow_evalguard"):
                graph[module].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycle():
    assert _cycles(_internal_edges()) == []


def test_imports_point_down_or_sideways():
    upward = []
    for module in sorted(_modules()):
        for target, line, _ in _imports(module):
            if not target.startswith("airflow_evalguard") or target not in _modules():
                continue
            if _layer(target) > _layer(module):
                upward.append(
                    f"{module}:{line} imports {target} ({LAYERS[_layer(target)][0]} is above "
                    f"{LAYERS[_layer(module)][0]})"
                )
            for low, high in FORBIDDEN:
                if _short(module).startswith(low) and _short(target).startswith(high):
                    upward.append(f"{module}:{line} imports {target} ({low} must not know {high})")
    assert upward == []


# Our own modules imported inside a function outside the boundary, each for a stated reason.
LAZY_INTERNAL = {
    # Subclasses Airflow's DbApiHook: importing it loads the common-sql provider (~4.6 s). Only a
    # DuckDB spec run inside Airflow needs it; the CLI and notebooks use DuckDB directly.
    "airflow_evalguard.sources.duckdb_hook",
}


def test_lazy_imports_only_at_the_airflow_boundary():
    lazy = []
    for module in sorted(_modules()):
        if _layer(module) == len(LAYERS) - 1:
            continue
        for target, line, in_function in _imports(module):
            if in_function and target.split(".")[0] not in OPTIONAL_LAZY and target not in LAZY_INTERNAL:
                lazy.append(f"{module}:{line} imports {target} inside a function")
    assert lazy == []


def test_no_file_over_300_lines():
    long_files = {
        str(path.relative_to(ROOT)): n
        for path, _ in _modules().values()
        if (n := len(path.read_text().splitlines())) > MAX_FILE_LINES
    }
    assert long_files == {}


def _function_lengths() -> list[tuple[int, str]]:
    lengths = []
    for path, tree in _modules().values():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                start = min([node.lineno] + [d.lineno for d in node.decorator_list])
                lengths.append(
                    ((node.end_lineno or start) - start + 1, f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
                )
    return sorted(lengths, reverse=True)


def test_no_function_over_60_lines():
    lengths = _function_lengths()
    print("longest functions:", *(f"{n} lines {where}" for n, where in lengths[:5]), sep="\n  ")
    assert [f"{n} {where}" for n, where in lengths if n > MAX_FUNCTION_LINES] == []


@pytest.mark.parametrize("layer", [name for name, _ in LAYERS])
def test_every_layer_has_modules(layer):
    prefixes = dict(LAYERS)[layer]
    assert any(_layer(module) == [n for n, _ in LAYERS].index(layer) for module in _modules()), prefixes
