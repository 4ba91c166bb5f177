"""Make the example downloads of data/history/ from the daily archive beside this file.

The files are what an account's own download looks like on 2026-11-30 (UTC), written as
the AWS CLI prints ``aws cloudwatch get-metric-data`` (its pages merged, as the CLI does):

- ``send-hourly-2025-09-to-2026-11.json``: the Send Sum per hour for the last 455 days
  (CloudWatch keeps hourly data that long), from 2025-09-01 to 2026-11-29;
- ``send-minute-2026-11-15-to-2026-11-29.json``: per minute for the last 15 days (kept 15
  days);
- ``send-daily-2024-10-to-2026-11.json`` (the input): a longer daily archive, for those
  who kept one.

Each day's sends are spread over its hours by a fixed daytime profile, and each hour's
over its minutes with bursts in its first minutes (bulk sends at the top of the hour), with
seeded noise, so the minute peak stands above the hour's average as real sending does.
Generated examples, not real sends. Run from the repository's root:
``python data/history/make_examples.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DAILY = HERE / "send-daily-2024-10-to-2026-11.json"
HOURLY = HERE / "send-hourly-2025-09-to-2026-11.json"
MINUTE = HERE / "send-minute-2026-11-15-to-2026-11-29.json"
HOURS_FROM, MINUTES_FROM, END = "2025-09-01", "2026-11-15", "2026-11-30"


def _daily() -> dict[np.datetime64, float]:
    data = json.loads(DAILY.read_text(encoding="utf-8"))
    return {np.datetime64(p["Timestamp"][:10]): float(p["Sum"]) for p in data["Datapoints"]}


def _split(total: np.ndarray, weights: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Each total over len(weights) parts, by the weights times noise, in whole messages."""
    w = weights * rng.lognormal(0, 0.15, (len(total), len(weights)))
    parts = np.floor(total[:, None] * w / w.sum(axis=1, keepdims=True))
    parts[:, -1] += total - parts.sum(axis=1)  # whole messages, the day's total kept
    return parts


def _write(path: Path, start: np.ndarray, values: np.ndarray, period: int) -> None:
    stamps = [f"{t}+00:00" for t in start.astype("datetime64[s]")]
    body = {
        "MetricDataResults": [
            {
                "Id": "send",
                "Label": "Send",
                "Timestamps": stamps[::-1],
                "Values": values[::-1].tolist(),
                "StatusCode": "Complete",
            }
        ],
        "Messages": [],
    }  # newest first, as CloudWatch returns them
    path.write_text(json.dumps(body, indent=4) + "\n", encoding="utf-8")
    print(f"wrote {path.name}: {len(values):,} buckets of {period} s")


def main() -> None:
    rng = np.random.default_rng(20261130)
    days = _daily()
    span = np.arange(np.datetime64(HOURS_FROM), np.datetime64(END))
    totals = np.array([days[d] for d in span])
    hour = np.arange(24)
    daytime = 0.25 + np.exp(-(((hour - 14) / 4.0) ** 2))  # busiest in the UTC afternoon
    hourly = _split(totals, daytime, rng)
    hour_start = (span.astype("datetime64[h]")[:, None] + hour).ravel()
    _write(HOURLY, hour_start, hourly.ravel(), 3600)
    recent = hour_start >= np.datetime64(MINUTES_FROM)
    minute = np.arange(60)
    bursts = np.where(minute < 3, 2.5, 1.0)  # bulk sends at the top of the hour
    per_minute = _split(hourly.ravel()[recent], bursts, rng)
    minute_start = (hour_start[recent].astype("datetime64[m]")[:, None] + minute).ravel()
    _write(MINUTE, minute_start, per_minute.ravel(), 60)


if __name__ == "__main__":
    main()
