"""The whole SES bill: every plan and way to send, recomputed by hand from the price book
(FACTS.md's figures: a la carte mail 0.10 per 1,000; Essentials 0.16 / 0.14 / 0.11, Pro
105 + 0.22 / 0.17 / 0.12, Enterprise 500 + 0.23 / 0.18 / 0.13 per 1,000 over 0-10M /
10M-100M / above; managed 15.00 + 0.08 / 0.04 / 0.02, its subscription included in Pro
and Enterprise; a standard IP 24.95 a month)."""

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

import planner
from planner.edges.cli import app

runner = CliRunner()
D = Decimal


def test_every_plan_and_ip_mode_for_20m_messages_in_us_east_1():
    c = planner.compare(monthly_volume=20_000_000, date="2027-01-01")
    got = {(b.plan, b.ip_mode): (b.ips, b.plan_fee, b.mail, b.ip_fees, b.total) for b in c.bill}
    # Mail: a la carte 20M x 0.10 / 1,000 = 2,000.00; Essentials 10M x 0.16 + 10M x 0.14
    # = 1,600 + 1,400; Pro 2,200 + 1,700; Enterprise 2,300 + 1,800.
    # Standard: 20M a month is 657,534 a day, under 8 msg/s: the minimum 2 IPs, 49.90.
    # Managed: 15.00 + 10M x 0.08 + 10M x 0.04 = 1,215.00; 1,200.00 in Pro and Enterprise.
    assert got == {
        ("none", "shared"): (0, D("0.00"), D("2000.00"), D("0.00"), D("2000.00")),
        ("none", "standard"): (2, D("0.00"), D("2000.00"), D("49.90"), D("2049.90")),
        ("none", "managed"): (0, D("0.00"), D("2000.00"), D("1215.00"), D("3215.00")),
        ("essentials", "shared"): (0, D("0.00"), D("3000.00"), D("0.00"), D("3000.00")),
        ("essentials", "standard"): (2, D("0.00"), D("3000.00"), D("49.90"), D("3049.90")),
        ("essentials", "managed"): (0, D("0.00"), D("3000.00"), D("1215.00"), D("4215.00")),
        ("pro", "shared"): (0, D("105.00"), D("3900.00"), D("0.00"), D("4005.00")),
        ("pro", "standard"): (2, D("105.00"), D("3900.00"), D("49.90"), D("4054.90")),
        ("pro", "managed"): (0, D("105.00"), D("3900.00"), D("1200.00"), D("5205.00")),
        ("enterprise", "shared"): (0, D("500.00"), D("4100.00"), D("0.00"), D("4600.00")),
        ("enterprise", "standard"): (2, D("500.00"), D("4100.00"), D("49.90"), D("4649.90")),
        ("enterprise", "managed"): (0, D("500.00"), D("4100.00"), D("1200.00"), D("5800.00")),
    }
    assert (c.cheapest.plan, c.cheapest.ip_mode) == ("none", "shared")
    # The standard-against-managed answer stays as it was.
    assert (c.standard_fee, c.managed_fee, c.cheaper) == (D("49.90"), D("1215.00"), "standard")


