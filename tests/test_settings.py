"""The settings resolver and the one sizing call (planner.scenario.settings)."""

import math
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from typer.testing import CliRunner

import planner
from planner.edges.cli import app
from planner.errors import InputError, UnknownNameError
from planner.files.plans import Plan, RegionLine
from planner.files.tables import load_regions
from planner.files.values import Layer, check_layer
from planner.model.sizing import ceil_ratio, ips_for_rate
from planner.scenario.settings import resolve, resolve_billing, size

runner = CliRunner()
DATE = "2026-11-27"
CATALOG = load_regions()


def write(tmp_path, text):
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    return path


def plan_with(tmp_path, entry="", defaults=""):
    return write(
        tmp_path,
        'start = "2027-01"\nmonths = 1\n'
        + (f"[defaults]\n{defaults}\n" if defaults else "")
        + f'[[regions]]\nregion = "us-east-1"\nrate = 300\n{entry}\n',
    )


# ------------------------------------------------------------------ exact sizing


def test_the_issue_examples_size_exactly():
    # 1375.000001 / (12.5 x 0.55) = 1375.000001 / 6.875 = 200.000000145... -> 201.
    assert int(ips_for_rate(1375.000001, 12.5, 0.55)) == 201
    # 1,000,800,001 messages a day at 3,000,000 per IP per day x 0.8:
    # 1000800001 / 2400000 = 417.0000004... -> 418.
    e = planner.estimate(rate=None, daily_volume=1000800001, utilization=0.8, min_per_region=1,
                         date=DATE)  # fmt: skip
    assert e.regions[0].ips_for_rate == 418
    # Exact multiples stay put: 315 / (45 x 0.7) = 315 / 31.5 = 10, 32 / (40 x 0.8) = 1.
    assert int(ips_for_rate(315, 45, 0.7)) == 10
    assert int(ips_for_rate(32, 40, 0.8)) == 1


