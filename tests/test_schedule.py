"""Schedules: the rules against an independent month-by-month reference, the issue's
examples, and the plan they write pricing to the same money."""

import datetime as dt
import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import planner
from planner.edges.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]


def forecast_file(tmp_path, rates, start="2027-01", region="us-east-1", name="forecast.csv"):
    year, month = map(int, start.split("-"))
    lines = ["month,region,peak_rate"]
    for i, rate in enumerate(rates):
        y, m = divmod(month - 1 + i, 12)
        lines.append(f"{year + y}-{m + 1:02d},{region},{rate}")
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def first_day(start, i):
    year, month = map(int, start.split("-"))
    y, m = divmod(month - 1 + i, 12)
    return dt.date(year + y, m + 1, 1)


def reference_events(needed, start_month, held, day_count, keep, warm_days=44):
    """The rules walked month by month for each IP, with its own state: held or not.
    Returns Counter{(date, action): IPs}."""
    lease = [first_day(start_month, i) - dt.timedelta(days=warm_days) for i in range(len(needed))]
    release = [
        first_day(start_month, i) - dt.timedelta(days=1 if day_count == "inclusive" else 0)
        for i in range(len(needed))
    ]
    out = Counter()
    for k in range(1, max([*needed, held]) + 1):
        holding = k <= held
        for m, n in enumerate(needed):
            wanted = n >= k
            if wanted and not holding:
                out[(lease[m], "lease")] += 1
                holding = True
            elif holding and not wanted:
                later = [j for j in range(m + 1, len(needed)) if needed[j] >= k]
                if later and lease[later[0]] <= release[m] + dt.timedelta(days=keep):
                    continue  # kept through the gap
                out[(release[m], "relinquish")] += 1
                holding = False
    return out


def test_the_issue_dip_is_kept_and_a_longer_one_is_not(tmp_path):
    # 400 msg/s at 27.78 msg/s an IP (3M a day, 0.8): 15 IPs; 100 msg/s: 4. With linear
    # warm-up IPs for April are leased 44 days before 2027-04-01, on 2027-02-15, before
    # their release on R_March = 2027-02-28: kept through March.
    s = planner.schedule(forecast_file(tmp_path, [400, 400, 100, 400]), today="2026-01-01")
    assert s.months["ips_needed"].tolist() == [15, 15, 4, 15]
    assert [(e.action, e.count) for e in s.events] == [("lease", 15)]
    assert s.events[0].date == dt.date(2026, 11, 18)  # 2027-01-01 - 44 days
    # A dip of three months: released on R_March (2027-02-28), leased again on
    # L_June = 2027-06-01 - 44 days = 2027-04-18.
    s = planner.schedule(
        forecast_file(tmp_path, [400, 400, 100, 100, 100, 400]), today="2026-01-01"
    )
    assert [(e.date, e.action, e.count) for e in s.events] == [
        (dt.date(2026, 11, 18), "lease", 15),
        (dt.date(2027, 2, 28), "relinquish", 11),
        (dt.date(2027, 4, 18), "lease", 11),
    ]
    # Exclusive day count: released on the first day of March instead.
    s = planner.schedule(forecast_file(tmp_path, [400, 400, 100, 100, 100, 400]),
                         day_count="exclusive", today="2026-01-01")  # fmt: skip
    assert s.events[1].date == dt.date(2027, 3, 1)


def test_the_example_forecast_prices_the_same_through_ipcost_budget(tmp_path):
    forecast = ROOT / "data" / "forecast-2027.csv"
    s = planner.schedule(forecast, az_failures=1, today="2026-01-01")
    plan = tmp_path / "plan.toml"
    result = runner.invoke(app, ["schedule", str(forecast), "--az-failures", "1", "--today",
                                 "2026-01-01", "-o", str(plan)])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    again = planner.budget(plan).to_frame()
    planned = s.budget.to_frame()
    assert again["charge"].sum() == planned["charge"].sum()
    assert again["refund"].sum() == planned["refund"].sum()
    assert again["ips_end"].tolist() == planned["ips_end"].tolist()
    # And the event log with the same starting point.
    events = tmp_path / "events.csv"
    assert runner.invoke(app, ["schedule", str(forecast), "--az-failures", "1", "--today",
                               "2026-01-01", "-o", str(events)]).exit_code == 0  # fmt: skip
    start = planner.read_plan(plan)
    bare = tmp_path / "bare.toml"
    bare.write_text(f'start = "{start.start}"\nmonths = {start.months}\n', encoding="utf-8")
    assert planner.budget(bare, events=events).to_frame()["charge"].sum() == planned["charge"].sum()