def test_the_json_bill_and_cheapest():
    result = runner.invoke(app, ["compare", "--monthly-volume", "20000000", "--plan", "pro",
                                 "--date", "2027-01-01", "-f", "json"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [b["ip_mode"] for b in data["bill"]] == ["shared", "standard", "managed"]
    assert data["bill"][0] == {"region": "us-east-1", "plan": "pro", "ip_mode": "shared", "ips": 0,
                               "plan_fee": "105.00", "mail": "3900.00", "ip_fees": "0.00",
                               "total": "4005.00", "missing": None}  # fmt: skip
    assert data["cheapest"]["plan"] == "pro"
    assert data["cheapest"]["total"] == "4005.00"


def test_the_accounts_current_plan_from_get_account(tmp_path):
    account = tmp_path / "account.json"
    account.write_text(json.dumps({"SendQuota": {"MaxSendRate": 500.0, "Max24HourSend": 5e7},
                                   "PricingAttributes": {"CurrentPlan": "ENTERPRISE"}}),
                       encoding="utf-8")  # fmt: skip
    c = planner.compare(monthly_volume=1_000_000, account_file=account, date="2027-01-01")
    assert {b.plan for b in c.bill} == {"enterprise"}
    # 1M x 0.23 / 1,000 = 230.00, + 500.00 plan fee.
    assert c.cheapest.total == D("730.00")


def test_where_the_next_cheapest_catches_up():
    # 100 messages a month, plan none: shared costs 0.01 (100 x 0.10 / 1,000); with
    # --ips 2, standard costs 49.90 more whatever the volume, so it never catches up; and
    # Essentials shared catches up with none shared only if 0.16 ever undercut 0.10: never.
    c = planner.compare(monthly_volume=100, ips=2, plan="none", date="2027-01-01")
    assert (c.cheapest.plan, c.cheapest.ip_mode, c.cheapest.total) == ("none", "shared", D("0.01"))
    assert c.bill_break_even is None


def test_a_plan_that_is_not_known_is_an_error():
    with pytest.raises(planner.PlannerError, match="plan: 'gold' is not allowed"):
        planner.compare(monthly_volume=1, plan="gold")


def test_bill_by_volume_is_the_bill_asked_again():
    c = planner.compare(monthly_volume=20_000_000, date="2027-01-01", plan="pro")
    frame = c.bill_by_volume([20_000_000, 60_000_000])
    at_volume = frame[frame.volume == 20_000_000]
    assert [tuple(r) for r in at_volume[["plan", "ip_mode", "total"]].itertuples(index=False)] == [
        (b.plan, b.ip_mode, b.total) for b in c.bill
    ]
    big = frame[frame.volume == 60_000_000].set_index("ip_mode")
    # Pro, 60M: 105.00 + 10M x 0.22 + 50M x 0.17 = 105 + 2,200 + 8,500 = 10,805.00 shared;
    # managed adds 10M x 0.08 + 40M x 0.04 + 10M x 0.02 = 800 + 1,600 + 200 = 2,600
    # (Pro includes the base).
    assert big.loc["shared", "total"] == D("10805.00")
    assert big.loc["managed", "total"] == D("13405.00")
    # Standard IPs are sized again for 60M, as compare sizes them at 60M.
    again = planner.compare(monthly_volume=60_000_000, date="2027-01-01", plan="pro")
    assert int(big.loc["standard", "ips"]) == again.ips
    assert big.loc["standard", "ip_fees"] == D("24.95") * again.ips
    assert str(frame.total.dtype) == "money"


def test_the_bill_plot_draws_each_way_to_send_under_its_cheapest_plan():
    from planner.edges.plots import bill_by_volume

    c = planner.compare(monthly_volume=20_000_000, date="2027-01-01")
    ax = bill_by_volume(c, points=10)
    lines = {line.get_label().split(" (")[0]: line for line in ax.get_lines()}
    assert {"shared IPs", "standard IPs", "managed IPs"} <= set(lines)
    # Each line is the least total over the plans at each volume, from the bill by volume.
    x = [int(v) for v in lines["shared IPs"].get_xdata()]
    frame = c.bill_by_volume(x)
    for mode in ("shared", "standard", "managed"):
        rows = frame[frame["ip_mode"] == mode]
        least = [float(min(rows[rows["volume"] == v]["total"])) for v in x]
        assert list(lines[f"{mode} IPs"].get_ydata()) == least
    # At 20M, shared IPs a la carte: 20,000,000 x 0.10 / 1,000 = 2,000.00 (FACTS.md).
    assert lines["shared IPs"].get_ydata()[x.index(20_000_000)] == 2000.0
    assert "(a la carte" in next(line.get_label() for line in ax.get_lines())


def test_several_regions_draw_a_row_each_on_shared_volume_axes():
    from planner.edges.plots import compare_figure

    both = planner.compare(["us-east-1", "eu-west-1"], monthly_volume=[20_000_000, 5_000_000],
                           date="2027-01-01")  # fmt: skip
    fig = compare_figure(both)
    axes = fig.get_axes()
    assert [ax.get_title().split(":")[0] for ax in axes] == ["us-east-1"] * 2 + ["eu-west-1"] * 2
    # Within a row both panels share one volume axis, and mark the volume compared.
    assert axes[0].get_xlim() == axes[1].get_xlim()
    assert axes[2].get_xlim() == axes[3].get_xlim()
    for ax in axes:
        assert any(label.startswith("this volume: ") for label in ax.get_legend_handles_labels()[1])


def _book_without(tmp_path, prefix):
    shipped = (Path(planner.__file__).parent / "data" / "prices.csv").read_text(encoding="utf-8")
    path = tmp_path / "prices.csv"
    path.write_text("".join(x for x in shipped.splitlines(keepends=True)
                            if not x.startswith(prefix)))  # fmt: skip
    return path


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # A plan asked for by name, before plans launched (2026-07-21).
        (["--plan", "pro", "--date", "2026-01-01"],
         "Error: price: no pro:plan-fee price for us-east-1 on 2026-01-01 in "),
        # A price book without the plan at all: the book and the Region named.
        (["--plan", "pro", "--prices", "{book}"],
         "does not price the pro plan for us-east-1 on "),
    ],
)  # fmt: skip
def test_a_plan_the_price_book_lacks_is_one_line(tmp_path, args, message):
    book = _book_without(tmp_path, "pro:")
    args = [a.replace("{book}", str(book)) for a in args]
    result = runner.invoke(app, ["compare", "--monthly-volume", "20000000", *args])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert message in result.output
    if "--prices" in args:
        assert str(book) in result.output


def test_a_book_without_any_plan_fee_is_one_line(tmp_path):
    book = _book_without(tmp_path, "none:plan-fee")
    book.write_text("".join(x for x in book.read_text().splitlines(keepends=True)
                            if ":plan-fee" not in x))  # fmt: skip
    result = runner.invoke(app, ["compare", "--monthly-volume", "1000", "--prices", str(book)])
    assert result.exit_code == 1
    assert "no pricing plan's fee (none:plan-fee, ...) for us-east-1 on " in result.output
    assert str(book) in result.output