@pytest.mark.parametrize(
    ("args", "ips"),
    [
        (["--rate", "1375.000001", "--per-ip-rate", "12.5", "--utilization", "0.55"], 201),
        (["--daily-volume", "1000800001", "--utilization", "0.8"], 418),
    ],
)
def test_the_issue_examples_on_the_command_line(args, ips):
    result = runner.invoke(app, ["estimate", *args, "--min-per-region", "1", "--date", DATE,
                                 "-f", "json"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert f'"ips_for_rate": {ips},' in result.stdout


def test_the_issue_examples_in_a_plan(tmp_path):
    path = write(
        tmp_path,
        'start = "2027-01"\nmonths = 1\n[defaults]\nmin_per_region = 1\n'
        '[[regions]]\nregion = "us-east-1"\nrate = 1375.000001\nper_ip_rate = 12.5\n'
        "utilization = 0.55\n"
        '[[regions]]\nregion = "eu-west-1"\ndaily_volume = 1000800001\nutilization = 0.8\n',
    )
    frame = planner.budget(path).to_frame()
    # 201 IPs over 6 AZs, 418 over 3: ceil to whole AZ layers is not asked (az_failures 0).
    assert frame["ips_start"].tolist() == [201, 418]


# Decimals as a person types them: up to 4 places, rates to a million.
decimals = st.builds(
    lambda whole, frac, places: f"{whole}.{frac:0{places}d}" if places else str(whole),
    st.integers(0, 1_000_000),
    st.integers(0, 9999),
    st.sampled_from([0, 1, 2, 4]),
).filter(lambda t: Fraction(t) > 0 and len(t.split(".")[-1]) <= 4)
utilizations = st.integers(1, 100).map(lambda p: f"0.{p:02d}" if p < 100 else "1")


@given(rate=decimals, per_ip=decimals, utilization=utilizations)
def test_ceil_ratio_matches_rational_arithmetic(rate, per_ip, utilization):
    exact = Fraction(rate) / (Fraction(per_ip) * Fraction(utilization))
    # Within planner.model.limits: per-IP rates 0.001 to 1,000,000, at most 10,000,000 IPs.
    assume(Fraction("0.001") <= Fraction(per_ip) <= 10**6 and exact <= 10**7)
    expected = max(math.ceil(exact), 1)
    assert int(ips_for_rate(float(rate), float(per_ip), float(utilization))) == expected


@given(st.integers(1, 10_000), st.integers(1, 500), st.integers(1, 100))
def test_exact_multiples_and_their_neighbours(ips, per_ip, percent):
    # rate = ips x per_ip x u exactly (as decimals) needs exactly `ips`; a millionth
    # of a message per second more needs one more.
    u = Fraction(percent, 100)
    rate = Fraction(ips * per_ip) * u
    text = f"{float(rate):.6f}"
    if Fraction(text) != rate:  # not a 6-place decimal: not this test's case
        return
    assert int(ips_for_rate(float(text), per_ip, float(u))) == ips
    more = float(Fraction(text) + Fraction(1, 10**6))
    assert int(ips_for_rate(more, per_ip, float(u))) == ips + 1


def test_ceil_ratio_is_vectorised():
    rates = np.array([[315.0, 316.0], [1375.000001, 32.0]])
    assert ceil_ratio([rates], [45, 0.7]).tolist() == [[10, 11], [44, 2]]


# ---------------------------------------------------------------------- resolver


def test_first_layer_wins_then_the_shipped_default():
    given = check_layer(Layer(None, {"utilization": "0.5"}))
    entry = check_layer(Layer("plan.toml, [[regions]] #1", {"utilization": 0.6, "azs": 3}))
    defaults = check_layer(Layer("plan.toml, [defaults]", {"utilization": 0.7, "az_failures": 1}))
    s = resolve("us-east-1", [given, entry, defaults], CATALOG)
    assert (s.utilization, s.azs, s.az_failures, s.min_per_region) == (0.5, 3, 1, 2)
    origins = {a.setting: a.origin for a in s.assumptions}
    assert origins["utilization"] == "given"
    assert origins["azs"] == "plan.toml, [[regions]] #1"
    assert origins["az_failures"] == "plan.toml, [defaults]"
    assert origins["min_per_region"] == "default"
    assert "AWS" in s.assumption("min_per_region").source  # defaults.csv names its source


def test_profile_and_per_ip_rate_are_one_choice():
    # An entry's per-IP rate replaces a profile in [defaults] ...
    entry = check_layer(Layer("e", {"per_ip_rate": 40}))
    defaults = check_layer(Layer("d", {"profile": "mandrill"}))
    s = resolve("us-east-1", [entry, defaults], CATALOG)
    assert (s.per_ip_rate, s.profile) == (40.0, None)
    # ... the profile applies where nothing nearer gives a capacity: 500000 / 86400.
    s = resolve("us-east-1", [Layer("e", {}), defaults], CATALOG)
    assert s.profile == "mandrill"
    assert s.per_ip_exact == (500000.0, 86400.0)
    # ... and both in one place is an error, as on the command line.
    with pytest.raises(InputError, match="^e: profile: 'sendgrid' is not allowed; a per-IP"):
        check_layer(Layer("e", {"per_ip_rate": 40, "profile": "sendgrid"}))


@pytest.mark.parametrize(
    ("entry", "option", "message"),
    [
        ("azs = 9", ["--azs", "9"],
         "azs: 9 is not allowed; us-east-1 has 6 Availability Zones in the Region table; "
         "expected 1 to 6"),
        ("azs = 0", ["--azs", "0"], "azs: 0 is not allowed; expected 1 to 32 Availability Zones"),
        ("peak_factor = 0.5", ["--peak-factor", "0.5"],
         "peak_factor: 0.5 is not allowed; expected a ratio of peak to average rate of 1 to 1,000"),
        ('profile = "sendgrid"\nper_ip_rate = 40', ["--profile", "sendgrid", "--per-ip-rate", "40"],
         "profile: 'sendgrid' is not allowed; a per-IP rate was given too"),
        ("utilization = 1.5", ["--utilization", "1.5"], "utilization: 1.5 is not allowed"),
        ("az_failures = 6", ["--az-failures", "6"],
         "az_failures: 6 is not allowed; us-east-1 has 6 usable Availability Zones"),
        ('profile = "sendgird"', ["--profile", "sendgird"],
         "profile: unknown 'sendgird'; did you mean sendgrid?"),
    ],
)  # fmt: skip
def test_plan_settings_are_errors_worded_like_the_options(tmp_path, entry, option, message):
    cli = runner.invoke(app, ["estimate", "--rate", "300", *option, "--date", DATE])
    assert cli.exit_code == 1
    field = message.split(":")[0]
    assert cli.stderr.startswith(f"Error: --{field.replace('_', '-')}{message[len(field) :]}")
    path = plan_with(tmp_path, entry)
    result = runner.invoke(app, ["budget", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {path}, [[regions]] #1: {message}")
    assert result.stderr.count("\n") == 1
    # The same in [defaults], named as such.
    if not entry.startswith('profile = "sendgrid"'):
        path = plan_with(tmp_path, "", entry)
        result = runner.invoke(app, ["budget", str(path)])
        assert result.stderr.startswith(f"Error: {path}, [defaults]: {message}")


def test_estimate_and_budget_size_through_the_same_call(tmp_path):
    # Same settings, same rates: the budget's fleet is the estimate's, Region by Region.
    rates = {"us-east-1": 450, "eu-west-1": 120, "us-west-1": 33.3, "ap-northeast-1": 999.99}
    e = planner.estimate(list(rates), rate=list(rates.values()), az_failures=1, date=DATE)
    lines = tuple(RegionLine(r, rate=v) for r, v in rates.items())
    plan = Plan(start="2027-01", months=1, defaults={"az_failures": 1}, regions=lines)
    frame = planner.budget(plan).to_frame()
    assert frame["ips_start"].tolist() == [row.ips for row in e.regions]
    # And options given to budget come first, as they do for estimate.
    assert planner.budget(plan, az_failures=0).to_frame()["ips_start"].tolist() == [
        row.ips
        for row in planner.estimate(list(rates), rate=list(rates.values()), date=DATE).regions
    ]


def test_size_names_the_row_it_rejects():
    rows = [resolve("us-east-1", [], CATALOG)] * 2
    with pytest.raises(InputError, match=r"^p.toml, \[\[regions\]\] #2: rate: -3 is not allowed"):
        size(rows, rate=[300, -3], where=["p.toml, [[regions]] #1", "p.toml, [[regions]] #2"])
    with pytest.raises(InputError, match="^rate is missing"):
        size(rows)


def test_billing_defaults_carry_their_source():
    billing = resolve_billing([])
    assert (billing.day_count, billing.lease_proration) == ("inclusive", "daily")
    assert all(a.origin == "default" and a.source for a in billing.assumptions)
    given = resolve_billing([check_layer(Layer(None, {"day_count": "Exclusive"}))])
    assert given.day_count == "exclusive"
    with pytest.raises(UnknownNameError):
        check_layer(Layer(None, {"profile": "nope"}))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["relinquish", "-r", "us-east-1", "--count", "2", "--date", "2026-11-15",
          "--day-count", "sometimes"],
         "Error: --day-count: 'sometimes' is not allowed; expected one of inclusive, exclusive\n"),
        (["budget", "data/plan-2027.toml", "--lease-proration", "weekly"],
         "Error: --lease-proration: 'weekly' is not allowed; expected one of daily, full-month\n"),
    ],
)  # fmt: skip
def test_billing_options_are_checked_by_the_resolver(args, message, monkeypatch):
    monkeypatch.chdir(Path(__file__).resolve().parents[1])
    result = runner.invoke(app, args)
    assert (result.exit_code, result.stderr) == (1, message)


def test_budget_options_come_before_the_plan():
    # data/plan-2027.toml says day_count inclusive; the option says exclusive: us-east-1
    # marketing relinquishes 2 on 2027-06-15, billed 14 of 30 days: 2 x 11.64 = 23.28,
    # plus 2 IPs all June, 49.90: 73.18 (inclusive it is 74.86).
    plan = Path(__file__).resolve().parents[1] / "data" / "plan-2027.toml"
    result = planner.budget(plan, day_count="exclusive")
    frame = result.to_frame()
    june = frame[(frame.month == "2027-06") & (frame.pool == "marketing")]
    assert june.charge.tolist() == [Decimal("73.18")]
    origins = {a.setting: a.origin for a in result.billing.assumptions}
    assert origins["day_count"] == "given"
    assert origins["lease_proration"].endswith("[defaults]")


positive = st.floats(min_value=1e-6, max_value=1e9, allow_nan=False, allow_infinity=False)


@given(st.lists(st.tuples(positive, positive, positive), min_size=1, max_size=40))
def test_ceil_ratio_agrees_with_fractions_of_the_shortest_form_of_any_float(triples):
    # Quotients of up to 2**52 IPs: far beyond any fleet, inside what a float counts exactly.
    triples = [t for t in triples if t[0] / (t[1] * t[2]) < 2**52 / 4]
    if not triples:
        return
    # Any float, short decimal or not (1/3, 0.1 + 0.2): the answer is the ceiling of the
    # exact quotient of each float's shortest decimal form, element by element.
    a, b, c = (np.array(column) for column in zip(*triples, strict=True))
    expected = [
        math.ceil(Fraction(repr(x)) / (Fraction(repr(y)) * Fraction(repr(z))))
        for x, y, z in triples
    ]
    assert ceil_ratio([a], [b, c]).tolist() == expected
    # The same quotients made whole on purpose: x = y x z x k exactly, as decimals.
    k = np.arange(1, len(triples) + 1)
    whole = [
        float(Fraction(repr(y)) * Fraction(repr(z)) * int(n))
        for (_, y, z), n in zip(triples, k, strict=True)
    ]
    expected_whole = [
        math.ceil(Fraction(repr(w)) / (Fraction(repr(y)) * Fraction(repr(z))))
        for w, (_, y, z) in zip(whole, triples, strict=True)
    ]
    assert ceil_ratio([np.array(whole)], [b, c]).tolist() == expected_whole


def test_the_three_readers_of_a_whole_number_agree():
    # One rule: a number as float() reads it whose value is whole; "1,000", 7.5 and
    # booleans are not whole numbers. Each reader is asked the same texts.
    from planner.files import typed
    from planner.files.values import raw_number
    from planner.model.checks import as_int

    readers = {
        "typed.whole": lambda v: typed.whole("n", v),
        "as_int": lambda v: int(as_int("n", v)),
        "settings": lambda v: int(raw_number("n", v, None, True)),
    }
    accepted = {"1000": 1000, " 7 ": 7, "1e3": 1000, "7.0": 7, "-3": -3, "1_000": 1000, 12: 12}
    refused = ["1,000", "7.5", "seven", True, "nan", "inf"]
    for name, read in readers.items():
        for text, value in accepted.items():
            assert read(text) == value, (name, text)
        for text in refused:
            with pytest.raises(planner.InputError):
                read(text)
