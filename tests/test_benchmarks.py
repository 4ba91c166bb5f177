"""The benchmark scripts still run against the library as it is (a smoke run on tiny
inputs; their figures come from running them by hand, never from a test)."""

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def test_the_benchmark_scripts_import_and_their_floors_answer(tmp_path):
    for script in ("bench_budget.py", "bench_ledger.py", "bench_model.py", "bench_xlsx.py",
                   "bench_forecast.py", "floors.py"):  # fmt: skip
        run = subprocess.run([sys.executable, str(BENCH / script), "--help"],
                             capture_output=True, text=True, check=False)  # fmt: skip
        assert run.returncode == 0, (script, run.stderr)
    forecast = tmp_path / "f.csv"
    forecast.write_text("month,region,pool,peak_rate\n2027-01,us-east-1,a,100\n", encoding="utf-8")
    run = subprocess.run([sys.executable, str(BENCH / "floors.py"), "forecast", str(forecast),
                          str(tmp_path / "out.csv")], capture_output=True, text=True, check=False)  # fmt: skip
    assert run.returncode == 0, run.stderr
    # 100 msg/s over 27.78 per IP: 3.6, one row per series and month with its rough IPs.
    rows = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()
    assert rows == ["month,region,pool,peak_rate,ips", "2027-01,us-east-1,a,100,4"]


def test_the_workbook_benchmark_runs_on_a_tiny_plan():
    run = subprocess.run([sys.executable, str(BENCH / "bench_xlsx.py"), "--pools", "30",
                          "--months", "2", "--events", "10"],
                         capture_output=True, text=True, check=False)  # fmt: skip
    assert run.returncode == 0, run.stderr
    # 30 pools x 2 months, one sheet each way.
    assert "same 60 rows on 1 sheets" in run.stdout
