import json
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from planner.edges.cli import app
from planner.errors import InputError, PriceNotFoundError, UnknownNameError
from planner.ops.relinquishes import relinquish, relinquish_schedule

runner = CliRunner()


def money(value):
    """Results hold money as exact Decimal amounts; compare their text."""
    assert isinstance(value, Decimal)
    return str(value)


def test_worked_examples():
    r = relinquish("us-east-1", 2, "2026-11-15")
    assert (money(r.charge_per_ip), money(r.refund_per_ip)) == ("12.48", "12.47")
    assert (money(r.charge), money(r.refund)) == ("24.96", "24.94")
    x = relinquish("us-east-1", 2, "2026-11-15", day_count="exclusive")
    assert (money(x.charge_per_ip), money(x.refund_per_ip)) == ("11.64", "13.31")
    leap = relinquish("us-east-1", 1, "2028-02-10")
    assert (leap.days_in_month, money(leap.charge_per_ip)) == (29, "8.60")


def test_cost_of_delay():
    # Day 15 -> 16 of November: 24.95 x 16 / 30 = 13.3067 -> 13.31; 13.31 - 12.48 = 0.83 per IP.
    assert money(relinquish("us-east-1", 2, "2026-11-15").cost_per_day_of_delay) == "1.66"
    # From the 30th (billed whole) to 1 December: 24.95 x 1 / 31 = 0.80 per IP.
    assert money(relinquish("us-east-1", 1, "2026-11-30").cost_per_day_of_delay) == "0.80"


def test_held_before_and_after():
    r = relinquish("us-east-1", 3, "2026-11-12", held=10)
    assert (money(r.monthly_fee_before), money(r.monthly_fee_after)) == ("249.50", "174.65")


def test_schedule_is_the_same_code_row_by_row():
    table = relinquish_schedule("us-east-1", "2026-11", count=2).to_frame()
    assert len(table) == 30
    row = table.loc[table.day == 15].iloc[0]
    # 24.95 x 15 / 30 = 12.475, half up 12.48; refund 24.95 - 12.48; two IPs 24.96.
    assert (row.charge_per_ip, row.refund_per_ip, row.charge) == (
        Decimal("12.48"),
        Decimal("12.47"),
        Decimal("24.96"),
    )
    assert (table.charge_per_ip + table.refund_per_ip == Decimal("24.95")).all()
    assert table.charge_per_ip.is_monotonic_increasing
    single = [relinquish("us-east-1", 2, f"2026-11-{d:02d}").charge for d in range(1, 31)]
    assert table.charge.tolist() == single


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        (("us-east-1", 0, "2026-11-15"), InputError, "^count: 0"),
        (("us-east-1", -2, "2026-11-15"), InputError, "^count: -2"),
        (("us-east-1", 1, "2026-02-30"), InputError, "^date: '2026-02-30'"),
        (("us-eest-1", 1, "2026-11-15"), UnknownNameError, "did you mean"),
    ],
)
def test_bad_input(args, error, match):
    with pytest.raises(error, match=match):
        relinquish(*args)
    with pytest.raises(InputError, match="^held: 1"):
        relinquish("us-east-1", 2, "2026-11-15", held=1)


def test_cli_table_and_json():
    args = ["relinquish", "--region", "us-east-1", "--count", "2", "--date", "2026-11-15"]
    table = runner.invoke(app, args)
    assert table.exit_code == 0
    assert "12.48" in table.stdout
    assert "12.47" in table.stdout
    assert "irreversible" in table.stdout
    data = json.loads(runner.invoke(app, [*args, "-f", "json"]).stdout)
    assert set(data) >= {
        "region", "date", "count", "day_count", "days_in_month", "days_billed",
        "monthly_fee_per_ip", "charge_per_ip", "refund_per_ip", "charge", "refund",
        "cost_per_day_of_delay", "irreversible",
    }  # fmt: skip
    assert data["irreversible"] is True
    assert (data["charge_per_ip"], data["refund_per_ip"]) == ("12.48", "12.47")
    excl = json.loads(runner.invoke(app, [*args, "--day-count", "exclusive", "-f", "json"]).stdout)
    assert (excl["charge_per_ip"], excl["refund_per_ip"]) == ("11.64", "13.31")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--count", "0", "--date", "2026-11-15"],
            "Error: --count: 0 is not allowed; expected 1 to 10,000,000 IPs",
        ),
        (["--count", "2", "--date", "2026-02-30"], "Error: --date: '2026-02-30' is not allowed"),
        (["--count", "two", "--date", "2026-11-15"], "Error: --count: 'two' is not allowed"),
        (
            ["--count", "3", "--date", "2026-11-15", "--held", "2"],
            "Error: --held: 2 is not allowed",
        ),
    ],
)
def test_cli_errors(args, message):
    result = runner.invoke(app, ["relinquish", "--region", "us-east-1", *args])
    assert result.exit_code == 1
    assert result.stderr.startswith(message), result.stderr
    assert result.stderr.count("\n") == 1


def test_a_price_book_ending_this_month_prices_every_day_but_the_last(tmp_path):
    # A price book whose only row ends on 30 November 2026: relinquishing on the 15th
    # needs no December price; on the 30th a day's delay reaches December, so it must ask.
    book = tmp_path / "prices.csv"
    book.write_text(
        "sku,region,unit,price,currency,effective_from,effective_to,tier_from,tier_to,source\n"
        "dedicated-ip,*,IP-month,24.95,USD,2025-01-01,2026-11-30,,,test\n"
    )
    r = relinquish("us-east-1", 2, "2026-11-15", prices=book)
    assert (money(r.charge), r.next_month_fee) == ("24.96", None)
    with pytest.raises(PriceNotFoundError, match="2026-12-01"):
        relinquish("us-east-1", 2, "2026-11-30", prices=book)
