"""Fuzzing the four readers: any input gives a result or ipcost's own error, never another.

Plans are generated as TOML documents of random structure (keys the planner knows and
keys it does not, values of every TOML type); event logs, price books and Region
tables as CSV rows of random cells under real and broken headers, and as raw text.
A plan that reads is also budgeted, since most checks run there.
"""

import contextlib
import datetime as dt
import json
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import planner
from planner.errors import PlannerError
from planner.files.plans import read_events, read_plan
from planner.files.tables import load_prices, load_regions, load_warmup

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "planner" / "data"
# FUZZ_EXAMPLES=5000 for a long run; the suite's default keeps CI quick.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "200")),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# ------------------------------------------------------------------------ TOML plans

scalars = st.one_of(
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
    st.sampled_from(["us-east-1", "eu-west-1", "US-EAST-1", "2027-01", "2027-02-30", "lease",
                     "relinquish", "inclusive", "sendgrid", "", "=1+1", "a\nb"]),
    st.text(max_size=8),
)  # fmt: skip
values = st.one_of(scalars, st.lists(scalars, max_size=3))
keys = st.sampled_from(
    ["region", "pool", "rate", "daily_volume", "ips", "since", "note", "utilization",
     "az_failures", "min_per_region", "per_ip_rate", "profile", "peak_factor", "azs",
     "date", "action", "count", "day_count", "lease_proration", "colour"]
)  # fmt: skip
tables = st.dictionaries(keys, values, max_size=6)


def toml_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:
            return "nan"
        if value in (float("inf"), float("-inf")):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int | dt.date):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)  # a TOML basic string is a JSON string


def toml_table(table):
    return "".join(f"{k} = {toml_value(v)}\n" for k, v in table.items())


@st.composite
def plans(draw):
    # Mostly well-formed, so that the checks after the first ones are reached too.
    wild = draw(st.integers(0, 4)) == 0
    top = {
        "start": draw(scalars if wild else st.sampled_from(["2027-01", "2026-12", "2027-02"])),
        "months": draw(scalars if wild else st.integers(1, 40)),
    }
    text = toml_table({k: v for k, v in top.items() if draw(st.booleans()) or k == "start"})
    if draw(st.integers(0, 3)) == 0:
        text += "[defaults]\n" + toml_table(draw(tables))
    for _ in range(draw(st.integers(0, 3))):
        base = {"region": draw(st.sampled_from(["us-east-1", "eu-west-1", "nowhere"])),
                "pool": draw(st.sampled_from(["a", "b", "=x"]))}  # fmt: skip
        amount = draw(st.sampled_from(["rate", "ips", "daily_volume"]))
        base[amount] = draw(st.one_of(st.integers(1, 500), st.floats(0.5, 5000), scalars))
        extra = draw(tables) if draw(st.integers(0, 3)) == 0 else {}
        text += "[[regions]]\n" + toml_table({**base, **extra})
    for _ in range(draw(st.integers(0, 3))):
        event = {
            "date": draw(st.sampled_from(["2027-01-10", "2027-02-28", "2026-12-31", "2027-03-01"])),
            "region": draw(st.sampled_from(["us-east-1", "eu-west-1", "US-East-1"])),
            "action": draw(st.sampled_from(["lease", "relinquish"])),
            "count": draw(st.integers(-2, 12)),
        }
        extra = draw(tables) if draw(st.integers(0, 3)) == 0 else {}
        text += "[[events]]\n" + toml_table({**event, **extra})
    return text


@FUZZ
@given(plans())
def test_any_plan_reads_and_budgets_or_says_why(tmp_path, text):
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    try:
        plan = read_plan(path)
        frame = planner.budget(plan).to_frame()
    except PlannerError:
        return
    assert (frame["ips_end"] >= 0).all()
    assert (frame["charge"] >= 0).all()


@FUZZ
@given(st.text(max_size=200))
def test_any_text_as_a_plan(tmp_path, text):
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    with contextlib.suppress(PlannerError):
        planner.budget(read_plan(path))


