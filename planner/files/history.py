"""Readers for the account's send history, as the AWS CLI prints it.

Three commands give SES's sends over time; each file is read strictly (one
:class:`~planner.errors.DataFileError` naming the file and what was expected):

- ``aws cloudwatch get-metric-statistics --namespace AWS/SES --metric-name Send
  --statistics Sum --period P`` (``Label`` and ``Datapoints``, each with ``Timestamp``,
  ``Sum`` and ``Unit`` ``Count``, in any order; at most 1,440 points a call, so a
  history is several files);
- ``aws cloudwatch get-metric-data`` with one ``Send`` / ``Sum`` query (``MetricDataResults``
  with ``Label``, ``Timestamps``, ``Values`` and ``StatusCode``; pages as several files, or
  as the CLI merges them, one result per page of the same query ``Id``);
  ``PartialData`` is a warning, another status an error;
- ``aws ses get-send-statistics`` (``SendDataPoints``: 15-minute buckets of
  ``DeliveryAttempts``).

A file's bucket length (its period) is the least gap between its timestamps, or
``period`` when given (a file of one point needs it). Files are merged: the same bucket
(start and period) twice with the same count is kept once; with two counts it is an
error naming both files. Timestamps are UTC (an offset is converted; a time without one
is an error); a bucket after ``today`` is an error.

No AWS call is made: this module reads files only.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from planner.errors import DataFileError
from planner.files.aws import expect, load_json
from planner.files.tables import PathLike
from planner.model.checks import FIRST_YEAR, LAST_YEAR

#: The metric and statistic a history must be: SES's sends, summed per bucket.
METRIC, STATISTIC = "Send", "Sum"
#: ``get-send-statistics`` buckets are 15 minutes (AWS SES API reference).
SEND_STATISTICS_PERIOD = 900
STATUS_CODES = ("Complete", "PartialData", "InternalError", "Forbidden")
COMMANDS = {
    "Datapoints": "aws cloudwatch get-metric-statistics",
    "MetricDataResults": "aws cloudwatch get-metric-data",
    "SendDataPoints": "aws ses get-send-statistics",
}


@dataclass(frozen=True)
class SendHistory:
    """Messages sent per bucket, merged from the files, in time order within each period.

    ``start`` is each bucket's first second (UTC), ``period`` its length [s] and
    ``sent`` the messages sent in it; ``source`` indexes ``files``.
    """

    start: npt.NDArray[np.datetime64]
    period: npt.NDArray[np.int64]
    sent: npt.NDArray[np.float64]
    source: npt.NDArray[np.int64]
    files: tuple[str, ...]
    warnings: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.start)


@dataclass(frozen=True)
class _Points:
    times: list[dt.datetime]
    values: list[float]
    period: int | None
    """Stated by the command (get-send-statistics), else None: inferred."""
    warning: str | None = None


def read_history(
    paths: Sequence[PathLike], *, period: int | None = None, today: dt.date | None = None
) -> SendHistory:
    """The send history in ``paths`` (see the module), merged into one."""
    if not paths:
        raise DataFileError("history", "no files given; expected the AWS CLI's output of "
                            "get-metric-statistics, get-metric-data or get-send-statistics")  # fmt: skip
    starts: list[Any] = []
    periods, sent, source, warnings = [], [], [], []
    for i, path in enumerate(paths):
        points = _read_one(path)
        if points.warning:
            warnings.append(points.warning)
        length = _period(path, points, period)
        for moment, value in zip(points.times, points.values, strict=True):
            if today is not None and moment.date() > today:
                raise DataFileError(path, f"{moment.isoformat()} is after today ({today}); "
                                    "expected sends that happened")  # fmt: skip
            starts.append(np.datetime64(moment.replace(tzinfo=None), "s"))
            periods.append(length)
            sent.append(value)
            source.append(i)
    if not starts:
        raise DataFileError(", ".join(str(p) for p in paths), "has no data points; expected "
                            "at least one bucket of sends")  # fmt: skip
    return _merged(starts, periods, sent, source, tuple(str(p) for p in paths), warnings)


def _merged(
    starts: Sequence[Any], periods: list[int], sent: list[float], source: list[int],
    files: tuple[str, ...], warnings: list[str],
) -> SendHistory:  # fmt: skip
    """One bucket per (period, start): equal repeats kept once, different ones an error."""
    start = np.array(starts, dtype="datetime64[s]")
    length = np.array(periods, dtype=np.int64)
    count = np.array(sent, dtype=np.float64)
    where = np.array(source, dtype=np.int64)
    order = np.lexsort((where, start, length))
    start, length, count, where = start[order], length[order], count[order], where[order]
    same = (start[1:] == start[:-1]) & (length[1:] == length[:-1])
    clash = same & (count[1:] != count[:-1])
    if clash.any():
        k = int(np.flatnonzero(clash)[0])
        a, b = files[where[k]], files[where[k + 1]]
        raise DataFileError(
            b, f"{start[k + 1]}Z ({length[k]} s) is {count[k + 1]:g} here and {count[k]:g} in "
            f"{a}; expected one count per bucket"
        )  # fmt: skip
    keep = np.r_[True, ~same]
    return SendHistory(start[keep], length[keep], count[keep], where[keep], files, tuple(warnings))


def _read_one(path: PathLike) -> _Points:
    data = load_json(path)
    expect(path, isinstance(data, dict) and any(k in data for k in COMMANDS),
            "is not send history; expected the JSON output of "
            + ", ".join(COMMANDS.values()))  # fmt: skip
    if "Datapoints" in data:
        return _statistics(path, data)
    if "MetricDataResults" in data:
        return _metric_data(path, data)
    return _send_statistics(path, data)


def _statistics(path: PathLike, data: Mapping[str, Any]) -> _Points:
    """get-metric-statistics: the Send metric's Sum, counts."""
    label = data.get("Label")
    expect(path, label == METRIC, f"is the metric {label!r}; expected {METRIC!r} (--metric-name "
            "Send --namespace AWS/SES)")  # fmt: skip
    entries = data["Datapoints"]
    expect(path, isinstance(entries, list), "Datapoints is not a list")
    times, values = [], []
    for i, entry in enumerate(entries, start=1):
        where = f"Datapoints #{i}"
        expect(path, isinstance(entry, dict), f"{where} is not an object")
        if STATISTIC not in entry:
            other = [k for k in ("Average", "Maximum", "Minimum", "SampleCount") if k in entry]
            raise DataFileError(path, f"{where} has {', '.join(other) or 'no statistic'}; "
                                f"expected {STATISTIC} (--statistics Sum)")  # fmt: skip
        unit = entry.get("Unit", "Count")
        expect(path, unit == "Count", f"{where}: Unit {unit!r}; expected 'Count'")
        times.append(_timestamp(path, where, entry.get("Timestamp")))
        values.append(_count(path, where, entry[STATISTIC]))
    return _Points(times, values, None)


