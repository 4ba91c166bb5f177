"""The ipcost command line, in-process (CliRunner) and as the installed script."""

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.edges.cli import app

runner = CliRunner()
PLAN = Path(__file__).resolve().parent.parent / "data" / "plan-2027.toml"
DATE = ["--date", "2026-11-27"]
EXAMPLE = ["estimate", "--rate", "300", "--region", "us-east-1", "--per-ip-rate", "40",
           "--utilization", "0.8", *DATE]  # fmt: skip


def run(*args):
    return runner.invoke(app, list(args))


def ipcost_script():
    found = shutil.which("ipcost", path=os.path.dirname(sys.executable)) or shutil.which("ipcost")
    assert found, "the ipcost script is not installed (pip install -e .)"
    return found


def test_design_example_json():
    result = run(*EXAMPLE, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    (r,) = data["regions"]
    # ceil(300 / (40 x 0.8)) = 10 IPs -> 2,2,2,2,1,1; 10 x 24.95 = 249.50
    assert r["ips"] == 10
    assert list(r["spread"].values()) == [2, 2, 2, 2, 1, 1]
    assert r["monthly_fee"] == "249.50"
    assert data["total"] == {"ips": 10, "monthly_fee": "249.50", "annual_fee": "2994.00"}
    assert data["currency"] == "USD"
    assert data["price_date"] == "2026-11-27"


def test_design_example_surviving_one_az():
    result = run(*EXAMPLE, "--az-failures", "1", "-f", "json")
    r = json.loads(result.stdout)["regions"][0]
    assert (r["ips"], r["monthly_fee"]) == (12, "299.40")  # 12 x 24.95
    assert set(r["spread"].values()) == {2}


def test_exactly_ten_not_eleven():
    # 315 / (45 x 0.7) = 10 exactly.
    result = run("estimate", "--rate", "315", "--per-ip-rate", "45", "--utilization", "0.7",
                 "-f", "json", *DATE)  # fmt: skip
    assert json.loads(result.stdout)["regions"][0]["ips"] == 10


def test_minimum_in_eu_west_1():
    result = run("estimate", "--rate", "1", "--region", "eu-west-1", "-f", "json", *DATE)
    assert json.loads(result.stdout)["total"]["ips"] == 2


def test_table_shows_every_assumption():
    result = run(*EXAMPLE)
    assert result.exit_code == 0
    out = result.stdout
    for text in ["us-east-1", "249.50", "2,994.00", "use1-az1: 2", "per-IP rate", "40.00 msg/s",
                 "utilization", "0.8", "min per Region", "2 IPs  (default)", "AZ failures",
                 "24.95 USD per IP-month", "in force on 2026-11-27", "Notes"]:  # fmt: skip
        assert text in out, text


def test_csv_columns_are_the_json_keys_and_numbers():
    result = run(*EXAMPLE, "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    as_json = json.loads(run(*EXAMPLE, "-f", "json").stdout)
    assert list(rows[0]) == [*as_json["regions"][0], "currency"]
    # The design example: 10 IPs spread 2,2,2,2,1,1; 10 x 24.95 = 249.50; x 12 = 2994.00.
    assert rows[0]["ips"] == "10"
    assert rows[0]["spread"] == "use1-az1:2 use1-az2:2 use1-az4:2 use1-az5:2 use1-az6:1 use1-az3:1"
    assert rows[0]["monthly_fee"] == "249.50"
    assert float(rows[0]["annual_fee"]) == 2994.0


def test_markdown():
    result = run(*EXAMPLE, "-f", "markdown")
    assert "| us-east-1 |" in result.stdout
    assert "### Assumptions" in result.stdout


def test_output_file(tmp_path):
    target = tmp_path / "estimate.json"
    result = run(*EXAMPLE, "-f", "json", "-o", str(target))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(target.read_text())["total"]["ips"] == 10


def test_failed_run_leaves_an_earlier_file_alone(tmp_path):
    target = tmp_path / "estimate.json"
    target.write_text("earlier")
    result = run("estimate", "--rate", "-1", "-o", str(target))
    assert result.exit_code == 1
    assert target.read_text() == "earlier"
    assert [p.name for p in tmp_path.iterdir()] == ["estimate.json"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--rate", "-5"],
            "Error: --rate: -5 is not allowed; expected a number greater than 0, at most 10,000,000 [msg/s]",
        ),
        (["--rate", "0"], "Error: --rate: 0 is not allowed"),
        (["--rate", "nan"], "Error: --rate: nan is not allowed"),
        (["--rate", "fast"], "Error: --rate: 'fast' is not allowed; expected a number"),
        (
            ["--rate", "5", "--region", "us-est-1"],
            "Error: --region: unknown 'us-est-1'; did you mean",
        ),
        (["--rate", "5", "--utilization", "1.5"], "Error: --utilization: 1.5 is not allowed"),
        (["--rate", "5", "--utilization", "0"], "Error: --utilization: 0 is not allowed"),
        (
            ["--rate", "5", "--az-failures", "6"],
            "Error: --az-failures: 6 is not allowed; us-east-1 has 6",
        ),
        (
            ["--rate", "5", "--region", "us-west-1", "--az-failures", "2"],
            "Error: --az-failures: 2 is not allowed; us-west-1 has 2",
        ),
        (
            ["--rate", "5", "--prices", "/nonexistent/prices.csv"],
            "Error: /nonexistent/prices.csv: no such file",
        ),
        ([], "Error: --rate is missing; give a peak send rate"),
        (["--rate", "5", "--date", "2026-02-30"], "Error: --date: '2026-02-30' is not allowed"),
        (["--rate", "5", "--azs", "us-east-1=x"], "Error: --azs: 'x' is not allowed"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(args, message):
    result = run("estimate", *args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(message), result.stderr
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_malformed_price_book(tmp_path):
    path = tmp_path / "prices.csv"
    path.write_text("sku,region,unit,price,currency,effective_from,effective_to,tier_from,tier_to,source\n"
                    "dedicated-ip,*,IP-month,twenty,USD,2025-01-01,,,,me\n")  # fmt: skip
    result = run("estimate", "--rate", "5", "--prices", str(path))
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: {path}, line 2: price: 'twenty' is not allowed; expected a decimal amount such as 24.95\n"
    )


def test_bad_command_line_is_exit_2():
    assert run("estimate", "--rate", "5", "--format", "xml").exit_code == 2
    assert run("estimate", "--rte", "5").exit_code == 2


def test_warnings_go_to_stderr():
    result = run("estimate", "--ips", "1", *DATE)
    assert result.exit_code == 0
    assert "Warning: us-east-1: 1 IP has no Availability Zone redundancy" in result.stderr
    assert "Warning" not in result.stdout


def test_regions_and_prices_commands():
    regions = run("regions", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(regions.stdout)))
    assert len(rows) == 30
    assert {"region", "az_count", "az_ids", "source", "as_of"} <= set(rows[0])
    prices = run("prices", "-f", "json")
    book = json.loads(prices.stdout)
    assert {"sku": "dedicated-ip", "price": "24.95"}.items() <= book[0].items()
    table = run("prices").stdout
    # Each row cites its source below the table: the first row's is note [1].
    assert re.search(r"^dedicated-ip .* \[1\]$", table, flags=re.M)
    assert "\n  [1] [S] AWS Price List API" in table
    assert "us-west-1" in run("regions", "-f", "markdown").stdout


def test_every_command_has_help_and_is_in_the_readme():
    readme = Path(__file__).parent.parent / "README.md"
    text = readme.read_text(encoding="utf-8")
    from planner.edges.cli import app as the_app

    commands = [c.callback.__name__ for c in the_app.registered_commands]
    assert set(commands) >= {"estimate", "relinquish", "budget", "regions", "prices", "warmup",
                             "compare"}  # fmt: skip
    for command in commands:
        result = run(command, "--help")
        assert result.exit_code == 0
        assert len(result.stdout) > 200
        assert f"ipcost {command}" in text


def test_help_at_80_columns_breaks_between_words_only():
    # A name such as us-east-1 or get-dedicated-ips is never split at its hyphen; an
    # argument shows as its metavar; ipcost alone gives each command's whole summary.
    from planner.edges.cli import app as the_app

    env = {**os.environ, "COLUMNS": "80"}
    names = ["", *(c.callback.__name__ for c in the_app.registered_commands)]
    for command in names:
        args = [command, "--help"] if command else []
        proc = subprocess.run([ipcost_script(), *args], capture_output=True, text=True,
                              env=env, check=False)  # fmt: skip
        lines = (proc.stdout or proc.stderr).splitlines()  # ipcost alone: help, on stderr
        assert "Usage: ipcost" in lines[0], command
        for line in lines:
            assert len(line) <= 80 or " " not in line.strip(), (command, line)
            assert not re.search(r"[A-Za-z0-9]-$", line), (command, line)
            assert line.startswith("Usage:") or not line.endswith("..."), (command, line)
            assert "<list[" not in line, (command, line)
            assert "<path>" not in line, (command, line)
        assert not re.search(r"\{[A-Z]", lines[0]), lines[0]  # Usage: not {PLAN}


# ---------------------------------------------------------------- the installed script


def test_installed_script_runs_the_design_example():
    proc = subprocess.run(
        [ipcost_script(), *EXAMPLE, "-f", "json"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["total"]["monthly_fee"] == "249.50"


def test_installed_script_bad_input_has_no_traceback():
    proc = subprocess.run(
        [ipcost_script(), "estimate", "--rate", "-5"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 1
    assert (
        proc.stderr
        == "Error: --rate: -5 is not allowed; expected a number greater than 0, at most 10,000,000 [msg/s]\n"
    )


def run_probed(args, report, env=None):
    """Run ``ipcost ARGS`` in a fresh interpreter, then the Python ``report`` code after it."""
    probe = (
        "import runpy, sys\n"
        f"sys.argv = ['ipcost', *{list(args)!r}]\n"
        "try:\n"
        "    runpy.run_module('planner', run_name='__main__')\n"
        "except SystemExit as e:\n"
        "    assert e.code in (0, None), e.code\n" + report
    )
    return subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False, env=env
    )


@pytest.mark.parametrize(
    "command",
    [
        ["-m", "planner", "estimate", "--rate", "300", "--date", "2026-11-27"],
        ["-m", "planner", "--help"],
    ],
)
def test_estimate_and_help_import_neither_pandas_nor_matplotlib(command):
    proc = run_probed(
        command[2:],
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('pandas', 'matplotlib'))\n"
        "print('HEAVY', heavy, file=sys.stderr)\n",
    )
    assert proc.returncode == 0, proc.stderr
    assert "HEAVY []" in proc.stderr


def test_python_dash_m_planner():
    proc = subprocess.run(
        [sys.executable, "-m", "planner", *EXAMPLE, "-f", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["total"]["ips"] == 10


PNG = b"\x89PNG\r\n\x1a\n"
PLOTTED = [
    [*EXAMPLE],
    ["relinquish", "--region", "us-east-1", "--count", "2", "--date", "2026-11-15"],
    ["budget", str(PLAN)],
    ["budget", str(PLAN), "--plot-by", "pool"],
]


@pytest.mark.parametrize("command", PLOTTED, ids=["estimate", "relinquish", "budget", "by-pool"])
def test_plot_writes_a_png_beside_the_report(tmp_path, command):
    target = tmp_path / "picture.png"
    result = run(*command, "--plot", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout  # the report still goes to stdout
    assert f"Wrote {target}" in result.stderr
    data = target.read_bytes()
    assert data.startswith(PNG)
    # PNG header: width and height, big-endian, at bytes 16-24; a readable figure is large.
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width >= 1200
    assert height >= 600


@pytest.mark.parametrize(
    ("plot", "message"),
    [
        ("budget.txt", "Error: --plot: '{dir}/budget.txt' is not allowed; expected a file name ending .png, .svg or .pdf"),
        ("missing/budget.png", "Error: {dir}/missing/budget.png: cannot write: folder '{dir}/missing' does not exist"),
        ("budget.csv", "Error: --plot: '{dir}/budget.csv' is not allowed; expected a different file from --output"),
    ],
)  # fmt: skip
def test_a_bad_plot_target_writes_nothing(tmp_path, plot, message):
    earlier = tmp_path / "budget.csv"
    earlier.write_text("an earlier budget\n")
    result = run("budget", str(PLAN), "-o", str(earlier), "--plot", str(tmp_path / plot))
    assert result.exit_code == 1
    assert result.stderr.strip() == message.format(dir=tmp_path)
    assert earlier.read_text() == "an earlier budget\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["budget.csv"]


def test_plot_and_output_must_differ(tmp_path):
    target = tmp_path / "x.png"
    result = run(*EXAMPLE, "-f", "csv", "-o", str(target), "--plot", str(target))
    assert result.exit_code == 1
    assert "expected a different file from --output" in result.stderr
    assert not target.exists()


def test_installed_script_plots_headless_without_pandas(tmp_path):
    # No display and no MPLBACKEND: the command picks a non-interactive backend itself,
    # and an estimate's picture needs matplotlib but still not pandas.
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "MPLBACKEND")}
    target = tmp_path / "estimate.png"
    proc = run_probed(
        [*EXAMPLE, "--plot", str(target)],
        "import matplotlib\n"
        "print('BACKEND', matplotlib.get_backend(), 'PANDAS', 'pandas' in sys.modules,\n"
        "      file=sys.stderr)\n",
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert "BACKEND agg PANDAS False" in proc.stderr.replace("Agg", "agg")  # 3.8 says "agg"
    assert target.read_bytes().startswith(PNG)
    script = subprocess.run(
        [ipcost_script(), "budget", str(PLAN), "--plot", str(tmp_path / "budget.png")],
        capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip
    assert script.returncode == 0, script.stderr
    assert (tmp_path / "budget.png").read_bytes().startswith(PNG)


def test_written_files_have_ordinary_permissions(tmp_path):
    # Written through a private temporary file, the result still gets 0o666 less the umask.
    old = os.umask(0o022)
    try:
        assert (
            run(
                *EXAMPLE, "-o", str(tmp_path / "e.txt"), "--plot", str(tmp_path / "e.png")
            ).exit_code
            == 0
        )
    finally:
        os.umask(old)
    assert (tmp_path / "e.txt").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "e.png").stat().st_mode & 0o777 == 0o644


def test_the_script_builds_only_the_command_asked_for_yet_behaves_the_same():
    # main() gives a named command an app of its own (a faster start); help, the version,
    # a mistyped command and a command's own errors stay as the full app has them.
    from planner.edges.cli import app as full

    listing = subprocess.run(
        [ipcost_script(), "--help"], capture_output=True, text=True, check=True
    ).stdout
    for command in full.registered_commands:
        assert f"  {command.callback.__name__} " in listing
    typo = subprocess.run([ipcost_script(), "estimat"], capture_output=True, text=True, check=False)
    assert typo.returncode == 2
    assert "Did you mean 'estimate'?" in typo.stderr
    help_text = subprocess.run([ipcost_script(), "warmup", "--help"], capture_output=True,
                               text=True, check=True).stdout  # fmt: skip
    assert help_text.startswith("Usage: ipcost warmup [OPTIONS]")
    version = subprocess.run(
        [ipcost_script(), "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.startswith("ipcost ")
