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
    return list(promised())


def promised() -> dict[str, list[str]]:
    """Each `ipcost ...` command of the sh blocks, with the `#   -> ...` lines after it:
    the figures the README promises that command prints (or writes, "in out/FILE")."""
    found: dict[str, list[str]] = {}
    last = None
    for block in blocks("sh"):
        for raw in block.splitlines():
            arrow = re.match(r"^#\s+->\s*(.*)$", raw.strip())
            if arrow and last is not None:
                found[last].append(arrow.group(1))
                continue
            line = re.sub(r"\s+#.*$", "", raw).strip()
            for part in (p.strip() for p in line.split("&&")):
                if part.startswith("ipcost "):
                    found.setdefault(part, [])
                    last = part
    return found


COMMANDS = commands()
PROMISED = promised()
FIGURE = re.compile(r"\d{4}-\d{2}(?:-\d{2})?|\d[\d,]*\.\d+|\d[\d,]*")


def figures(promise: str) -> tuple[list[str], str | None]:
    """The figures of one `->` line, and the file it names (``in out/x.csv``), if any."""
    where = re.search(r"\bin (out/\S+)$", promise)
    text = promise[: where.start()] if where else promise
    return [f.rstrip(",") for f in FIGURE.findall(text)], where.group(1) if where else None


def shows(text: str, figure: str, csv_file: bool = False) -> bool:
    """Whether ``figure`` stands in ``text`` as a whole number (not inside a longer one);
    in a CSV file, as a whole cell."""
    if csv_file:
        separator = ";" if ";" in text.partition("\n")[0] else ","  # --decimal-comma's CSV
        return figure in re.split(rf"[{separator}\n]", text)
    return re.search(rf"(?<![\d.,]){re.escape(figure)}(?![\d]|[.,]\d)", text) is not None


def copy_of_repository(folder: Path) -> Path:
    """What the README's examples read: data/ and the README itself, and the out/ folder
    its first command makes (``mkdir -p out``)."""
    shutil.copytree(ROOT / "data", folder / "data")
    shutil.copy(ROOT / "README.md", folder / "README.md")
    (folder / "out").mkdir()
    return folder


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return copy_of_repository(tmp_path_factory.mktemp("readme"))


def ipcost() -> list[str]:
    found = shutil.which("ipcost", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "planner"]


def test_the_pictures_it_shows_are_in_the_repository():
    shown = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README)
    assert len(shown) >= 2
    for path in shown:
        assert (ROOT / path).read_bytes().startswith(b"\x89PNG"), path


def test_the_examples_make_their_folder_and_promise_figures():
    assert "mkdir -p out" in blocks("sh")[2]
    promising = [c for c, lines in PROMISED.items() if lines]
    assert len(promising) >= 20
    for command in COMMANDS:  # every file an example writes goes under out/
        for flag in ("-o", "--plot"):
            args = shlex.split(command)
            if flag in args:
                assert args[args.index(flag) + 1].startswith("out/"), command


@pytest.mark.parametrize("command", COMMANDS)
def test_command_runs_as_written(scratch, command):
    env = {**os.environ, "MPLBACKEND": "Agg", "COLUMNS": "100"}
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
    # It fits a 100-column terminal: no line longer, however long its notes.
    for line in (result.stdout + result.stderr).splitlines():
        assert len(line) <= 100, line
    # Every figure its `->` comment promises is in what it printed (or the file named).
    for promise in PROMISED[command]:
        wanted, where = figures(promise)
        said = result.stdout + " ".join(result.stderr.split())  # a warning may wrap
        text = (scratch / where).read_text(encoding="utf-8") if where else said
        for figure in wanted:
            found = shows(text, figure, csv_file=bool(where and where.endswith(".csv")))
            assert found, f"{figure} ({promise}) not in the output of {command}"


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
    # The p90 plan from the Forecast itself costs what the README's command states for it.
    assert str(namespace["p90"].totals["charge"]) == "15474.79"
    assert (
        (scratch / "out" / "budget.csv")
        .read_text(encoding="utf-8")
        .startswith("month,region,pool,")
    )
