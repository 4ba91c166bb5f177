"""The forecast CSV: monthly peak rates (or daily volumes) per Region and pool.

``month,region[,pool],peak_rate|daily_volume[,note]``: one row per month, Region and
pool, with exactly one of ``peak_rate`` [msg/s] or ``daily_volume`` [messages/day].
Each value is kept as written; the sizing call checks it and names it in a message.
``ipcost forecast`` adds a column per quantile of the peak (``p10``, ``p50``, ``p90``,
``p97.5``, ...); ``quantile=0.9`` plans from ``p90`` instead of ``peak_rate``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from planner.errors import DataFileError, InputError
from planner.files.plans import DEFAULT_POOL
from planner.files.tables import PathLike, read_csv_rows, read_user_text
from planner.model.checks import as_month

FORECAST_COLUMNS = ("month", "region", "pool", "peak_rate", "daily_volume", "note")
#: What ``ipcost forecast`` writes beside its numbers, for the reader (not read back).
FORECAST_NOTES = ("method", "history_months", "backtest_coverage")
#: A quantile column: ``p`` and a percentage, as :func:`quantile_column` names it.
QUANTILE_COLUMN = re.compile(r"p(\d{1,2}(\.\d+)?)")


def quantile_column(q: float) -> str:
    """``0.9`` -> ``'p90'``, ``0.975`` -> ``'p97.5'``."""
    return f"p{round(q * 100, 6):g}"


#: A control character (C0, or DEL), which a Region or pool name may not hold.
_CONTROL = re.compile("[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class ForecastRow:
    month: np.datetime64  # datetime64[M]
    region: str
    pool: str
    peak_rate: str | float | None
    """As written (checked by the sizing call, which names it so in a message)."""
    daily_volume: str | float | None
    where: str


def read_forecast(path: PathLike, quantile: float | None = None) -> tuple[ForecastRow, ...]:
    """A forecast CSV: ``month`` (YYYY-MM), ``region``, optional ``pool``, and ``peak_rate``
    [msg/s] or ``daily_volume`` [messages/day] in each row (``note`` is free text, and so
    are the columns of :data:`FORECAST_NOTES`);
    ``quantile`` reads that quantile's column as the peak rate."""
    label = str(path)
    rows = []
    months: dict[str, np.datetime64] = {}
    plain: set[str] = set()
    text = read_user_text(path)
    header = [h.strip() for h in text.splitlines()[0].split(",")] if text.strip() else []
    quantiles = [h for h in header if QUANTILE_COLUMN.fullmatch(h)]
    chosen = None if quantile is None else quantile_column(quantile)
    if chosen is not None and chosen not in quantiles:
        raise InputError("quantile", quantile, f"{label} has no {chosen} column; it has "
                         f"{', '.join(quantiles) or 'none'} (ipcost forecast writes them)")  # fmt: skip
    for line, cells in read_csv_rows(text, label, ("month", "region"),
                                     (*FORECAST_COLUMNS, *FORECAST_NOTES, *quantiles)):  # fmt: skip
        where = f"{label}, line {line}"
        rate = cells.get("peak_rate", "") if chosen is None else cells.get(chosen, "")
        volume = cells.get("daily_volume", "")
        if bool(rate) == bool(volume):
            raise DataFileError(label, "give exactly one of peak_rate or daily_volume", line)
        given = ("peak_rate", rate) if rate else ("daily_volume", volume)
        value = given[1]
        try:
            float(value)
        except ValueError:
            raise InputError(given[0], value, "expected a number", where=where) from None
        month = months.get(cells["month"])
        if month is None:  # a forecast repeats its months: each is parsed once
            try:
                month = months[cells["month"]] = as_month("month", cells["month"])
            except InputError as exc:
                raise InputError("month", cells["month"], exc.allowed, where=where) from None
        for name in ("region", "pool"):
            text = cells.get(name, "")
            if text not in plain:  # a forecast repeats its names: each is checked once
                if _CONTROL.search(text):
                    raise InputError(name, text, "expected plain text, without control "
                                     "characters", where=where)  # fmt: skip
                plain.add(text)
        rows.append(
            ForecastRow(
                month=month,
                region=cells["region"],
                pool=cells.get("pool") or DEFAULT_POOL,
                peak_rate=value if given[0] == "peak_rate" else None,
                daily_volume=value if given[0] == "daily_volume" else None,
                where=where,
            )
        )
    if not rows:
        raise DataFileError(label, "has a header but no forecast rows")
    return tuple(rows)