def _metric_data(path: PathLike, data: Mapping[str, Any]) -> _Points:
    """get-metric-data: one query's result (its Label Send), or its pages as the CLI merges
    them (a result per page, all with the query's Id), read as one."""
    results = data["MetricDataResults"]
    expect(path, isinstance(results, list) and len(results) >= 1
            and all(isinstance(r, dict) for r in results)
            and len({r.get("Id") for r in results}) == 1,
            "MetricDataResults: expected one query's result (Send, Sum) per file")  # fmt: skip
    pages = [_metric_page(path, r) for r in results]
    # Each page but the last says PartialData (more follow); the last says whether the
    # query's data came whole.
    warning = pages[-1].warning
    return _Points([t for p in pages for t in p.times], [v for p in pages for v in p.values],
                   None, warning)  # fmt: skip


def _metric_page(path: PathLike, result: Mapping[str, Any]) -> _Points:
    """One result of a get-metric-data query: a page of it."""
    label = result.get("Label")
    expect(path, label == METRIC, f"MetricDataResults #1 is {label!r}; expected the query "
            f"labelled {METRIC!r} (MetricStat Send, Stat Sum)")  # fmt: skip
    status = result.get("StatusCode", "Complete")
    expect(path, status in STATUS_CODES, f"StatusCode {status!r} is not one of "
            + ", ".join(STATUS_CODES))  # fmt: skip
    expect(path, status in ("Complete", "PartialData"),
            f"StatusCode {status}: CloudWatch did not return the data; run the query again")  # fmt: skip
    stamps, values = result.get("Timestamps"), result.get("Values")
    expect(path, isinstance(stamps, list) and isinstance(values, list)
            and len(stamps) == len(values),
            "Timestamps and Values are not two lists of the same length")  # fmt: skip
    assert isinstance(stamps, list)
    assert isinstance(values, list)
    times = [_timestamp(path, f"Timestamps #{i}", t) for i, t in enumerate(stamps, start=1)]
    counts = [_count(path, f"Values #{i}", v) for i, v in enumerate(values, start=1)]
    warning = (f"{path}: StatusCode PartialData; fetch the next page (NextToken) for the rest"
               if status == "PartialData" else None)  # fmt: skip
    return _Points(times, counts, None, warning)


