"""Standard against managed dedicated IPs: tiered usage, boundaries, break-even, the command."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

import planner
from planner.edges.cli import app

runner = CliRunner()
DATE = "2027-01-01"


def managed(volume):
    return planner.compare(monthly_volume=volume, ips=2, date=DATE).managed_fee


def test_the_issue_example():
    # 15.00 base + 10M x 0.08 / 1,000 (800.00) + 10M x 0.04 / 1,000 (400.00) = 1,215.00
    c = planner.compare(monthly_volume=20_000_000, ips=4, date=DATE)
    assert c.managed_fee == Decimal("1215.00")
    assert c.standard_fee == Decimal("99.80")  # 4 x 24.95
    assert c.cheaper == "standard"
    # Break-even with 4 IPs: usage must reach 99.80 - 15.00 = 84.80, i.e. V x 8 / 1,000
    # cents rounded half up >= 8,480: V x 0.008 >= 8,479.5, V >= 1,059,937.5 -> 1,059,938.
    assert c.break_even_volume == 1_059_938
    assert managed(1_059_937) < c.standard_fee <= managed(1_059_938)


@pytest.mark.parametrize(
    ("volume", "fee"),
    [
        (0, "15.00"),  # the base fee alone
        (10_000_000, "815.00"),  # 15 + 10M x 0.08 / 1,000
        (10_000_001, "815.00"),  # + 1 x 0.04 / 1,000 = 0.00004: rounds to 0.00
        (10_000_125, "815.01"),  # + 125 x 0.04 / 1,000 = 0.005: half up to 0.01
        (50_000_000, "2415.00"),  # + 40M x 0.04 / 1,000 = 1,600
        (50_000_001, "2415.00"),
        (100_000_000, "3415.00"),  # + 50M x 0.02 / 1,000 = 1,000
    ],
)
def test_each_tier_boundary(volume, fee):
    assert managed(volume) == Decimal(fee)


def test_a_volume_above_the_last_published_tier_is_marked_unless_the_book_has_it(tmp_path):
    # Above the last published tier the managed lines have no price, and say so; every
    # other line is priced (FACTS.md: no managed usage price above 100M was found).
    c = planner.compare(monthly_volume=100_000_001, ips=2, date=DATE)
    assert c.managed_fee is None
    assert c.managed_missing == ("no managed usage price above 100,000,000 messages a month "
                                 "in the price book (add a tier with --prices)")  # fmt: skip
    assert c.standard_fee == Decimal("49.90")
    for line in c.bill:
        if line.ip_mode == "managed":
            assert line.total is None
            assert line.missing.startswith("no managed usage price above 100,000,000")
        else:
            assert line.total is not None
            assert line.missing is None
    text = (Path(planner.__path__[0]) / "data" / "prices.csv").read_text(encoding="utf-8")
    text += "managed-ip-usage,*,1000 messages,0.01,USD,2025-01-01,,100000000,1000000000,test: a user's tier\n"
    own = tmp_path / "prices.csv"
    own.write_text(text, encoding="utf-8")
    c = planner.compare(monthly_volume=100_000_100, ips=2, date=DATE, prices=own)
    assert c.managed_fee == Decimal("3415.00")  # + 100 x 0.01 / 1,000 = 0.001: rounds to 0.00


def test_standard_ips_are_sized_through_the_sizing_call():
    # 20M a month over 365/12 days is 657,534.2 a day: at 3M per IP a day and 0.8, 1 IP
    # for the rate, raised to the minimum of 2; the estimate for that volume agrees.
    c = planner.compare(monthly_volume=20_000_000, date=DATE)
    e = planner.estimate(daily_volume=20_000_000 * 12 / 365, date=DATE)
    assert c.ips == e.ips == 2


def test_command():
    result = runner.invoke(app, ["compare", "--monthly-volume", "20000000", "--ips", "4",
                                 "--date", DATE, "-f", "json"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["standard"] == {"ips": 4, "fee_per_ip": "24.95", "monthly_fee": "99.80"}
    assert data["managed"]["monthly_fee"] == "1215.00"
    assert (data["cheaper"], data["break_even_volume"]) == ("standard", 1059938)
    # 200M a month: every line the book prices is printed, the managed ones marked.
    big = runner.invoke(app, ["compare", "--monthly-volume", "200000000", "--date", DATE])
    assert big.exit_code == 0, big.stderr
    flat = " ".join(big.stdout.split())
    assert "managed (a la carte): no price: no managed usage price above 100,000,000" in flat
    # 200,000,000 x 0.10 / 1,000 = 20,000.00 a la carte with shared IPs (FACTS.md).
    assert "Money: the cheapest is a la carte with shared IPs, 20,000.00 USD a month" in big.stdout
    assert flat.count("no price: no managed usage price above") == 1 + 1  # top, note [1]
    cited = [line for line in big.stdout.splitlines() if line.endswith(" [1]")]
    assert len(cited) == 4  # each plan
    assert all(" managed IPs " in line for line in cited)
    bad = runner.invoke(app, ["compare", "--monthly-volume", "-5", "--date", DATE])
    assert bad.stderr.startswith("Error: --monthly-volume: -5 is not allowed")


def test_a_list_of_one_region_and_one_volume_is_the_single_case():
    # As the command line gives them: one Region, one volume and one count in lists is
    # one comparison. 4 IPs x 24.95 = 99.80 a month; managed: 15.00 base + 10M x 0.08 /
    # 1,000 + 10M x 0.04 / 1,000 = 1,215.00, as in test_the_issue_example.
    one = planner.compare(["us-east-1"], monthly_volume=[20_000_000], ips=[4], date="2027-01-01")
    assert type(one).__name__ == "Comparison"
    assert (one.standard_fee, one.managed_fee) == (Decimal("99.80"), Decimal("1215.00"))
    two = planner.compare(["us-east-1", "eu-west-1"], monthly_volume=[20_000_000, 1_000_000],
                          date="2027-01-01")  # fmt: skip
    assert type(two).__name__ == "Comparisons"
