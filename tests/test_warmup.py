"""Warm-up: the shipped schedules, the day-by-day model, its properties and the command."""

import datetime as dt
import json
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

import planner
from planner.edges.cli import app
from planner.errors import InputError, UnknownNameError
from planner.files.tables import load_warmup

runner = CliRunner()

# The schedules as their sources publish them (../shared/FACTS.md), typed again here.
SENDGRID_HOURLY = [20, 28, 39, 55, 77, 108, 151, 211, 295, 413, 579, 810, 1000, 1587, 2222,
                   3111, 4356, 6098, 8583, 11953, 16734, 23427, 32798, 45917, 64284, 89998,
                   125997, 176395, 246953, 345735, 484029, 677640, 948696, 1328175, 1859444,
                   2603222, 3644511, 5102316, 7143242, 10000539, 14000754, 19601056]  # fmt: skip
SPARKPOST_DAILY = [200, 500, 1000, 2000, 5000, 10000, 20000, 40000, 50000, 75000, 100000,
                   150000, 200000, 250000, 325000, 400000, 500000, 600000, 750000, 1000000,
                   1250000, 1750000, 2000000, 3000000, 4250000, 5000000, 6000000, 7500000,
                   10000000]  # fmt: skip
MAILTRAP_HOURLY = [60, 80, 100, 130, 170, 220, 290, 380, 490, 640, 830, 1100, 1400, 1800, 2400,
                   3100, 4000, 5200, 6700, 8800, 11400]  # fmt: skip


@pytest.mark.parametrize(
    ("curve", "unit", "numbers"),
    [
        ("sendgrid", "per_hour", SENDGRID_HOURLY),
        ("sparkpost", "per_day", SPARKPOST_DAILY),
        ("mailtrap", "per_hour", MAILTRAP_HOURLY),
        ("linear", "share", [Fraction(d, 45) for d in range(1, 46)]),
    ],
)
def test_each_shipped_schedule_is_its_sources_numbers(curve, unit, numbers):
    shipped = load_warmup()[curve]
    assert shipped.unit == unit
    assert list(shipped.limits) == [Fraction(n) for n in numbers]
    assert shipped.source.startswith("[P]")


def test_caps_become_shares_of_the_per_ip_rate():
    # The sendgrid profile's 3,000,000 a day is 125,000 an hour: SendGrid's day-27 cap of
    # 125,997 an hour reaches it (share 1), its day-26 cap 89,998 is 0.719984 of it.
    shares = load_warmup()["sendgrid"].shares(3_000_000 / 86_400)
    assert shares[26] == 1.0
    assert shares[25] == pytest.approx(89_998 / 125_000)
    # SparkPost's daily caps over 86,400 s: day 1, 200 a day, of 40 msg/s.
    assert load_warmup()["sparkpost"].shares(40)[0] == pytest.approx(200 / 86_400 / 40)


def test_the_issue_example():
    # 4 IPs x 40 msg/s x 0.8 = 128 msg/s warm; linear: day d carries 128 d / 45 msg/s.
    # 64 msg/s needs d >= 22.5, so day 23: 2026-12-01 + 22 days = 2026-12-23.
    w = planner.warmup(ips=4, rate=64, start="2026-12-01", per_ip_rate=40, utilization=0.8)
    assert w.ready_date == dt.date(2026, 12, 23)
    assert w.capacity[21] == pytest.approx(128 * 22 / 45)  # day 22: 62.58, short of 64
    assert w.capacity[22] == pytest.approx(128 * 23 / 45)  # day 23: 65.42
    assert len(w.dates) == 46  # day 46: every IP warm
    assert w.capacity[-1] == pytest.approx(128)


def test_a_boundary_day_is_decided_exactly():
    # 5 IPs x 45 msg/s x 1.0 = 225 msg/s warm; day 10 carries 225 x 10 / 45 = 50 exactly,
    # which floats make 49.99999... or 50.0000...1: ready is day 10, not 11.
    w = planner.warmup(ips=5, rate=50, start="2027-01-01", per_ip_rate=45, utilization=1)
    assert w.ready_date == dt.date(2027, 1, 10)


