"""The package's public names: each resolves, none shadows a module, all load lazily."""

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import planner

INIT = Path(planner.__file__)


def test_every_export_resolves_to_what_type_checkers_see():
    # The lazy table and the TYPE_CHECKING imports name the same objects.
    tree = ast.parse(INIT.read_text(encoding="utf-8"))
    typed = {
        alias.name: node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("planner")
        for alias in node.names
    }
    assert typed == planner._EXPORTS
    assert sorted(planner.__all__) == sorted(["__version__", *planner._EXPORTS, *planner._MODULES])
    for name in planner._EXPORTS:  # each name is the object its module defines
        module = importlib.import_module(planner._EXPORTS[name])
        assert getattr(planner, name) is getattr(module, name)
    assert planner.plot is importlib.import_module("planner.edges.plots")
    assert "budget_arrays" not in planner.__all__


def test_functions_do_not_shadow_modules():
    import planner.ops.budgets

    assert callable(planner.budget)
    assert callable(planner.estimate)
    assert callable(planner.ops.budgets.lease_charge)  # the module stays reachable by its name


def test_importing_planner_loads_no_submodule():
    code = "import sys, planner; print(sorted(m for m in sys.modules if m.startswith(('planner.', 'numpy'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_imports_point_one_way_down_the_layers():
    # ARCHITECTURE.md: model <- files <- scenario <- ops <- edges; a module may import its
    # own layer and those below, never one above (lazy imports inside functions too).
    rank = {"model": 0, "files": 1, "scenario": 2, "ops": 3, "edges": 4}
    root = INIT.parent
    upward = []
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).parts
        if len(parts) < 2:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("planner."):
                layer = node.module.split(".")[1]
                if rank.get(layer, -1) > rank[parts[0]]:
                    upward.append(f"{path.name}:{node.lineno} {node.module}")
            # The package itself re-exports every layer: importing it from inside one runs
            # back up (even for __version__).
            if (isinstance(node, ast.ImportFrom) and node.module == "planner") or (
                isinstance(node, ast.Import) and any(a.name == "planner" for a in node.names)
            ):
                upward.append(f"{path.name}:{node.lineno} planner")
    assert upward == []
    assert sorted(rank) == sorted(p.name for p in root.iterdir() if (p / "__init__.py").exists())


def test_operations_use_one_another_only_through_the_public_api():
    # ARCHITECTURE.md: an operation may call another only where one is a step of the other
    # (a support case from a schedule or an estimate, a schedule from a forecast and from
    # the account's fleet), and only through names `planner` exports; shared machinery
    # lives below.
    import planner

    allowed = {("cases", "estimates"), ("cases", "schedules"), ("cases", "relinquishes"),
               ("cases", "fleets"), ("cases", "forecasting"), ("schedules", "fleets"),
               ("schedules", "forecasting")}  # fmt: skip
    ops = INIT.parent / "ops"
    found = []
    for path in ops.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            module = node.module or "" if isinstance(node, ast.ImportFrom) else ""
            if not module.startswith("planner.ops."):
                continue
            pair = (path.stem, module.split(".")[2])
            names = [a.name for a in node.names]
            internal = [n for n in names if n not in planner.__all__]
            if pair not in allowed or internal:
                found.append(f"{path.name}:{node.lineno} {module} {names}")
    assert found == []


def test_shipped_tables_are_read_from_the_package_folder_directly():
    # The fast path: planner/data/ beside the package's modules, no importlib.resources.
    from planner.files.tables import _shipped_text

    text = _shipped_text("defaults.csv")
    assert text == (INIT.parent / "data" / "defaults.csv").read_text(encoding="utf-8")
    probe = subprocess.run(
        [sys.executable, "-c", "import sys; from planner.files.tables import _shipped_text; "
         "_shipped_text('defaults.csv'); print('importlib.resources' in sys.modules)"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert probe.stdout.strip() == "False"
