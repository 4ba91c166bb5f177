"""Plans and budgets, against a slow day-by-day reference written from the plan by hand."""

import calendar
import csv
import datetime as dt
import io
import os
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

import planner.edges.formats
from planner.edges.cli import app
from planner.errors import DataFileError, PlannerError
from planner.files.plans import Event, Plan, RegionLine, read_plan
from planner.ops.budgets import budget, lease_charge

runner = CliRunner()
DATA = Path(__file__).parent.parent / "data"
PLAN = DATA / "plan-2027.toml"
FEE = Fraction(2495)


def half_up(x: Fraction) -> int:
    return int(x + Fraction(1, 2))


def reference_budget(ips, months):
    """Charge in cents per (month, region, pool), one IP and one day at a time.

    ``ips``: (region, pool, count, lease date or None, relinquish date or None).
    Inclusive day count, daily lease proration; each IP-month rounded half up.
    """
    out = {}
    for region, pool, count, lease, end in ips:
        for year, month in months:
            d = calendar.monthrange(year, month)[1]
            days = [dt.date(year, month, i) for i in range(1, d + 1)]
            billed = sum(
                1 for day in days if (lease is None or day >= lease) and (end is None or day <= end)
            )
            if billed:
                key = (f"{year}-{month:02d}", region, pool)
                out[key] = out.get(key, 0) + count * half_up(FEE * billed / d)
    return out


# The example plan, IP by IP, as read by a person:
# us-east-1 transactional: 300 msg/s at 34.72 x 0.8 = 27.78 per IP -> 11 IPs for the rate;
#   surviving 1 of 6 AZs: 14 (3,3,2,2,2,2 keeps 11).
# us-east-1 marketing: 4 IPs, 2 relinquished on 2027-06-15.
# eu-west-1 transactional: 120 msg/s -> 5 IPs; surviving 1 of 3 AZs: 8 (3,3,2 keeps 5);
#   3 leased 2027-09-20, and 1 of those (newest first) relinquished 2027-11-05.
# ap-southeast-2 transactional: 2 leased 2027-03-10.
EXAMPLE_IPS = [
    ("us-east-1", "transactional", 14, None, None),
    ("us-east-1", "marketing", 2, None, None),
    ("us-east-1", "marketing", 2, None, dt.date(2027, 6, 15)),
    ("eu-west-1", "transactional", 8, None, None),
    ("eu-west-1", "transactional", 2, dt.date(2027, 9, 20), None),
    ("eu-west-1", "transactional", 1, dt.date(2027, 9, 20), dt.date(2027, 11, 5)),
    ("ap-southeast-2", "transactional", 2, dt.date(2027, 3, 10), None),
]
MONTHS_2027 = [(2027, m) for m in range(1, 13)]


def test_example_plan_matches_the_day_by_day_reference():
    frame = budget(PLAN).to_frame()
    expected = reference_budget(EXAMPLE_IPS, MONTHS_2027)
    got = {(str(r.month), r.region, r.pool): int(r.charge * 100) for r in frame.itertuples()}
    assert got == expected
    # DESIGN.md's budget CSV, column by column.
    assert list(frame.columns) == ["month", "region", "pool", "ips_start", "leased",
                                   "relinquished", "ips_end", "ip_days", "charge", "refund",
                                   "currency"]  # fmt: skip


def test_example_plan_hand_figures():
    frame = budget(PLAN).to_frame().set_index(["month", "region", "pool"])
    # June: 2 full + 2 relinquished on the 15th (12.48 each) = 49.90 + 24.96 = 74.86.
    june = frame.loc[("2027-06", "us-east-1", "marketing")]
    assert (june.charge, june.refund) == (Decimal("74.86"), Decimal("24.94"))
    assert (june.ips_start, june.relinquished, june.ips_end) == (4, 2, 2)
    # March: 2 leased on the 10th: 24.95 x 22 / 31 = 17.706 -> 17.71 each.
    march = frame.loc[("2027-03", "ap-southeast-2", "transactional")]
    assert (march.leased, march.charge, march.ip_days) == (2, Decimal("35.42"), 44)


def test_lease_charge_worked_example():
    # DESIGN.md: a lease on 2026-12-20 is charged 9.66 for December.
    assert lease_charge("us-east-1", 1, "2026-12-20") == Decimal("9.66")