def test_json_contract_and_late_requests(tmp_path):
    path = forecast_file(tmp_path, [400, 400])
    result = runner.invoke(app, ["schedule", str(path), "--lead-days", "10", "--today",
                                 "2026-11-20", "-f", "json"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"assumptions", "months", "events", "budget", "quantile", "kept", "today"}
    assert (data["today"], data["quantile"]) == ("2026-11-20", None)
    # Due on 2026-11-18 (2027-01-01 less 44 days, a linear 45-day warm-up), requested by
    # 2026-11-08: already late on 2026-11-20. Nothing goes before today: requested today,
    # leased 10 days later (2026-11-30), warm 44 days after that (2027-01-13), 12 days late.
    assert data["events"][0] == {
        "date": "2026-11-30", "region": "us-east-1", "pool": "default", "action": "lease",
        "count": 15, "for_month": "2027-01", "ready_date": "2027-01-13", "request_by": "2026-11-20",
    }  # fmt: skip
    said = " ".join(result.stderr.split())
    assert ("15 IPs for 2027-01 are late: requested today (2026-11-20) with 10 lead days, "
            "leased 2026-11-30 and warm 2027-01-13, 12 days after 2027-01-01") in said  # fmt: skip
    # The shortfall shows: on 2027-01-01 the 15 IPs are 32 of 44 days warm (day 33 of 45
    # on the linear curve: 33/45 of 15 x 625/18 x 0.8 = 305.56), 94.44 short of 400.
    january = data["months"][0]
    assert (january["month"], round(january["capacity"], 2)) == ("2027-01", 305.56)
    assert round(january["shortfall"], 2) == 94.44
    assert data["budget"]["start"] == "2026-11"  # the month of the lease, not before today
    assert Decimal(data["budget"]["charge"]) > 0


def test_a_starting_fleet(tmp_path):
    # 10 IPs held; 4 needed (100 msg/s) then 15: the 6 spare ones would go on R_first
    # (2026-12-31), but month 2's lease day (2026-12-19) comes before it, so they are
    # kept through month 1; 5 more are leased for month 2.
    path = forecast_file(tmp_path, [100, 400])
    s = planner.schedule(path, held={"us-east-1": 10}, today="2026-01-01")
    # L_February = 2027-02-01 - 44 days = 2026-12-19 (31 days back to January 1, 13 more).
    assert [(e.date, e.action, e.count) for e in s.events] == [(dt.date(2026, 12, 19), "lease", 5)]
    s = planner.schedule(forecast_file(tmp_path, [100, 100, 100, 400]), held={"us-east-1": 10},
                         today="2026-01-01")  # fmt: skip
    assert [(e.date, e.action, e.count) for e in s.events] == [
        (dt.date(2026, 12, 31), "relinquish", 6),  # R of the first month, inclusive
        (dt.date(2027, 2, 16), "lease", 11),  # L_April = 2027-04-01 - 44 days: 31 + 13
    ]


@settings(max_examples=60, deadline=None)
@given(
    rates=st.lists(st.sampled_from([30, 100, 250, 400, 700]), min_size=1, max_size=8),
    start=st.sampled_from(["2027-01", "2027-11", "2028-01", "2028-02", "2028-12", "2029-06"]),
    day_count=st.sampled_from(["inclusive", "exclusive"]),
    keep=st.sampled_from([0, 10, 45, 90]),
    held=st.integers(0, 30),
    lead=st.integers(0, 30),
)
def test_every_rule_against_the_month_by_month_reference(
    tmp_path_factory, rates, start, day_count, keep, held, lead
):
    tmp_path = tmp_path_factory.mktemp("f")
    path = forecast_file(tmp_path, rates, start=start)
    s = planner.schedule(path, held={"us-east-1": held}, day_count=day_count, keep_days=keep,
                         lead_days=lead, today="2020-01-01")  # fmt: skip
    needed = s.months["ips_needed"].tolist()
    # By hand, 3,000,000 messages a day x 0.8 = 250/9 msg/s per IP, at least 2 IPs:
    # ceil(30 / (250/9)) = 2, 100 -> 4, 250 -> 9, 400 -> 15, 700 -> 26.
    by_hand = {30: 2, 100: 4, 250: 9, 400: 15, 700: 26}
    assert needed == [by_hand[r] for r in rates]
    got = Counter({(e.date, e.action): e.count for e in s.events})
    assert got == reference_events(needed, start, held, day_count, keep)
    for e in s.events:
        if e.action == "lease":
            assert e.ready_date == dt.date.fromisoformat(e.for_month + "-01")
            assert e.request_by == e.date - dt.timedelta(days=lead)
            assert (e.ready_date - e.date).days == 44
    # Every month holds enough IPs on its first day, and warm ones: under linear warm-up a
    # lease for month m lands 44 days before its first day, so its IPs carry the full rate
    # (27.78 msg/s each) then.
    assert all(s.months["ips_held"] >= s.months["ips_needed"])
    per_ip = 3_000_000 / 86_400 * 0.8
    assert all(s.months["capacity"] >= s.months["ips_needed"] * per_ip - 1e-9)


def test_a_starting_fleet_from_a_plan(tmp_path):
    # The plan holds 11 IPs in us-east-1 (the forecast's January need at az_failures 1)
    # and eu-west-1 sized from 95 msg/s: 6. Neither then needs a lease for January.
    plan = tmp_path / "held.toml"
    plan.write_text('start = "2027-01"\n[[regions]]\nregion = "us-east-1"\nips = 11\n'
                    '[[regions]]\nregion = "eu-west-1"\nrate = 95\n', encoding="utf-8")  # fmt: skip
    s = planner.schedule(ROOT / "data" / "forecast-2027.csv", held_from=plan, az_failures=1,
                         today="2026-01-01")  # fmt: skip
    assert not [e for e in s.events if e.for_month == "2027-01"]
    result = runner.invoke(app, ["schedule", str(ROOT / "data" / "forecast-2027.csv"),
                                 "--held-from", str(plan), "--held", "us-east-1=3"])  # fmt: skip
    assert result.exit_code == 1
    assert "a plan (--held-from) was given too" in result.stderr


def test_a_kept_gap_costs_what_the_two_budgets_differ_by():
    # The example forecast needs 12 IPs in us-east-1 in June, 11 in July and August and 12
    # again in September: IP 12 would be relinquished on 2027-06-30 (inclusive: June billed
    # whole) and another leased on 2027-07-19 (warm on 2027-09-01, 44 days on).
    # Keeping it bills July whole, 24.95, where the new lease bills 19-31 July, 13 of 31
    # days: 24.95 x 13 / 31 = 10.4629 -> 10.46. Keeping costs 24.95 - 10.46 = 14.49.
    forecast = ROOT / "data" / "forecast-2027.csv"
    kept = planner.schedule(forecast, az_failures=1, today="2026-11-01")
    plain = planner.schedule(forecast, az_failures=1, today="2026-11-01", keep_days=0)
    (gap,) = kept.kept
    assert (gap.region, gap.count, str(gap.cost)) == ("us-east-1", 1, "14.49")
    assert (gap.instead_of_relinquish, gap.instead_of_lease) == (
        dt.date(2027, 6, 30),
        dt.date(2027, 7, 19),
    )
    assert plain.kept == ()
    # The same figure from the two plans' budgets, each through the ledger and fee function.
    assert (
        kept.budget.to_frame()["charge"].sum() - plain.budget.to_frame()["charge"].sum() == gap.cost
    )
    # The default keep_days (45, one warm-up) and lead_days (7) are recorded with sources.
    records = {a.setting: a for a in kept.assumptions}
    assert (records["keep_days"].value, records["lead_days"].value) == (45, 7)
    assert "[assumption]" in records["lead_days"].source


def test_the_quota_warning_sums_a_regions_pools_in_its_busiest_month(tmp_path):
    # Pools a and b send 300 msg/s each in January (600 in all) and 100 each in February:
    # the Region's busiest month is 600, above get-account.json's 500 msg/s.
    path = tmp_path / "f.csv"
    path.write_text("month,region,pool,peak_rate\n2027-01,us-east-1,a,300\n2027-01,us-east-1,b,300\n"
                    "2027-02,us-east-1,a,100\n2027-02,us-east-1,b,100\n", encoding="utf-8")  # fmt: skip
    s = planner.schedule(path, today="2026-01-01", account_file=ROOT / "data/aws/get-account.json")
    quota = [w for w in s.warnings if "maximum send rate" in w]
    assert len(quota) == 1
    assert quota[0].startswith("us-east-1: 600.00 msg/s is above the account's maximum send rate "
                               "of 500.00 msg/s")  # fmt: skip


def test_a_schedule_written_as_an_event_log_needs_no_pandas(tmp_path):
    # ipcost schedule -o events.csv prints neither the months nor the budget: it builds
    # no DataFrame, so pandas is never imported (the frames are made when asked for).
    import subprocess
    import sys

    code = ("import sys; sys.argv = ['ipcost', 'schedule', sys.argv[1], '--today', '2026-11-01', "
            "'-o', sys.argv[2]]\nfrom planner.edges.cli import main\ntry:\n    main()\n"
            "except SystemExit:\n    pass\nprint('pandas' in sys.modules)")  # fmt: skip
    proc = subprocess.run([sys.executable, "-c", code, str(ROOT / "data" / "forecast-2027.csv"),
                           str(tmp_path / "events.csv")], capture_output=True, text=True,
                          check=True)  # fmt: skip
    assert proc.stdout.strip() == "False"
    assert (tmp_path / "events.csv").read_text(encoding="utf-8").startswith("date,region,")