# ------------------------------------------------------------------------- CSV files

cells = st.one_of(
    st.sampled_from(["", "2027-01-10", "us-east-1", "lease", "relinquish", "1", "-1", "0",
                     "1e30", "nan", "24.95", "*", "USD", "dedicated-ip", "2025-01-01", "3",
                     "a b c", '"', '"x', "x,y", "=1+1", "9" * 25]),
    st.text(max_size=6),
)  # fmt: skip


def csv_text(header, rows):
    return "\n".join([header, *(",".join(row) for row in rows)]) + "\n"


def headers(shipped_name, extra):
    real = (
        (SHIPPED / shipped_name).read_text(encoding="utf-8").splitlines()[0]
        if shipped_name
        else extra[0]
    )
    broken = [real, real + "," + real.split(",")[0], ",".join(real.split(",")[:-1]), *extra]
    return st.sampled_from(broken)


def check(reader, path, text):
    path.write_text(text, encoding="utf-8")
    with contextlib.suppress(PlannerError):
        reader(path)


@FUZZ
@given(
    headers(
        None, ["date,region,action,count,pool,note", "date,region,action,count", "date,count,count"]
    ),
    st.lists(st.lists(cells, max_size=7), max_size=5),
)
def test_any_event_log(tmp_path, header, rows):
    path = tmp_path / "events.csv"
    check(read_events, path, csv_text(header, rows))
    # And budgeted with a plan that holds IPs in the Regions the events name.
    plan = tmp_path / "plan.toml"
    plan.write_text('start = "2027-01"\nmonths = 2\n[[regions]]\nregion = "us-east-1"\nips = 3\n')
    with contextlib.suppress(PlannerError):
        planner.budget(plan, events=path)


@FUZZ
@given(headers("prices.csv", ["sku,price"]), st.lists(st.lists(cells, max_size=11), max_size=4))
def test_any_price_book(tmp_path, header, rows):
    path = tmp_path / "prices.csv"
    check(load_prices, path, csv_text(header, rows))
    with contextlib.suppress(PlannerError):
        planner.estimate("us-east-1", rate=300, date="2027-01-01", prices=path)


@FUZZ
@given(headers("regions.csv", ["region"]), st.lists(st.lists(cells, max_size=10), max_size=4))
def test_any_region_table(tmp_path, header, rows):
    path = tmp_path / "regions.csv"
    check(load_regions, path, csv_text(header, rows))
    with contextlib.suppress(PlannerError):
        planner.estimate("us-east-1", rate=300, date="2027-01-01", regions_file=path)


@FUZZ
@given(st.text(max_size=300))
def test_any_text_as_a_csv_table(tmp_path, text):
    for reader, name in ((read_events, "e.csv"), (load_prices, "p.csv"), (load_regions, "r.csv")):
        check(reader, tmp_path / name, text)


@FUZZ
@given(headers("warmup.csv", ["curve,day"]), st.lists(st.lists(cells, max_size=5), max_size=5))
def test_any_warmup_table(tmp_path, header, rows):
    path = tmp_path / "warmup.csv"
    check(load_warmup, path, csv_text(header, rows))
    with contextlib.suppress(PlannerError):
        table = load_warmup(path)
        for curve in table:
            planner.warmup(ips=2, rate=50, start="2027-01-01", curve=curve.curve, curves=table)


@FUZZ
@given(
    headers(None, ["month,region,peak_rate", "month,region,pool,daily_volume,note", "month,month"]),
    st.lists(st.lists(st.one_of(st.sampled_from(["2027-01", "2027-02", "2027-03", "us-east-1",
                                                 "eu-west-1", "300", "1e9", "a"]), cells),
                      max_size=5), max_size=6),
)  # fmt: skip
def test_any_forecast(tmp_path, header, rows):
    path = tmp_path / "forecast.csv"
    path.write_text(csv_text(header, rows), encoding="utf-8")
    with contextlib.suppress(PlannerError):
        planner.schedule(path, today="2020-01-01")