def test_price_change_shows_in_the_right_month(tmp_path):
    prices = tmp_path / "prices.csv"
    prices.write_text(
        "sku,region,unit,price,currency,effective_from,effective_to,tier_from,tier_to,source\n"
        "dedicated-ip,*,IP-month,24.95,USD,2025-01-01,2027-03-31,,,test\n"
        "dedicated-ip,*,IP-month,30.00,USD,2027-04-01,,,,test\n"
    )
    plan = Plan(start="2027-02", months=4, regions=(RegionLine("us-east-1", ips=2),))
    frame = budget(plan, prices=prices).to_frame()
    assert [str(c) for c in frame.charge] == ["49.90", "49.90", "60.00", "60.00"]


def test_csv_sums_to_the_table_total_and_is_numeric(tmp_path):
    out = tmp_path / "budget.csv"
    result = runner.invoke(app, ["budget", str(PLAN), "-f", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 3 * 12 + 10  # three pools all year, ap-southeast-2 from March
    total = sum(Decimal(r["charge"]) for r in rows)
    table = runner.invoke(app, ["budget", str(PLAN)]).stdout
    total_line = next(line for line in table.splitlines() if line.startswith("total"))
    assert f"{total:,.2f}" in total_line
    assert total == Decimal("8150.84")
    for row in rows:
        for column in ("ips_start", "leased", "relinquished", "ips_end", "ip_days"):
            int(row[column])
        for column in ("charge", "refund"):
            assert Decimal(row[column]) >= 0
            assert not row[column].startswith("'")
        assert len(row["month"]) == 7


def test_csv_neutralises_typed_text_through_the_real_writer(tmp_path):
    # The pool names a user typed, as ipcost budget -o writes them: prefixed with ',
    # quoted where they hold a comma or quote; money and counts stay plain numbers.
    plan = write(
        tmp_path,
        'start = "2027-01"\nmonths = 1\n'
        '[[regions]]\nregion = "us-east-1"\nips = 2\npool = "=HYPERLINK(\\"x\\")"\n'
        '[[regions]]\nregion = "eu-west-1"\nips = 2\npool = "-ops, night"\n'
        '[[regions]]\nregion = "eu-west-1"\nips = 1\npool = "@home"\n',
    )
    out = tmp_path / "budget.csv"
    result = runner.invoke(app, ["budget", str(plan), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[1] == (
        '2027-01,us-east-1,"\'=HYPERLINK(""x"")",2,0,0,2,62,49.90,0.00,USD'
    )
    rows = list(csv.reader(io.StringIO(text)))
    assert [r[2] for r in rows[1:]] == ['\'=HYPERLINK("x")', "'-ops, night", "'@home"]
    assert [r[8] for r in rows[1:]] == ["49.90", "49.90", "24.95"]  # 2 x 24.95, 1 x 24.95
    assert planner.edges.formats.neutralise("plain") == "plain"


def test_atomic_write_keeps_the_earlier_file(tmp_path, monkeypatch):
    target = tmp_path / "budget.csv"
    target.write_text("earlier\n")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(DataFileError, match="No space left"):
        planner.files.output.write_atomic(target, "new text")
    assert target.read_text() == "earlier\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["budget.csv"]


def test_failed_budget_run_writes_nothing(tmp_path):
    bad = tmp_path / "plan.toml"
    bad.write_text('start = "2027-01"\n[[regions]]\nregion = "us-east-1"\nips = 2\n[[events]]\n'
                   'date = "2027-02-01"\nregion = "us-east-1"\naction = "relinquish"\ncount = 5\n')  # fmt: skip
    target = tmp_path / "budget.csv"
    target.write_text("earlier\n")
    result = runner.invoke(app, ["budget", str(bad), "-o", str(target)])
    assert result.exit_code == 1
    assert (
        "relinquishes 5 IPs in us-east-1 pool 'default' on 2027-02-01, but only 2 are held then"
        in result.stderr
    )
    assert target.read_text() == "earlier\n"


def write(tmp_path, text, name="plan.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


TOP = 'start = "2027-01"\nmonths = 3\n'
BASE = TOP + '[[regions]]\nregion = "us-east-1"\nips = 4\n'


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            '[[events]]\ndate = "2026-02-30"\nregion = "us-east-1"\naction = "lease"\ncount = 1\n',
            r"\[\[events\]\] #1: date = '2026-02-30' is not a real calendar date",
        ),
        (
            '[[events]]\ndate = "2027-02-01"\nregion = "us-east-1"\naction = "lease"\ncount = 0\n',
            r"\[\[events\]\] #1: count = 0 must be 1 to 10,000,000",
        ),
        (
            '[[events]]\ndate = "2026-12-01"\nregion = "us-east-1"\naction = "lease"\ncount = 1\n',
            "date 2026-12-01 is before the plan's start",
        ),
        (
            '[[events]]\ndate = "2027-02-01"\nregion = "us-eats-1"\naction = "lease"\ncount = 1\n',
            "region: unknown 'us-eats-1'; did you mean us-east-1",
        ),
        (
            '[[events]]\ndate = "2027-02-01"\nregion = "us-east-1"\naction = "lease"\ncount = 1\ncolour = "red"\n',
            "unknown key 'colour'",
        ),
        (
            '[[events]]\ndate = "2027-02-01"\nregion = "us-east-1"\naction = "sell"\ncount = 1\n',
            "action = 'sell' is not one of lease, relinquish",
        ),
        (
            '[defaults]\nday_count = "sometimes"\n',
            r"plan.toml, \[defaults\]: day_count: 'sometimes' is not allowed; "
            "expected one of inclusive, exclusive",
        ),
        ("mystery = 1\n", "unknown key 'mystery'"),
    ],
)
def test_plan_errors(tmp_path, extra, message):
    # Top-level keys and [defaults] go before the [[regions]] array; events after it.
    text = (
        TOP + extra + BASE[len(TOP) :]
        if extra.startswith(("[defaults]", "mystery"))
        else BASE + extra
    )
    path = write(tmp_path, text)
    with pytest.raises(PlannerError, match=message):
        budget(path)
    result = runner.invoke(app, ["budget", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert result.stderr.count("\n") == 1


def test_malformed_toml_names_the_line(tmp_path):
    path = write(tmp_path, 'start = "2027-01"\nmonths = = 3\n')
    with pytest.raises(DataFileError, match=r"malformed TOML: .*line 2"):
        read_plan(path)


def test_malformed_event_csv_names_the_line(tmp_path):
    events = write(
        tmp_path,
        "date,region,action,count\n2027-02-01,us-east-1,lease,2\n2027-02-03,us-east-1,lease,two\n",
        "e.csv",
    )
    plan = write(tmp_path, BASE)
    with pytest.raises(PlannerError, match=r"e.csv, line 3: count = 'two' is not a whole number"):
        budget(plan, events=events)
    bad_header = write(tmp_path, "when,region,action,count\n", "h.csv")
    with pytest.raises(DataFileError, match="line 1: missing column"):
        budget(plan, events=bad_header)


def test_pools_must_be_named_when_a_region_has_several(tmp_path):
    path = write(
        tmp_path,
        BASE + '[[regions]]\nregion = "us-east-1"\nips = 2\npool = "b"\n'
        '[[events]]\ndate = "2027-02-01"\nregion = "us-east-1"\naction = "relinquish"\ncount = 1\n',
    )
    with pytest.raises(PlannerError, match="has pools default, b; name the pool"):
        budget(path)


def test_events_option_and_horizon(tmp_path):
    events = write(
        tmp_path,
        "date,region,action,count,pool,note\n2027-02-15,us-east-1,relinquish,2,,spring\n",
        "e.csv",
    )
    plan = write(tmp_path, BASE)
    result = runner.invoke(
        app,
        [
            "budget",
            str(plan),
            "--events",
            str(events),
            "--start",
            "2027-02",
            "--months",
            "2",
            "-f",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    import json

    rows = json.loads(result.stdout)["rows"]
    assert [r["month"] for r in rows] == ["2027-02", "2027-03"]
    # 2 full + 2 to the 15th of 28 days: 24.95 x 15 / 28 = 13.366 -> 13.37 each.
    assert rows[0]["charge"] == str(Decimal("49.90") + 2 * Decimal("13.37"))


def test_code_built_plan_with_events():
    plan = Plan(
        start="2027-01",
        months=2,
        regions=(RegionLine("eu-west-1", rate=120, settings={"az_failures": 1}),),
        events=(Event(dt.date(2027, 1, 31), "eu-west-1", "relinquish", 1),),
    )
    frame = budget(plan).to_frame()
    # 120 msg/s -> 5 IPs, surviving 1 of 3 AZs -> 8; 1 relinquished on the 31st (billed whole).
    assert frame.ips_start.tolist() == [8, 7]
    assert [str(c) for c in frame.charge] == ["199.60", "174.65"]


def test_events_after_the_horizon_are_named_not_dropped_silently():
    # The example plan's events: 2027-03-10, 06-15, 09-20, 11-05. A 6-month budget
    # (January to June) leaves the September lease and the November relinquish out.
    result = budget(PLAN, months=6)
    assert list(result.warnings) == [
        "2 events after 2027-06 are outside this budget: 2027-09-20 lease 3 in eu-west-1 "
        f"({DATA / 'events-2027.csv'}, line 3)"
        " and 1 more; a longer --months takes them in"
    ]
    assert budget(PLAN).warnings == ()
    result = runner.invoke(app, ["budget", str(PLAN), "--months", "10"])
    assert result.exit_code == 0
    assert result.stderr.startswith("Warning: 1 event after 2027-10 is outside this budget: ")


def test_an_ip_leased_and_relinquished_in_one_month_is_refunded_only_its_unused_days(tmp_path):
    # Leased 2027-03-10, relinquished 2027-03-20 (31 days, inclusive, daily):
    # charged 24.95 x 11 / 31 = 8.853 -> 8.85; kept, the month would bill
    # 24.95 x 22 / 31 = 17.706 -> 17.71; refund 17.71 - 8.85 = 8.86 (not 24.95 - 8.85).
    plan = write(
        tmp_path,
        'start = "2027-03"\nmonths = 1\n'
        '[[events]]\ndate = "2027-03-10"\nregion = "us-east-1"\naction = "lease"\ncount = 1\n'
        '[[events]]\ndate = "2027-03-20"\nregion = "us-east-1"\naction = "relinquish"\ncount = 1\n',
    )
    frame = budget(plan).to_frame()
    assert (frame.charge.tolist(), frame.refund.tolist()) == ([Decimal("8.85")], [Decimal("8.86")])


@pytest.mark.parametrize("lease_first", [True, False])
def test_one_days_events_apply_relinquishes_first_whatever_their_order(tmp_path, lease_first):
    # 2 IPs held since before 2027-04; on 04-16 one is leased and one relinquished. The
    # relinquish takes an IP held all along (charged 16 of 30 days: 13.31), never the new one
    # (charged 15 of 30 days: 24.95 x 15 / 30 = 12.475 -> 12.48), in either file order.
    lease = '[[events]]\ndate = "2027-04-16"\nregion = "us-east-1"\naction = "lease"\ncount = 1\n'
    gone = (
        '[[events]]\ndate = "2027-04-16"\nregion = "us-east-1"\naction = "relinquish"\ncount = 1\n'
    )
    plan = write(
        tmp_path,
        'start = "2027-04"\nmonths = 1\n[[regions]]\nregion = "us-east-1"\nips = 2\n'
        + (lease + gone if lease_first else gone + lease),
    )
    frame = budget(plan).to_frame()
    # 24.95 (kept all month) + 13.31 (relinquished) + 12.48 (leased) = 50.74
    assert frame.charge.tolist() == [Decimal("50.74")]
    assert frame.refund.tolist() == [Decimal("11.64")]  # 24.95 - 13.31


def test_events_replace_the_plans_event_log_whether_the_plan_is_a_path_or_read(tmp_path):
    # data/plan-2027.toml names events-2027.csv (4 events) beside its own [[events]]:
    # given events= a log of one lease, both forms budget the [[events]] and that lease,
    # never the plan's own log as well.
    log = tmp_path / "one.csv"
    log.write_text("date,region,action,count,pool\n2027-05-01,us-east-1,lease,1,transactional\n",
                   encoding="utf-8")  # fmt: skip
    by_path = budget(PLAN, events=log).to_frame()
    by_plan = budget(read_plan(PLAN), events=log).to_frame()
    assert by_path["charge"].sum() == by_plan["charge"].sum()
    assert by_path["leased"].sum() == by_plan["leased"].sum()
    plan = read_plan(PLAN).with_events_file(log)
    assert str(log) in [e.where.split(",")[0] for e in plan.events]
    assert not any(e.where.startswith(str(read_plan(PLAN).events_file)) for e in plan.events)
