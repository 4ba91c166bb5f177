from decimal import Decimal

import pandas as pd
import pytest

import planner
from planner.errors import InputError, UnknownNameError

DATE = "2026-11-27"


def test_design_example():
    # The worked example: 300 msg/s in us-east-1 at 40 msg/s per IP and 80 %:
    # ceil(300 / 32) = 10 IPs, spread 2,2,2,2,1,1; 10 x 24.95 = 249.50 a month.
    e = planner.estimate("us-east-1", rate=300, per_ip_rate=40, utilization=0.8, date=DATE)
    (r,) = e.regions
    assert (r.ips_for_rate, r.ips) == (10, 10)
    assert list(r.spread.values()) == [2, 2, 2, 2, 1, 1]
    assert list(r.spread) == [
        "use1-az1",
        "use1-az2",
        "use1-az4",
        "use1-az5",
        "use1-az6",
        "use1-az3",
    ]
    assert e.monthly_fee == Decimal("249.50")
    assert e.annual_fee == Decimal("2994.00")  # 12 x 249.50
    assert r.capacity == pytest.approx(320.0)  # 10 x 40 x 0.8
    assert r.capacity_one_az_down == pytest.approx(256.0)  # 8 x 32


def test_design_example_surviving_one_az():
    # 12 IPs, 2 in each of 6 AZs; 12 x 24.95 = 299.40.
    e = planner.estimate(
        "us-east-1", rate=300, per_ip_rate=40, utilization=0.8, az_failures=1, date=DATE
    )
    assert list(e.regions[0].spread.values()) == [2] * 6
    assert e.monthly_fee == Decimal("299.40")


def test_minimum_with_default_profile():
    # 1 msg/s needs 1 IP at 34.72 msg/s; the minimum raises it to 2.
    e = planner.estimate("eu-west-1", rate=1, date=DATE)
    assert (e.regions[0].ips_for_rate, e.ips) == (1, 2)
    assert e.assumptions.profile == "sendgrid"
    assert {r.setting: r.origin for r in e.assumptions.records}["min_per_region"] == "default"


def test_two_usable_zones_double_when_surviving_a_loss():
    # us-west-1: 2 usable AZs by default. 100 msg/s at 40 x 0.8 = 4 IPs for the rate;
    # each AZ must carry it alone -> 8.
    base = planner.estimate("us-west-1", rate=100, per_ip_rate=40, utilization=0.8, date=DATE)
    safe = planner.estimate(
        "us-west-1", rate=100, per_ip_rate=40, utilization=0.8, az_failures=1, date=DATE
    )
    assert (base.ips, safe.ips) == (4, 8)
    assert list(safe.regions[0].spread.values()) == [4, 4]


def test_rates_per_region_and_daily_volume():
    e = planner.estimate(
        ["us-east-1", "eu-west-1"], rate=[450, 120], per_ip_rate=40, utilization=0.8, date=DATE
    )
    # ceil(450 / 32) = 15, ceil(120 / 32) = 4
    assert [r.ips for r in e.regions] == [15, 4]
    # 8,640,000 a day with peak 2.5 -> 250 msg/s -> ceil(250 / 32) = 8.
    v = planner.estimate(
        "us-east-1",
        daily_volume=8_640_000,
        peak_factor=2.5,
        per_ip_rate=40,
        utilization=0.8,
        date=DATE,
    )
    assert v.regions[0].send_rate == pytest.approx(250.0)
    assert v.ips == 8


def test_explicit_ip_count_reports_the_rate_it_carries():
    e = planner.estimate("eu-west-1", ips=5, per_ip_rate=40, utilization=0.8, date=DATE)
    assert e.ips == 5
    assert e.regions[0].ips_for_rate is None
    assert e.regions[0].capacity == pytest.approx(160.0)  # 5 x 32
    assert e.assumptions.basis == "ips"


def test_azs_override():
    e = planner.estimate(
        ["us-east-1", "us-west-1"],
        rate=300,
        per_ip_rate=40,
        utilization=0.8,
        azs={"us-west-1": 3},
        date=DATE,
    )
    assert [r.availability_zones for r in e.regions] == [6, 3]
    assert list(e.regions[1].spread.values()) == [4, 3, 3]