def _send_statistics(path: PathLike, data: Mapping[str, Any]) -> _Points:
    """get-send-statistics: 15-minute buckets of delivery attempts."""
    entries = data["SendDataPoints"]
    expect(path, isinstance(entries, list), "SendDataPoints is not a list")
    times, values = [], []
    for i, entry in enumerate(entries, start=1):
        where = f"SendDataPoints #{i}"
        expect(path, isinstance(entry, dict) and "DeliveryAttempts" in entry,
                f"{where} has no DeliveryAttempts")  # fmt: skip
        times.append(_timestamp(path, where, entry.get("Timestamp")))
        values.append(_count(path, where, entry["DeliveryAttempts"]))
    return _Points(times, values, SEND_STATISTICS_PERIOD)


def _timestamp(path: PathLike, where: str, value: Any) -> dt.datetime:
    """An ISO 8601 time with its offset, as UTC."""
    try:
        moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None:
        raise DataFileError(path, f"{where}: Timestamp {value!r} is not an ISO 8601 time")
    if moment.tzinfo is None:
        raise DataFileError(path, f"{where}: Timestamp {value!r} has no UTC offset; expected "
                            "the CLI's time as printed (2026-11-01T00:00:00+00:00)")  # fmt: skip
    utc = moment.astimezone(dt.UTC)
    expect(path, FIRST_YEAR <= utc.year <= LAST_YEAR,
            f"{where}: Timestamp {value!r} is outside {FIRST_YEAR} to {LAST_YEAR}")  # fmt: skip
    return utc


def _count(path: PathLike, where: str, value: Any) -> float:
    """Messages in a bucket: a finite number, 0 or more."""
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    ok = ok and math.isfinite(value) and value >= 0
    expect(path, ok, f"{where}: {value!r} is not a count of messages (0 or more)")
    return float(value)


def _period(path: PathLike, points: _Points, given: int | None) -> int:
    """The file's bucket length [s]: stated by the command, given, or the least gap."""
    if given is not None:
        expect(path, given > 0, f"period {given} is not a positive number of seconds")
        return given
    if points.period is not None:
        return points.period
    expect(path, bool(points.times), "has no data points; expected at least one bucket")
    seconds = np.array([t.replace(tzinfo=None) for t in points.times], dtype="datetime64[s]")
    gaps = np.diff(np.unique(seconds).astype(np.int64)).astype(np.int64)
    expect(path, len(gaps) > 0, "has one bucket; give its period in seconds (--period)")
    least = int(gaps.min())
    expect(path, bool((gaps % least == 0).all()), f"buckets are not whole periods apart (the "
            f"least gap is {least} s); expected one --period per file")  # fmt: skip
    return least
