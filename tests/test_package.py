"""The package's public names: each resolves, none shadows a module, all load lazily."""

import ast
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
    for name in planner.__all__:
        assert getattr(planner, name) is not None
    assert "budget_arrays" not in planner.__all__


def test_functions_do_not_shadow_modules():
    import planner.ops.budgets

    assert callable(planner.budget)
    assert callable(planner.estimate)
    assert callable(planner.ops.budgets.budget_arrays)  # the module stays reachable by its name


def test_importing_planner_loads_no_submodule():
    code = "import sys, planner; print(sorted(m for m in sys.modules if m.startswith(('planner.', 'numpy'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
