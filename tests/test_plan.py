"""Reading plans (TOML) and event logs (CSV): what they hold, and where errors point."""

from pathlib import Path

import pytest

from planner.errors import DataFileError, InputError, PlannerError
from planner.files.plans import read_events, read_plan

ROOT = Path(__file__).resolve().parents[1]


def write(tmp_path, text, name="plan.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_example_plan():
    plan = read_plan(ROOT / "data" / "plan-2027.toml")
    assert (plan.start, plan.months, plan.name) == ("2027-01", 12, "Email platform, 2027")
    assert dict(plan.defaults) == {
        "utilization": 0.8, "az_failures": 1, "day_count": "inclusive", "lease_proration": "daily",
    }  # fmt: skip
    assert [(r.region, r.pool, r.rate, r.ips) for r in plan.regions] == [
        ("us-east-1", "transactional", 300, None),
        ("us-east-1", "marketing", None, 4),
        ("eu-west-1", "transactional", 120, None),
    ]
    # One inline event and three from events-2027.csv, which is named relative to the plan.
    assert [(e.date.isoformat(), e.action, e.count) for e in plan.events] == [
        ("2027-06-15", "relinquish", 2),
        ("2027-03-10", "lease", 2),
        ("2027-09-20", "lease", 3),
        ("2027-11-05", "relinquish", 1),
    ]
    assert [Path(f).name for f in plan.files] == ["plan-2027.toml", "events-2027.csv"]
    assert plan.events[1].where.endswith("events-2027.csv, line 2")


def test_an_events_file_given_replaces_the_plans_own(tmp_path):
    events = write(tmp_path, "date,region,action,count\n2027-02-01,us-east-1,lease,5\n", "e.csv")
    plan = read_plan(ROOT / "data" / "plan-2027.toml", events_file=events)
    assert [e.count for e in plan.events] == [2, 5]
    assert plan.files[-1] == str(events)


def test_settings_are_checked_and_parsed_where_they_stand(tmp_path):
    plan = read_plan(write(tmp_path, 'start = "2027-01"\n[defaults]\nutilization = "0.5"\n'
                                     'day_count = "Exclusive"\n'))  # fmt: skip
    assert dict(plan.defaults) == {"utilization": 0.5, "day_count": "exclusive"}
    with pytest.raises(InputError, match=r"plan.toml, \[\[regions\]\] #1: min_per_region: 1.5"):
        read_plan(write(tmp_path, 'start = "2027-01"\n[[regions]]\nregion = "us-east-1"\n'
                                  "ips = 2\nmin_per_region = 1.5\n"))  # fmt: skip


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("months = 3\n", "start is missing"),
        ('start = "2027-13"\n', "start = '2027-13' is not a calendar month"),
        ('start = "2027-01"\nmonths = 0\n', "months = 0 must be 1 to 600"),
        ('start = "2027-01"\n[[regions]]\nregion = "us-east-1"\nrate = 3\nips = 2\n',
         r"\[\[regions\]\] #1: give exactly one of rate, daily_volume, ips or fleet_file"),
        ('start = "2027-01"\n[[regions]]\nregion = "us-east-1"\nrate = "fast"\n',
         r"\[\[regions\]\] #1: rate = 'fast' is not a number"),
        ('start = "2027-01"\n[[regions]]\nregion = "us-east-1"\nips = 2\nday_count = "x"\n',
         r"\[\[regions\]\] #1: unknown key 'day_count'"),
        ('start = "2027-01"\nevents_file = "missing.csv"\n', "missing.csv: no such file"),
    ],
)  # fmt: skip
def test_plan_errors_name_the_entry(tmp_path, text, message):
    with pytest.raises(PlannerError, match=message):
        read_plan(write(tmp_path, text))


def test_event_log_rows_and_errors(tmp_path):
    events = read_events(
        write(
            tmp_path,
            "\ufeffdate, region ,action,count,pool,note\n"
            "2027-02-01,us-east-1,LEASE,2,,first\n\n"
            "2027-03-01,us-east-1,relinquish,1,b,\n",
            "e.csv",
        )
    )  # fmt: skip  (a BOM, spaces in the header, an empty line and an empty pool)
    assert [(e.action, e.count, e.pool, e.note) for e in events] == [
        ("lease", 2, None, "first"),
        ("relinquish", 1, "b", ""),
    ]
    assert events[1].where.endswith("e.csv, line 4")
    with pytest.raises(DataFileError, match="unknown column"):
        read_events(write(tmp_path, "date,region,action,count,colour\n", "x.csv"))
    with pytest.raises(PlannerError, match="line 2: more cells than header columns"):
        read_events(write(tmp_path, "date,region,action,count\n2027-01-01,a,lease,1,9\n", "y.csv"))