def test_warm_and_partway_ips():
    # 2 warm IPs carry 2 x 40 x 0.8 = 64 from day 1: ready on the lease day.
    w = planner.warmup(ips=2, warm=2, rate=64, start="2027-01-01", per_ip_rate=40, utilization=0.8)
    assert w.ready_date == dt.date(2027, 1, 1)
    # An IP at 50 % continues the linear curve from day 23 (23/45 is the first share >= 1/2).
    w = planner.warmup(ips=0, partway=[(1, 50)], rate=1, start="2027-01-01", per_ip_rate=45,
                       utilization=1, days=3)  # fmt: skip
    assert w.capacity.tolist() == pytest.approx([45 * 23 / 45, 45 * 24 / 45, 45 * 25 / 45])
    # At 100 % it is warm.
    w = planner.warmup(ips=0, partway=[(1, 100)], rate=45, start="2027-01-01", per_ip_rate=45,
                       utilization=1, days=1)  # fmt: skip
    assert w.ready_date == dt.date(2027, 1, 1)


def test_a_fleet_too_small_is_never_ready():
    w = planner.warmup(ips=1, rate=100, start="2027-01-01", per_ip_rate=40, utilization=0.8)
    assert w.ready_date is None
    assert w.overflow[-1] == pytest.approx(100 - 32)


@given(
    st.integers(0, 20), st.integers(0, 5), st.floats(0.5, 500), st.sampled_from(["linear", "sendgrid", "sparkpost", "mailtrap"]),
    st.lists(st.tuples(st.integers(1, 3), st.integers(0, 100)), max_size=2),
)  # fmt: skip
def test_properties(ips, warm, rate, curve, partway):
    if ips + warm + sum(n for n, _ in partway) == 0:
        ips = 1
    w = planner.warmup(ips=ips, warm=warm, partway=partway, rate=rate, curve=curve,
                       start="2027-03-01", per_ip_rate=30, utilization=0.9)  # fmt: skip
    assert np.all(np.diff(w.capacity) >= 0)  # capacity never falls as days pass
    assert np.allclose(w.dedicated + w.overflow, rate)  # every day's traffic goes somewhere
    assert np.all(w.overflow >= 0)
    fewer = planner.warmup(ips=max(ips - 1, 0), warm=warm, partway=partway, rate=rate, curve=curve,
                           start="2027-03-01", per_ip_rate=30, utilization=0.9) if ips + warm + len(partway) > 1 else None  # fmt: skip
    if fewer is not None and w.ready_date is not None and fewer.ready_date is not None:
        assert fewer.ready_date >= w.ready_date  # never earlier with fewer IPs
    if fewer is not None and w.ready_date is None:
        assert fewer.ready_date is None