@pytest.mark.parametrize(("plan", "expected"), [
    # a la carte: 15.00 base + 10M x 0.08 + 10M x 0.04 per 1,000 = 1,215.00; Pro includes
    # the subscription (base 0.00): 1,200.00; Essentials' add-on priced a la carte: 1,215.00.
    ("none", "1215.00"), ("pro", "1200.00"), ("essentials", "1215.00"),
])  # fmt: skip
def test_the_managed_line_is_one_number_on_every_surface(plan, expected):
    from planner.model.pricing import managed_curve

    c = planner.compare(monthly_volume=20_000_000, ips=4, plan=plan, date="2027-01-01")
    (line,) = [b for b in c.bill if b.ip_mode == "managed"]
    assert str(c.managed_fee) == str(line.ip_fees) == expected
    assert managed_curve(c.managed, [20_000_000]) == [int(Decimal(expected) * 100)]  # the picture
    data = json.loads(runner.invoke(app, ["compare", "--monthly-volume", "20000000", "--ips",
                                          "4", "--plan", plan, "--date", "2027-01-01", "-f",
                                          "json"]).stdout)  # fmt: skip
    assert data["managed"]["monthly_fee"] == expected
    assert [b["ip_fees"] for b in data["bill"] if b["ip_mode"] == "managed"] == [expected]
    text = runner.invoke(app, ["compare", "--monthly-volume", "20000000", "--ips", "4", "--plan",
                               plan, "--date", "2027-01-01"]).stdout  # fmt: skip
    shown = f"{Decimal(expected):,}"
    assert re.search(r"managed: total\s+" + re.escape(shown), text)
    assert re.search(r"managed IPs\s+\S+\s+\S+\s+" + re.escape(shown), text)


@pytest.mark.parametrize(("volume", "ips", "fit", "warned"), [
    # 3M a month over 365/12 days: 98,630 a day, under AWS's former 175,000: shared; the 2
    # standard IPs priced (the minimum) would carry 49,315 each: a warning too.
    (3_000_000, None, "shared", True),
    # 20M: 657,534 a day, but 164,383 for each of 4 standard IPs: managed, and a warning.
    (20_000_000, 4, "managed", True),
    # 200M: 6,575,342 a day; sized to 3 IPs, 2,191,780 each: standard.
    (200_000_000, None, "standard", False),
])  # fmt: skip
def test_which_ips_fit_is_said_apart_from_the_money(volume, ips, fit, warned):
    c = planner.compare(monthly_volume=volume, ips=ips, date="2027-01-01")
    assert c.fit.ip_mode == fit
    assert c.fit.threshold == 175_000
    assert any("175,000 or more emails a day" in s for s in c.fit.sources)
    assert bool(c.warnings) is warned
    text = runner.invoke(app, ["compare", "--monthly-volume", str(volume), "--date", "2027-01-01",
                               *(["--ips", str(ips)] if ips else [])]).stdout  # fmt: skip
    money = [line for line in text.splitlines() if line.startswith("Money: ")]
    fits = [line for line in text.splitlines() if line.startswith("Fit: ")]
    assert len(money) == len(fits) == 1
    assert fits[0].startswith(f"Fit: {fit} IPs, by AWS's guidance: ")


def _daily_history(tmp_path, millions):
    """A get-metric-statistics file of daily Send Sums, one a day from 2026-11-01."""
    points = [{"Timestamp": f"2026-11-{d + 1:02d}T00:00:00+00:00", "Sum": m * 1_000_000,
               "Unit": "Count"} for d, m in enumerate(millions)]  # fmt: skip
    path = tmp_path / "history.json"
    path.write_text(json.dumps({"Label": "Send", "Datapoints": points}), encoding="utf-8")
    return path


def test_the_fit_weighs_the_send_historys_day_to_day_variation(tmp_path):
    # 120M a month: 3,945,205 a day, 1,972,602 for each of 2 standard IPs, well over
    # 175,000. Days of 1M and 9M alternating: mean 5M, standard deviation 4M, variation
    # 0.8, above the 0.5 taken as irregular: managed. Every day 5M: variation 0: standard.
    irregular = _daily_history(tmp_path, [1, 9] * 7)
    c = planner.compare(monthly_volume=120_000_000, history=[irregular], date="2027-01-01")
    assert c.fit.ip_mode == "managed"
    assert c.fit.variation == pytest.approx(0.8)
    assert "irregular: the history's days vary by 80% of their mean" in c.fit.why
    steady = _daily_history(tmp_path, [5] * 14)
    c = planner.compare(monthly_volume=120_000_000, history=[steady], date="2027-01-01")
    assert (c.fit.ip_mode, c.fit.variation) == ("standard", 0.0)
    with pytest.raises(planner.PlannerError, match="expected at least 7 days of sends"):
        planner.compare(monthly_volume=120_000_000, history=[_daily_history(tmp_path, [5] * 3)],
                        date="2027-01-01")  # fmt: skip
