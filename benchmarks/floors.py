"""Floor programs for bench_ledger.py: the least a typer program must do to read the same
input and write a comparable output. Each is what the matching ``ipcost`` command cannot
beat, so the benchmark's ratios say how much the planning itself costs on top.

    python benchmarks/floors.py forecast FORECAST.csv OUT.csv   # one row per series and month
    python benchmarks/floors.py events EVENTS.csv               # read events, cumulative sum
    python benchmarks/floors.py pages PAGE.json...              # json.load of every page
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


@app.command()
def forecast(path: Path, out: Path) -> None:
    """Read a forecast CSV with pandas and write one CSV row per series and month."""
    import pandas as pd

    frame = pd.read_csv(path, dtype={"month": str, "region": str, "pool": str})
    frame["ips"] = (frame["peak_rate"] / 27.78).apply(int) + 1
    frame.to_csv(out, index=False)


@app.command()
def events(path: Path) -> None:
    """Read an event log with pandas and take the cumulative sum of IPs held."""
    import pandas as pd

    frame = pd.read_csv(path, dtype={"region": str, "pool": str, "action": str})
    signed = frame["count"].where(frame["action"] == "lease", -frame["count"])
    typer.echo(int(signed.cumsum().iloc[-1]))


@app.command()
def pages(files: Annotated[list[Path], typer.Argument()]) -> None:
    """``json.load`` every page and count the IPs."""
    total = 0
    for file in files:
        with file.open(encoding="utf-8") as handle:
            total += len(json.load(handle)["DedicatedIps"])
    typer.echo(total)


if __name__ == "__main__":
    app()
