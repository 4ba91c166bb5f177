"""Budgets that know the volume sent: outbound mail and the pricing plan's fee by month.

Expected figures are worked by hand from the shipped price book (planner/data/prices.csv):
outbound mail per 1,000 recipients, Essentials 0.16 to 10M / 0.14 to 100M, Pro 0.22 to
10M, no plan 0.10; plan fee per Region-month, Pro 105.00, Essentials 0.00.
"""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.edges.cli import app
from planner.files.plans import plan_toml, read_plan
from planner.ops.budgets import budget

runner = CliRunner()

ESSENTIALS = """\
start = "2027-01"
months = 2
pricing_plan = "essentials"
[[regions]]
region = "us-east-1"
pool = "a"
daily_volume = 500000
[[regions]]
region = "us-east-1"
pool = "b"
ips = 2
[[volumes]]
month = "2027-02"
region = "us-east-1"
pool = "b"
messages = 3000000
"""


def _plan(tmp_path, text, name="plan.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def _money(frame, column):
    return {(str(r.month), r.region, r.pool): getattr(r, column) for r in frame.itertuples()}


def test_region_mail_is_tiered_on_the_whole_region_and_shared_by_volume(tmp_path):
    frame = budget(_plan(tmp_path, ESSENTIALS)).to_frame()
    mail = _money(frame, "mail")
    # January: pool a sends 500,000 x 31 = 15.5M; b nothing.
    # 10M x 0.16/1000 = 1,600.00; 5.5M x 0.14/1000 = 770.00; total 2,370.00.
    assert mail[("2027-01", "us-east-1", "a")] == Decimal("2370.00")
    assert mail[("2027-01", "us-east-1", "b")] == Decimal("0.00")
    # February: a 500,000 x 28 = 14M, b 3M; Region 17M: 1,600.00 + 7M x 0.14/1000 = 980.00
    # = 2,580.00, shared 14:3 -> 2,124.705... and 455.294... -> 2,124.71 + 455.29
    # (largest remainder keeps the Region's 2,580.00 whole).
    assert mail[("2027-02", "us-east-1", "a")] == Decimal("2124.71")
    assert mail[("2027-02", "us-east-1", "b")] == Decimal("455.29")
    assert set(_money(frame, "plan_fee").values()) == {Decimal("0.00")}
    assert list(frame.columns)[-3:] == ["mail", "plan_fee", "currency"]


def test_pro_plan_fee_once_per_region_and_daily_volume_from_its_since_date(tmp_path):
    text = """\
start = "2027-01"
months = 1
pricing_plan = "pro"
[[regions]]
region = "us-east-1"
pool = "a"
daily_volume = 100000
since = "2027-01-17"
[[regions]]
region = "us-east-1"
pool = "b"
ips = 1
[[regions]]
region = "eu-west-1"
ips = 2
[[volumes]]
month = "2027-01"
region = "eu-west-1"
messages = 2000000
"""
    frame = budget(_plan(tmp_path, text)).to_frame()
    mail, fee = _money(frame, "mail"), _money(frame, "plan_fee")
    # us-east-1 a sends 17..31 January = 15 days x 100,000 = 1.5M x 0.22/1000 = 330.00.
    assert mail[("2027-01", "us-east-1", "a")] == Decimal("330.00")
    # eu-west-1: 2M x 0.22/1000 = 440.00.
    assert mail[("2027-01", "eu-west-1", "default")] == Decimal("440.00")
    # Pro's 105.00 once per Region and month, on the Region's first pool only.
    assert fee[("2027-01", "us-east-1", "a")] == Decimal("105.00")
    assert fee[("2027-01", "us-east-1", "b")] == Decimal("0.00")
    assert fee[("2027-01", "eu-west-1", "default")] == Decimal("105.00")


def test_rate_with_a_peak_factor_gives_the_daily_volume(tmp_path):
    text = """\
start = "2027-02"
months = 1
pricing_plan = "essentials"
[[regions]]
region = "us-east-1"
rate = 10
peak_factor = 2
"""
    frame = budget(_plan(tmp_path, text)).to_frame()
    # 10 msg/s x 86,400 / 2 = 432,000 a day x 28 = 12,096,000:
    # 1,600.00 + 2,096,000 x 0.14/1000 = 293.44 -> 1,893.44.
    assert frame.mail.tolist() == [Decimal("1893.44")]


def test_pool_shares_add_up_to_the_region_figure(tmp_path):
    text = 'start = "2027-03"\nmonths = 1\n' + "".join(
        f'[[regions]]\nregion = "us-east-1"\npool = "{p}"\nips = 1\n' for p in "xyz"
    ) + "".join(
        f'[[volumes]]\nmonth = "2027-03"\nregion = "us-east-1"\npool = "{p}"\nmessages = {n}\n'
        for p, n in (("x", 1_000_000), ("y", 1_000_000), ("z", 1_000_001))
    )  # fmt: skip
    frame = budget(_plan(tmp_path, text)).to_frame()
    # No plan: 3,000,001 x 0.10/1000 = 300.0001 -> 300.00 for the Region; by volume each
    # pool's exact share is 99.99996..., 99.99996..., 100.00006... -> 100.00 apiece.
    assert frame.mail.tolist() == [Decimal("100.00")] * 3


def test_a_written_plan_reads_back_to_the_same_budget(tmp_path):
    first = read_plan(_plan(tmp_path, ESSENTIALS))
    again = read_plan(_plan(tmp_path, plan_toml(first), "again.toml"))
    assert again.volumes == first.volumes
    assert again.pricing_plan == "essentials"
    assert budget(again).to_frame().equals(budget(first).to_frame())


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('[[volumes]]\nmonth = "2027-01"\nregion = "eu-west-1"\nmessages = 1\n',
         "region = 'eu-west-1', pool = 'default' is not a Region line or event of the plan"),
        ('[[volumes]]\nmonth = "2027-05"\nregion = "us-east-1"\npool = "a"\nmessages = 1\n',
         "month = '2027-05' is outside the plan (2027-01 to 2027-02)"),
        ('[[volumes]]\nmonth = "2027-02"\nregion = "us-east-1"\npool = "b"\nmessages = 5\n',
         "a second volume for us-east-1, pool b, 2027-02"),
        ('[[volumes]]\nmonth = "2027-01"\nregion = "us-east-1"\npool = "b"\nmessages = -1\n',
         "messages = -1 must be 0 to"),
        ('[[volumes]]\nmonth = "Jan"\nregion = "us-east-1"\npool = "b"\nmessages = 1\n',
         "month = 'Jan' is not a calendar month (YYYY-MM)"),
    ],
)  # fmt: skip
def test_volume_errors_name_the_entry(tmp_path, extra, message):
    path = _plan(tmp_path, ESSENTIALS + extra)
    result = runner.invoke(app, ["budget", str(path)])
    assert result.exit_code == 1
    line = result.output.strip()
    assert line.count("\n") == 0
    assert line.startswith(f"Error: {path}, [[volumes]] #2: ")
    assert message in line


