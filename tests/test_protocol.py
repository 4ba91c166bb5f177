"""One protocol for every result an operation returns: ``to_frame()`` is a DataFrame whose
money columns are the money dtype, and ``to_dict()`` is strict JSON (``json.dumps`` with
``allow_nan=False`` and no converter holds: no Decimal, Fraction, NaN or date objects)."""

import json
from pathlib import Path

import pandas as pd
import pytest

import planner
from planner.ops.schedules import schedule_quantiles
from tests import aws_stubs as stubs

DATA = Path(__file__).resolve().parent.parent / "data"
HISTORY = [DATA / "history" / "send-hourly-2025-09-to-2026-11.json",
           DATA / "history" / "send-minute-2026-11-15-to-2026-11-29.json"]  # fmt: skip
PAGES = [DATA / "aws" / "get-dedicated-ips-1.json", DATA / "aws" / "get-dedicated-ips-2.json"]
#: Columns that hold money wherever they appear.
MONEY = {"monthly_fee", "annual_fee", "charge", "refund", "charge_per_ip", "refund_per_ip",
         "monthly_fee_per_ip", "cost_per_day_of_delay", "plan_fee", "mail", "ip_fees", "total"}  # fmt: skip


def _quantile_file(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text("month,region,pool,peak_rate,p50,p90\n2027-01,us-east-1,default,100,100,150\n",
                    encoding="utf-8")  # fmt: skip
    return str(path)


RESULTS = {
    "estimate": lambda tmp: planner.estimate("us-east-1", rate=300, date="2026-12-01"),
    "relinquish": lambda tmp: planner.relinquish("us-east-1", count=2, date="2026-11-15"),
    "warmup": lambda tmp: planner.warmup(ips=4, rate=64, start="2026-12-01", per_ip_rate=40),
    "compare": lambda tmp: planner.compare(monthly_volume=20_000_000, date="2026-12-01"),
    "compare, two Regions": lambda tmp: planner.compare(
        ["us-east-1", "eu-west-1"], monthly_volume=[1_000_000, 2_000_000], date="2026-12-01"),
    "schedule": lambda tmp: planner.schedule(DATA / "forecast-2027.csv", today="2026-11-01"),
    "schedule, two quantiles": lambda tmp: schedule_quantiles(_quantile_file(tmp), [0.5, 0.9],
                                                             today="2026-11-01"),
    "fleet": lambda tmp: planner.fleet(PAGES, "us-east-1"),
    "request": lambda tmp: planner.request("us-east-1", rate=100, date="2026-12-01"),
    "forecast": lambda tmp: planner.forecast(HISTORY, today="2026-11-30"),
    "budget": lambda tmp: planner.budget(DATA / "plan-2027.toml"),
    "budget, whole bill": lambda tmp: planner.budget(DATA / "plan-volumes-2027.toml"),
    "relinquish_schedule": lambda tmp: planner.relinquish_schedule("us-east-1", "2026-11"),
    "snapshot": lambda tmp: planner.snapshot("us-east-1", tmp / "snap", now=stubs.TAKEN,
                                             clients=stubs.whole()),
}  # fmt: skip


@pytest.mark.parametrize("name", RESULTS)
def test_every_result_has_a_frame_and_strict_json(name, tmp_path):
    result = RESULTS[name](tmp_path)
    frame = result.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) > 0
    for column in MONEY & set(frame.columns):
        assert str(frame[column].dtype) == "money", (name, column)
    text = json.dumps(result.to_dict(), allow_nan=False)  # raises on Decimal, Fraction, NaN
    assert json.loads(text) == result.to_dict()
