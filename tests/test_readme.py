"""The README is executable: every `ipcost` command and every Python snippet in it runs.

Commands run through the installed ``ipcost`` entry point, in a scratch copy of the
repository (so files they write never land in the tree); snippets run in order in
one namespace, in the same kind of copy.
"""

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", README, flags=re.S | re.M)


def commands() -> list[str]:
    """Each `ipcost ...` in a sh block, comments dropped; `a && ipcost b` gives `ipcost b`."""
    found = []
    for block in blocks("sh"):
        for line in block.splitlines():
            line = re.sub(r"\s+#.*$", "", line).strip()
            for part in (p.strip() for p in line.split("&&")):
                if part.startswith("ipcost "):
                    found.append(part)
    return found


COMMANDS = commands()


def test_the_readme_has_what_this_file_runs():
    # Guards against the extraction silently finding nothing: the README's own examples.
    assert "ipcost estimate --rate 300 --region us-east-1" in COMMANDS
    assert "ipcost budget data/plan-2027.toml -o budget.csv" in COMMANDS
    assert len(COMMANDS) >= 15
    assert len(blocks("python")) >= 2


def copy_of_repository(folder: Path) -> Path:
    """What the README's examples read: data/ and the README itself."""
    shutil.copytree(ROOT / "data", folder / "data")
    shutil.copy(ROOT / "README.md", folder / "README.md")
    return folder


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return copy_of_repository(tmp_path_factory.mktemp("readme"))


def ipcost() -> list[str]:
    found = shutil.which("ipcost", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "planner"]


@pytest.mark.parametrize("command", COMMANDS)
def test_command_runs_as_written(scratch, command):
    env = {**os.environ, "MPLBACKEND": "Agg"}
    result = subprocess.run(
        [*ipcost(), *shlex.split(command)[1:]],
        cwd=scratch,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout or "Wrote " in result.stderr


def test_snippets_run_in_order(tmp_path, monkeypatch):
    scratch = copy_of_repository(tmp_path)
    monkeypatch.chdir(scratch)
    namespace: dict[str, object] = {}
    for snippet in blocks("python"):
        exec(compile(snippet, "README.md", "exec"), namespace)
    # What the snippets' comments promise, checked against the hand-worked figures:
    # 300 / (40 x 0.8) = 9.375 -> 10 IPs, 10 x 24.95 = 249.50 a month.
    estimate = namespace["e"]
    assert (estimate.ips, str(estimate.monthly_fee)) == (10, "249.50")
    assert (scratch / "budget.csv").read_text(encoding="utf-8").startswith("month,region,pool,")