# ------------------------------------------------------- the account's AWS CLI files

aws_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(10**30), 10**30), st.floats(),
              st.sampled_from(["us-east-1", "us-west-1", "usw1-az1", "available", "DONE",
                               "IN_PROGRESS", "STANDARD", "MANAGED", "10.0.0.1", "p", ""]),
              st.text(max_size=6)),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(
                                ["DedicatedIps", "Ip", "WarmupStatus", "WarmupPercentage",
                                 "PoolName", "NextToken", "DedicatedIpPool", "ScalingMode",
                                 "SendQuota", "MaxSendRate", "Max24HourSend", "AvailabilityZones",
                                 "ZoneId", "RegionName", "State", "ZoneType", "x"]),
                                inner, max_size=5)),
    max_leaves=20,
)  # fmt: skip


@FUZZ
@given(data=aws_values, option=st.sampled_from(["fleet", "zones_file", "account_file", "schedule"]))
def test_any_aws_json_as_any_account_file(tmp_path, data, option):
    path = tmp_path / "aws.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    forecast = tmp_path / "f.csv"
    forecast.write_text("month,region,pool,peak_rate\n2027-01,us-west-1,p,100\n", encoding="utf-8")
    with contextlib.suppress(PlannerError):
        if option == "fleet":
            planner.fleet([path], "us-west-1", date="2027-01-01")
        elif option == "schedule":
            planner.schedule(forecast, fleet_files=[path], today="2027-01-01")
        else:
            planner.estimate("us-west-1", rate=300, date="2027-01-01", **{option: path})


@FUZZ
@given(
    answer=st.one_of(st.none(), st.text(max_size=12), st.sampled_from(["yes", "no", "English", "japanese"])),
    question=st.sampled_from(["mail_type", "website", "opt_in", "bounce_process", "aup",
                              "contact_language", "usage", "why_dedicated"]),
    relinquish=st.one_of(st.none(), st.integers(-3, 12), st.text(max_size=4)),
    address=st.one_of(st.none(), st.sampled_from(["198.51.100.10", "10.9.9.9", "300.1.1.1", "x"])),
)  # fmt: skip
def test_any_answers_and_relinquish_options(answer, question, relinquish, address):
    pages = [
        ROOT / "data" / "aws" / "get-dedicated-ips-1.json",
        ROOT / "data" / "aws" / "get-dedicated-ips-2.json",
    ]
    with contextlib.suppress(PlannerError):
        cases = planner.request(
            "us-east-1", rate=None if relinquish is not None else 300, relinquish=relinquish,
            addresses=[address] if address else (), fleet_files=pages if relinquish is not None else (),
            answers={question: answer}, date="2027-01-15",
        )  # fmt: skip
        json.dumps(cases.to_list(), allow_nan=False)


# ------------------------------------------------------------ the account's send history

history_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(),
              st.sampled_from(["Send", "Sum", "Count", "Complete", "PartialData", "Forbidden",
                               "2026-11-01T00:00:00Z", "2026-11-01T01:00:00+00:00",
                               "2026-11-01T00:00:00", "2026-02-30T00:00:00Z", ""]),
              st.text(max_size=6)),
    lambda inner: st.one_of(st.lists(inner, max_size=5),
                            st.dictionaries(st.sampled_from(
                                ["Label", "Datapoints", "Timestamp", "Sum", "Unit", "Average",
                                 "MetricDataResults", "Timestamps", "Values", "StatusCode",
                                 "SendDataPoints", "DeliveryAttempts", "x"]),
                                inner, max_size=5)),
    max_leaves=24,
)  # fmt: skip


@FUZZ
@given(data=history_values, period=st.one_of(st.none(), st.integers(-5, 100_000)))
def test_any_json_as_send_history(tmp_path, data, period):
    from planner.ops.forecasting import forecast

    path = tmp_path / "history.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with contextlib.suppress(PlannerError):
        forecast([path], months=2, period=period, today=dt.date(2026, 11, 30))
