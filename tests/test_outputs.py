"""-o picks the format from its suffix, never overwrites an input, and --start carries the fleet."""

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.edges.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
ESTIMATE = ["estimate", "--rate", "300", "--per-ip-rate", "40", "--utilization", "0.8",
            "--date", "2026-11-27"]  # fmt: skip


@pytest.fixture
def data(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path / "data"


@pytest.mark.parametrize(
    ("name", "looks_like"),
    [
        ("out.csv", lambda t: t.startswith("region,send_rate,availability_zones,")),
        ("out.json", lambda t: json.loads(t)["total"]["monthly_fee"] == "249.50"),
        ("out.md", lambda t: t.startswith("## Standard dedicated IPs")),
        ("out.txt", lambda t: t.startswith("Standard dedicated IPs") and "|" not in t),
        ("OUT.CSV", lambda t: t.startswith("region,")),
    ],
)
def test_the_suffix_picks_the_format(tmp_path, name, looks_like):
    target = tmp_path / name
    result = runner.invoke(app, [*ESTIMATE, "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    assert looks_like(target.read_text(encoding="utf-8"))


def test_format_and_a_matching_suffix_agree(tmp_path):
    target = tmp_path / "out.json"
    assert runner.invoke(app, [*ESTIMATE, "-f", "json", "-o", str(target)]).exit_code == 0
    assert json.loads(target.read_text())["regions"][0]["ips"] == 10


def test_a_contradicting_suffix_is_an_error_and_writes_nothing(tmp_path):
    target = tmp_path / "out.csv"
    result = runner.invoke(app, [*ESTIMATE, "-f", "json", "-o", str(target)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: --output: {str(target)!r} is not allowed; its suffix means csv, but --format "
        "is json; expected a json file name (.json)\n"
    )
    assert not target.exists()


def test_an_unknown_suffix_needs_a_format(tmp_path):
    target = tmp_path / "out.ods"
    result = runner.invoke(app, [*ESTIMATE, "-o", str(target)])
    assert result.exit_code == 1
    assert (
        "expected a file name ending .txt, .csv, .json, .md, .xlsx, or a --format" in result.stderr
    )
    assert runner.invoke(app, [*ESTIMATE, "-f", "csv", "-o", str(target)]).exit_code == 0
    assert target.read_text().startswith("region,")


def test_budget_to_budget_csv_writes_csv(data):
    target = data / "budget.csv"
    result = runner.invoke(app, ["budget", str(data / "plan-2027.toml"), "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert list(rows[0]) == ["month", "region", "pool", "ips_start", "leased", "relinquished",
                             "ips_end", "ip_days", "charge", "refund", "currency"]  # fmt: skip


@pytest.mark.parametrize(
    ("extra", "victim"),
    [
        ([], "plan-2027.toml"),
        ([], "events-2027.csv"),  # the plan's events_file
        (["--events", "{data}/events-2027.csv"], "events-2027.csv"),
        (["--prices", "{data}/prices.csv"], "prices.csv"),
    ],
)
def test_output_never_overwrites_a_file_the_run_reads(data, extra, victim):
    (data / "prices.csv").write_text(
        (ROOT / "planner" / "data" / "prices.csv").read_text(encoding="utf-8"), encoding="utf-8"
    )
    target = data / victim
    before = target.read_bytes()
    args = [a.format(data=data) for a in extra]
    result = runner.invoke(
        app, ["budget", str(data / "plan-2027.toml"), *args, "-f", "csv", "-o", str(target)]
    )
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: --output: {str(target)!r} is not allowed; it is a file this run reads; "
        "expected another file\n"
    )
    assert target.read_bytes() == before


def test_estimate_output_never_overwrites_the_region_table(tmp_path):
    table = tmp_path / "regions.csv"
    table.write_text((ROOT / "planner" / "data" / "regions.csv").read_text(encoding="utf-8"))
    before = table.read_bytes()
    result = runner.invoke(
        app, [*ESTIMATE, "--regions-file", str(table), "-f", "csv", "-o", str(table)]
    )
    assert result.exit_code == 1
    assert table.read_bytes() == before


def test_a_later_start_carries_the_fleet_the_earlier_events_leave(data):
    # data/plan-2027.toml starts in January; by June ap-southeast-2 holds the 2 IPs leased
    # on 2027-03-10 and us-east-1 marketing still its 4 (2 go on 06-15).
    result = runner.invoke(
        app,
        ["budget", str(data / "plan-2027.toml"), "--start", "2027-06", "--months", "6",
         "--events", str(data / "events-2027.csv"), "-f", "csv"],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["month"] for r in rows} == {f"2027-{m:02d}" for m in range(6, 12)}
    june = {(r["region"], r["pool"]): r for r in rows if r["month"] == "2027-06"}
    assert june[("ap-southeast-2", "transactional")]["ips_start"] == "2"
    marketing = june[("us-east-1", "marketing")]
    assert (marketing["ips_start"], marketing["relinquished"], marketing["ips_end"]) == (
        "4",
        "2",
        "2",
    )
    # 2 IPs all June (49.90) + 2 IPs for 15 of 30 days (2 x 12.48 = 24.96) = 74.86.
    assert marketing["charge"] == "74.86"


def test_plot_never_overwrites_a_file_the_run_reads(data):
    plan = data / "plan-2027.toml"
    before = plan.read_bytes()
    result = runner.invoke(app, ["budget", str(plan), "--plot", str(plan)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: --plot: {str(plan)!r} is not allowed; it is a file")
    assert plan.read_bytes() == before


@pytest.mark.parametrize(
    ("target", "message"),
    [
        # An empty -o reaches ipcost as the current folder, ".".
        ("", "Error: --output: '.' is not allowed; it is a folder; expected a file name\n"),
        (
            "{dir}",
            "Error: --output: '{dir}' is not allowed; it is a folder; expected a file name\n",
        ),
    ],
)
def test_output_must_be_a_file_name(tmp_path, target, message):
    result = runner.invoke(app, [*ESTIMATE, "-f", "csv", "-o", target.format(dir=tmp_path)])
    assert (result.exit_code, result.stderr) == (1, message.format(dir=tmp_path))


def test_a_plot_naming_a_folder_is_refused_before_output_is_written(tmp_path):
    earlier = tmp_path / "estimate.csv"
    earlier.write_text("earlier\n")
    folder = tmp_path / "pictures.png"
    folder.mkdir()
    result = runner.invoke(app, [*ESTIMATE, "-o", str(earlier), "--plot", str(folder)])
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: --plot: {str(folder)!r} is not allowed; it is a folder; expected a file name\n"
    )
    assert earlier.read_text() == "earlier\n"


def test_output_through_a_symlink_keeps_the_link(tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    result = runner.invoke(app, [*ESTIMATE, "-o", str(link)])
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink()
    assert real.read_text().startswith("region,send_rate,")


def _ipcost(*args, **kwargs):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "planner", *args], capture_output=True,
                          check=False, **kwargs)  # fmt: skip


def test_output_into_a_named_pipe_is_written_into_not_replaced(tmp_path):
    import os
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "link"
    link.symlink_to(fifo)
    for target in (fifo, link):  # directly, and through a symbolic link to it
        got: list[bytes] = []
        reader = threading.Thread(target=lambda got=got: got.append(fifo.read_bytes()))
        reader.start()
        run = _ipcost(*ESTIMATE, "-f", "csv", "-o", str(target))
        reader.join(timeout=30)
        assert run.returncode == 0, run.stderr
        # The reader got the whole CSV; the pipe is still a pipe, the link still a link.
        assert got[0].decode().startswith("region,send_rate,availability_zones,")
        assert stat.S_ISFIFO(os.stat(fifo).st_mode)
        assert link.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "pipe"]  # no temp files


def test_output_into_a_device_is_written_into_and_never_replaced():
    import os
    import stat

    before = os.stat("/dev/full")
    # /dev/full takes nothing: one error line, and the device node is as it was.
    run = _ipcost(*ESTIMATE, "-f", "csv", "-o", "/dev/full")
    assert run.returncode == 1
    assert run.stderr.decode() == "Error: /dev/full: cannot write (No space left on device)\n"
    after = os.stat("/dev/full")
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_rdev, after.st_ino) == (before.st_rdev, before.st_ino)
    # /dev/stdout (a pipe here): the report arrives on standard output, as a table when no
    # format is named, as the terminal would show it.
    run = _ipcost(*ESTIMATE, "-o", "/dev/stdout")
    assert run.returncode == 0, run.stderr
    assert b"10" in run.stdout
    assert run.stdout.decode().startswith("Standard dedicated IPs")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert _ipcost(*ESTIMATE, "-f", "json", "-o", "/dev/null").returncode == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_output_onto_a_socket_is_refused(tmp_path):
    import socket

    path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        result = runner.invoke(app, [*ESTIMATE, "-f", "csv", "-o", str(path)])
    finally:
        server.close()
    assert result.exit_code == 1
    assert "it is neither a file nor a pipe nor a terminal" in result.stderr
    assert path.is_socket()
