"""The fleet ledger against a slow reference that follows every IP one day at a time.

The reference knows nothing of cohorts, stacks or arrays: it keeps a list of IPs, each
with its lease day and relinquish day, walks the calendar day by day applying a day's
relinquishes (newest IPs of the pool first) before its leases, and bills each IP-month
by counting its days (inclusive day count, daily lease proration, half up per IP-month).
"""

import calendar
import datetime as dt
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import planner
from planner.files.plans import Event, Plan, RegionLine
from planner.files.tables import load_warmup
from planner.model.ledger import day_number
from planner.scenario.ledgers import plan_ledger
from planner.scenario.scenario import Scenario

FEE = Fraction(2495)  # cents per IP-month, the shipped price
POOLS = [("us-east-1", "a"), ("us-east-1", "b"), ("eu-west-1", "default")]


def half_up(x: Fraction) -> int:
    return int(x + Fraction(1, 2))


def month_days(year: int, month: int) -> list[dt.date]:
    return [dt.date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)]


def months_from(start: str, count: int) -> list[tuple[int, int]]:
    year, month = map(int, start.split("-"))
    return [(y, m + 1) for y, m in (divmod(year * 12 + month - 1 + i, 12) for i in range(count))]


class Reference:
    """IPs one by one: [region, pool, lease day or None (held before), end day or None]."""

    def __init__(self, lines, events, first_day, last_day):
        self.ips = []
        pending = []  # (day, action, region, pool, count) of Region lines with `since`
        for region, pool, count, since in lines:
            if since is None:
                self.ips += [[region, pool, None, None] for _ in range(count)]
            else:
                pending.append((since, "lease", region, pool, count))
        pending += [(e.date, e.action, e.region, e.pool, e.count) for e in events]
        self.short = None
        day = min([first_day, *(p[0] for p in pending)])
        last_day = max([last_day, *(p[0] for p in pending)])  # every event applies
        while day <= last_day:
            today = [p for p in pending if p[0] == day]
            for _, _, region, pool, count in [p for p in today if p[1] == "relinquish"]:
                held = [ip for ip in self.ips if ip[:2] == [region, pool] and ip[3] is None
                        and (ip[2] is None or ip[2] < day)]  # fmt: skip
                if count > len(held):
                    self.short = (day, region, pool, count, len(held))
                    return
                held.sort(key=lambda ip: dt.date.min if ip[2] is None else ip[2])
                for ip in held[len(held) - count :]:  # the newest
                    ip[3] = day
            for _, _, region, pool, count in [p for p in today if p[1] == "lease"]:
                self.ips += [[region, pool, day, None] for _ in range(count)]
            day += dt.timedelta(days=1)

    def held(self, region, pool, day):
        """IPs held on ``day`` after its events."""
        return sum(
            1 for r, p, lease, end in self.ips
            if (r, p) == (region, pool) and (lease is None or lease <= day) and (end is None or end > day)
        )  # fmt: skip

    def budget(self, months):
        """{(month, region, pool): (ips_start, leased, relinquished, ip_days, charge, refund)}."""
        out = {}
        for year, month in months:
            days = month_days(year, month)
            first, last, d = days[0], days[-1], len(days)
            for region, pool, lease, end in self.ips:
                start = first if lease is None or lease < first else lease
                stop = last if end is None or end > last else end
                billed = max(0, (stop - start).days + 1) if start <= last else 0
                kept = max(0, (last - start).days + 1) if start <= last else 0
                charge = half_up(FEE * billed / d)
                gone = end is not None and first <= end <= last and start <= end
                row = [
                    int((lease is None or lease < first) and (end is None or end >= first)),
                    int(lease is not None and first <= lease <= last),
                    int(gone),
                    billed,
                    charge,
                    half_up(FEE * kept / d) - charge if gone else 0,
                ]
                key = (f"{year}-{month:02d}", region, pool)
                out[key] = [a + b for a, b in zip(out.get(key, [0] * 6), row, strict=True)]
        return {k: tuple(v) for k, v in out.items() if v[0] + v[1] > 0}


def frame_rows(frame):
    return {
        (str(r.month), r.region, r.pool): (
            r.ips_start, r.leased, r.relinquished, r.ip_days,
            int(r.charge * 100), int(r.refund * 100),
        )
        for r in frame.itertuples()
    }  # fmt: skip


def a_day(lo: dt.date, hi: dt.date):
    return st.integers(0, (hi - lo).days).map(lambda n: lo + dt.timedelta(days=n))


@st.composite
def plans(draw):
    """A plan starting 2027-03 with Region lines held or leased on both sides of its start,
    feasible events, and a budget start before, at or after the plan's."""
    lines = []
    for region, pool in draw(st.lists(st.sampled_from(POOLS), min_size=1, max_size=3, unique=True)):
        since = draw(st.none() | a_day(dt.date(2026, 12, 20), dt.date(2027, 7, 31)))
        lines.append((region, pool, draw(st.integers(1, 6)), since))
    events = []
    for _ in range(draw(st.integers(0, 8))):
        region, pool = draw(st.sampled_from([(r, p) for r, p, _, _ in lines]))
        action = draw(st.sampled_from(["lease", "relinquish"]))
        when = draw(a_day(dt.date(2027, 3, 1), dt.date(2027, 9, 30)))
        events.append(Event(date=when, region=region, action=action,
                            count=draw(st.integers(1, 4)), pool=pool, where="gen"))  # fmt: skip
    start = draw(st.sampled_from(["2027-01", "2027-02", "2027-03", "2027-04", "2027-05"]))
    return lines, events, start, draw(st.integers(1, 9))