def test_unknown_pricing_plan_is_one_line(tmp_path):
    path = _plan(tmp_path, ESSENTIALS.replace('"essentials"', '"gold"'))
    result = runner.invoke(app, ["budget", str(path)])
    assert result.exit_code == 1
    assert "pricing_plan = 'gold' is not one of" in result.output


def test_a_daily_volume_forecast_schedules_its_mail(tmp_path):
    from planner.ops.schedules import schedule

    forecast = tmp_path / "forecast.csv"
    forecast.write_text("month,region,daily_volume\n2027-01,us-east-1,500000\n"
                        "2027-02,us-east-1,600000\n")  # fmt: skip
    result = schedule(forecast, today="2026-11-01")
    # 500,000 x 31 = 15.5M and 600,000 x 28 = 16.8M, a la carte at 0.10 per 1,000:
    # 1,550.00 + 1,680.00 = 3,230.00.
    assert dict(result.plan.volumes) == {("us-east-1", "default", "2027-01"): 15_500_000,
                                         ("us-east-1", "default", "2027-02"): 16_800_000}  # fmt: skip
    assert result.to_dict()["budget"]["mail"] == "3230.00"
    written = tmp_path / "plan.toml"
    written.write_text(plan_toml(result.plan))
    assert budget(written).to_frame().mail.sum() == Decimal("3230.00")


def test_the_volume_budget_shows_the_whole_bill_and_names_the_plan():
    import matplotlib

    matplotlib.use("Agg")
    from planner.edges.plots import budget_bars

    plan = Path(__file__).resolve().parents[1] / "data" / "plan-volumes-2027.toml"
    text = runner.invoke(app, ["budget", str(plan)]).stdout
    assert "the whole SES bill under the essentials pricing plan" in text
    # IP fees 299.40 (2 pools x 2 IPs x 24.95 x 3 months) + mail 8,160.00 + plan fee 0.00.
    assert re.search(r"total\s+360\s+299\.40\s+0\.00\s+8,160\.00\s+0\.00\s+8,459\.40", text)
    ax = budget_bars(budget(plan))
    title = ax.get_title()
    assert "Whole SES bill, essentials plan by month" in title
    assert "$8,459.40 in all: IP fees $299.40, mail $8,160.00, plan fee $0.00" in title
    heights = sorted({round(p.get_y() + p.get_height(), 2) for p in ax.patches})
    # Each month's stack reaches its whole bill: 99.80 of IP fees plus that month's mail.
    assert heights[-3:] == [2469.8, 2679.8, 3309.8]