def test_command_json_contract_and_errors():
    result = runner.invoke(app, ["warmup", "--ips", "4", "--rate", "64", "--start", "2026-12-01",
                                 "--per-ip-rate", "40", "-f", "json"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["ready_date"], data["curve"]) == ("2026-12-23", "linear")
    assert list(data["days"][0]) == ["date", "day", "capacity", "dedicated", "overflow"]
    assert all(abs(d["dedicated"] + d["overflow"] - 64) < 1e-6 for d in data["days"])
    for args, message in [
        (["--curve", "sendgird"], "Error: --curve: unknown 'sendgird'; did you mean sendgrid?"),
        (["--partway", "2"], "Error: --partway: '2' is not allowed; expected N=PERCENT"),
        (
            ["--partway", "2=140"],
            "Error: --partway: 140 is not allowed; expected a warm-up percentage",
        ),
        (["--rate", "0"], "Error: --rate: 0 is not allowed"),
    ]:
        base = ["warmup", "--ips", "4", "--rate", "64", "--start", "2026-12-01"]
        bad = runner.invoke(app, base + args)
        assert bad.exit_code == 1
        assert bad.stderr.startswith(message), bad.stderr
    with pytest.raises(InputError, match="expected at least 1 IP"):
        planner.warmup(ips=0, rate=5, start="2027-01-01")
    with pytest.raises(UnknownNameError):
        planner.warmup(ips=1, rate=5, start="2027-01-01", curve="exponential")


def budget_of(tmp_path, text):
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    return planner.budget(path)


def test_a_budget_names_when_leased_ips_are_warm(tmp_path):
    # linear: the lease day is day 1 and day 45 is the first at full rate, 44 days on.
    frame = budget_of(tmp_path, 'start = "2027-03"\nmonths = 1\n[[events]]\ndate = "2027-03-10"\n'
                                'region = "eu-west-1"\naction = "lease"\ncount = 2\n')  # fmt: skip
    assert frame.ready == (dt.date(2027, 4, 23),)
    # sendgrid's hourly caps reach the default 125,000 an hour on its 27th day: 26 days on.
    frame = budget_of(tmp_path, 'start = "2027-03"\nmonths = 1\n[defaults]\ncurve = "sendgrid"\n'
                                '[[events]]\ndate = "2027-03-10"\nregion = "eu-west-1"\n'
                                'action = "lease"\ncount = 2\n')  # fmt: skip
    assert frame.ready == (dt.date(2027, 4, 5),)


def test_a_relinquish_below_the_sized_rate_warns(tmp_path):
    # 300 msg/s at 3,000,000 a day per IP (34.722 msg/s) x 0.8 = 27.78 msg/s an IP: 11 IPs.
    # Relinquishing 1 leaves 10, carrying 277.78 msg/s warm: below 300.
    head = ('start = "2027-01"\nmonths = 2\n[[regions]]\nregion = "us-east-1"\nrate = 300\n'
            '[[events]]\ndate = "2027-01-20"\nregion = "us-east-1"\naction = "relinquish"\n')  # fmt: skip
    frame = budget_of(tmp_path, head + "count = 1\n")
    assert frame.to_frame()["ips_start"].iloc[0] == 11
    (warning,) = frame.warnings
    assert "carries 277.78 msg/s warm, below the 300.00 msg/s it is sized for" in warning
    # With 1 more leased the day before, relinquishing 2 takes the newest first (the new
    # IP, then one old one): 10 old IPs remain, 277.78 msg/s, and still the warning.
    leased = ('[[events]]\ndate = "2027-01-19"\nregion = "us-east-1"\naction = "lease"\n'
              "count = 1\n")  # fmt: skip
    frame = budget_of(tmp_path, head + "count = 2\n" + leased)
    (warning,) = frame.warnings
    assert "after relinquishing 2 on 2027-01-20" in warning
    assert "carries 277.78 msg/s warm" in warning
    # A pool leased within the plan is still warming: 11 IPs leased 2027-01-20, one given
    # back on 01-31 (day 12 of 45): 10 x 27.78 x 12/45 = 74.07 msg/s.
    text = ('start = "2027-01"\nmonths = 2\n[[regions]]\nregion = "us-east-1"\nrate = 300\n'
            'since = "2027-01-20"\n[[events]]\ndate = "2027-01-31"\nregion = "us-east-1"\n'
            'action = "relinquish"\ncount = 1\n')  # fmt: skip
    (warning,) = budget_of(tmp_path, text).warnings
    assert "carries 74.07 msg/s warm" in warning
    # A pool given as an IP count has no rate to fall below.
    frame = budget_of(tmp_path, 'start = "2027-01"\n[[regions]]\nregion = "us-east-1"\nips = 4\n'
                                '[[events]]\ndate = "2027-01-20"\nregion = "us-east-1"\n'
                                'action = "relinquish"\ncount = 3\n')  # fmt: skip
    assert frame.warnings == ()