def as_plan(lines, events):
    return Plan(
        start="2027-03",
        months=12,
        regions=tuple(
            RegionLine(r, pool=p, ips=n, since=s, where=f"line {r} {p}") for r, p, n, s in lines
        ),
        events=tuple(events),
    )


@settings(max_examples=150)
@given(plans())
def test_budgets_match_the_day_by_day_reference(drawn):
    lines, events, start, months = drawn
    horizon = months_from(start, months)
    first = dt.date(*horizon[0], 1)
    last = month_days(*horizon[-1])[-1]
    reference = Reference(lines, events, min(first, dt.date(2027, 3, 1)), last)
    plan = as_plan(lines, events)
    if reference.short is not None:  # the plan relinquishes IPs it does not hold
        day, region, pool, count, held = reference.short
        with pytest.raises(planner.PlannerError) as caught:
            planner.budget(plan, start=start, months=months)
        assert (
            f"relinquishes {count} IPs in {region} pool {pool!r} on {day}, but only {held} "
            in str(caught.value)
        )
        return
    frame = planner.budget(plan, start=start, months=months).to_frame()
    assert frame_rows(frame) == reference.budget(horizon)


@settings(max_examples=100)
@given(plans())
def test_held_and_warm_capacity_match_the_reference(drawn):
    lines, events, _, _ = drawn
    last = dt.date(2027, 12, 31)
    reference = Reference(lines, events, dt.date(2027, 3, 1), last)
    if reference.short is not None:
        return
    plan = as_plan(lines, events)
    found = plan_ledger(plan, Scenario.build(plan=plan), start="2027-03-01")
    days = [dt.date(2027, 3, 1) + dt.timedelta(days=k) for k in range(0, 306, 7)]
    curves = found.curves()
    for g, (region, pool) in enumerate(found.ledger.groups):
        held = found.ledger.held(g, [day_number(d) for d in days]).tolist()
        assert held == [reference.held(region, pool, d) for d in days]
        warm = found.ledger.warm(g, [day_number(d) for d in days], curves)
        # Linear warm-up: on day k of its lease (the lease day is day 1) an IP carries k/45;
        # IPs held from before the plan are warm.
        expected = []
        for d in days:
            total = Fraction(0)
            for r, p, lease, end in reference.ips:
                if (
                    (r, p) != (region, pool)
                    or (lease is not None and lease > d)
                    or (end is not None and end <= d)
                ):
                    continue
                total += 1 if lease is None else min(Fraction((d - lease).days + 1, 45), 1)
            expected.append(float(total))
        assert np.allclose(warm, expected, rtol=0, atol=1e-9)


def test_a_line_leased_inside_an_earlier_budget_is_billed_from_its_lease():
    # The plan starts 2027-03; budgeted from 2027-02, its line leased 2027-02-05 (4 IPs,
    # eu-central-1) holds 24 of February's 28 days: 96 IP-days, 4 x 24.95 x 24/28 =
    # 4 x 21.385 -> 4 x 21.39 = 85.56, shown as 4 IPs leased that month.
    plan = Plan(start="2027-03", months=3,
                regions=(RegionLine("eu-central-1", ips=4, since=dt.date(2027, 2, 5)),))  # fmt: skip
    row = planner.budget(plan, start="2027-02").to_frame().iloc[0]
    assert (str(row.month), row.ips_start, row.leased, row.ip_days) == ("2027-02", 0, 4, 96)
    assert row.charge == Decimal("85.56")


def test_a_relinquish_takes_the_newest_ips_and_warm_capacity_counts_partway_ones():
    # 10 IPs held (warm), 4 leased 2027-03-01, 2 more leased 2027-03-11; relinquishing 3
    # on 2027-03-21 takes the 2 of the 11th and 1 of the 1st. On 2027-03-21 the 3 left of
    # the 1st are on day 21 (21/45 each): 10 + 3 x 21/45 = 11.4 warm IPs.
    plan = Plan(start="2027-03", months=1, regions=(RegionLine("us-east-1", ips=10),),
                events=(Event(dt.date(2027, 3, 1), "us-east-1", "lease", 4),
                        Event(dt.date(2027, 3, 11), "us-east-1", "lease", 2),
                        Event(dt.date(2027, 3, 21), "us-east-1", "relinquish", 3)))  # fmt: skip
    found = plan_ledger(plan, Scenario.build(plan=plan))
    day = day_number(dt.date(2027, 3, 21))
    assert int(found.ledger.held(0, day)) == 13
    assert float(found.ledger.warm(0, day, found.curves())) == float(10 + Fraction(3 * 21, 45))
    # The warm-IP equivalents exactly, from the curve's exact shares.
    shares = load_warmup()["linear"].exact_shares(Fraction(625, 18))
    assert found.ledger.warm_exact(0, day, shares) == 10 + Fraction(3 * 21, 45)
