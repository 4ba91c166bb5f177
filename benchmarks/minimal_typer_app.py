"""The cold-start baseline for ``ipcost estimate``: a typer app that imports numpy and
declares the same options, then prints one line. Run by bench_budget.py."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import numpy as np
import typer

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
Text = Annotated[str | None, typer.Option()]
Texts = Annotated[list[str] | None, typer.Option()]
File = Annotated[Path | None, typer.Option()]


@app.command()
def estimate(
    rate: Texts = None,
    daily_volume: Texts = None,
    peak_factor: Text = None,
    ips: Texts = None,
    region: Texts = None,
    per_ip_rate: Text = None,
    profile: Text = None,
    utilization: Text = None,
    min_per_region: Text = None,
    az_failures: Text = None,
    azs: Texts = None,
    date: Text = None,
    prices: File = None,
    regions_file: File = None,
    fmt: Annotated[str, typer.Option("--format", "-f")] = "table",
    output: File = None,
    plot: File = None,
) -> None:
    typer.echo(np.ceil(np.asarray([float(r) for r in rate or ["1"]]) / 27.78))


if __name__ == "__main__":
    app()