def test_warnings():
    one = planner.estimate("us-east-1", ips=1, date=DATE)
    assert any("no Availability Zone redundancy" in w for w in one.warnings)
    # 0.05 msg/s is at most 4,320 a day, ~131,400 a month, over 2 IPs ~65,700 each:
    # below the 125,000 a month per IP that keeps an IP warm.
    cold = planner.estimate("us-east-1", rate=0.05, date=DATE)
    assert any("snowshoeing" in w for w in cold.warnings)
    warm = planner.estimate("us-east-1", rate=300, date=DATE)
    assert warm.warnings == ()


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"rate": -1}, InputError, "^rate: -1"),
        ({"rate": 0}, InputError, "^rate: 0"),
        ({"rate": float("nan")}, InputError, "^rate: nan"),
        ({}, InputError, "^rate is missing"),
        ({"rate": 5, "utilization": 1.2}, InputError, "^utilization: 1.2"),
        ({"rate": 5, "az_failures": 6}, InputError, "^az_failures: 6.*at most 5"),
        ({"rate": 5, "azs": 7}, InputError, "^azs: 7"),
        ({"rate": [1, 2]}, InputError, "^rate.*2 values for 1 Regions"),
        ({"rate": 5, "daily_volume": 5}, InputError, "^daily_volume"),
        ({"rate": 5, "profile": "nope"}, UnknownNameError, "^profile: unknown 'nope'"),
        ({"rate": 5, "date": "2026-02-30"}, InputError, "^date"),
    ],
)
def test_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        planner.estimate("us-east-1", **kwargs)


def test_unknown_and_duplicate_regions():
    with pytest.raises(UnknownNameError, match="us-east-1"):
        planner.estimate("us-eats-1", rate=5)
    with pytest.raises(InputError, match="each Region once"):
        planner.estimate(["us-east-1", "us-east-1"], rate=5)


def test_to_dict_keys_are_the_json_contract():
    d = planner.estimate("us-east-1", rate=300, date=DATE).to_dict()
    assert set(d) == {"currency", "price_date", "assumptions", "regions", "total"}
    assert set(d["regions"][0]) == {
        "region", "send_rate", "availability_zones", "ips_for_rate", "ips", "spread",
        "capacity", "capacity_one_az_down", "monthly_fee", "annual_fee",
    }  # fmt: skip
    assert set(d["total"]) == {"ips", "monthly_fee", "annual_fee"}


def test_frames_hold_the_hand_worked_numbers():
    # 300 msg/s at 40 x 0.8 = 32 msg/s per IP: ceil(9.375) = 10 IPs in each Region;
    # us-east-1 spreads them 2,2,2,2,1,1 over 6 AZs, eu-west-1 4,3,3 over 3.
    # 10 x 24.95 = 249.50 a month, 2,994.00 a year; both Regions 499.00.
    e = planner.estimate(
        ["us-east-1", "eu-west-1"], rate=300, per_ip_rate=40, utilization=0.8, date=DATE
    )
    frame = e.to_frame()
    assert isinstance(frame, pd.DataFrame)
    # DESIGN.md's JSON keys for a Region, then the currency.
    assert list(frame.columns) == ["region", "send_rate", "availability_zones", "ips_for_rate",
                                   "ips", "spread", "capacity", "capacity_one_az_down",
                                   "monthly_fee", "annual_fee", "currency"]  # fmt: skip
    assert frame["ips"].tolist() == [10, 10]
    assert frame["availability_zones"].tolist() == [6, 3]
    assert frame["capacity"].tolist() == [320.0, 320.0]
    assert frame["monthly_fee"].tolist() == [Decimal("249.50"), Decimal("249.50")]
    assert frame["monthly_fee"].sum() == Decimal("499.00")
    assert frame["annual_fee"].tolist() == [Decimal("2994.00"), Decimal("2994.00")]
    long = e.spread_frame()
    assert long.loc[long.region == "us-east-1", "ips"].tolist() == [2, 2, 2, 2, 1, 1]
    assert long.loc[long.region == "eu-west-1", "ips"].tolist() == [4, 3, 3]
