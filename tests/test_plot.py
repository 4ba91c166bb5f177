"""planner.edges.plots: each drawing returns its Axes, labelled, with the bars and lines expected.

Expected counts and heights are worked out by hand from the inputs, beside each test.
"""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

import planner
from planner import plot
from planner.errors import InputError

DATA = Path(__file__).resolve().parent.parent / "data"
PLAN = DATA / "plan-2027.toml"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def bars(ax):
    """The bars drawn on ``ax`` (legend proxies are not on the Axes)."""
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def labelled(ax):
    assert ax.get_xlabel(), "x axis has no label"
    assert ax.get_ylabel(), "y axis has no label"
    assert ax.get_title(), "no title"
    # A unit in brackets, or a count that is its own unit ("Dedicated IPs", not "IPs [IPs]").
    label = ax.get_ylabel()
    assert "[" in label or "IPs" in label, "y label names no unit"
    assert "[IPs]" not in label


def texts(ax):
    return "\n".join(t.get_text() for t in ax.texts)


@pytest.fixture
def design_example():
    # DESIGN's example: 300 msg/s at 40 msg/s per IP and 80 % use: ceil(300 / 32) = 10
    # IPs over us-east-1's 6 usable AZs: 10 = 6 + 4, so four AZs hold 2 and two hold 1.
    return planner.estimate("us-east-1", rate=300, per_ip_rate=40, utilization=0.8,
                            date="2026-11-27")  # fmt: skip


def test_spread_bars_are_the_ips_per_az(design_example):
    ax = plot.az_bars(design_example)
    assert isinstance(ax, Axes)
    labelled(ax)
    heights = [int(b.get_height()) for b in sorted(bars(ax), key=lambda b: b.get_x())]
    assert heights == [2, 2, 2, 2, 1, 1]
    # us-east-1's AZ IDs, in the Region table's order (use1-az3 is the constrained one, last).
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "use1-az1", "use1-az2", "use1-az4", "use1-az5", "use1-az6", "use1-az3",
    ]  # fmt: skip
    hatched = [b for b in bars(ax) if b.get_hatch()]
    assert len(hatched) == 1
    assert int(hatched[0].get_height()) == 2
    # Capacity 10 x 32 = 320 msg/s; losing a 2-IP AZ leaves 8 x 32 = 256 msg/s.
    assert "carries 320 msg/s" in texts(ax)
    assert "256 if fullest AZ down" in texts(ax)
    assert ax.get_legend() is not None


def test_spread_draws_on_the_axes_given_one_bar_per_az():
    # 300 msg/s in us-east-1 (6 usable AZs) and 120 in eu-west-1 (3): 9 bars in all.
    est = planner.estimate(["us-east-1", "eu-west-1"], rate=[300, 120], date="2026-11-27")
    _fig, given = plt.subplots()
    assert plot.az_bars(est, ax=given) is given
    assert len(bars(given)) == 6 + 3
    assert sum(int(b.get_height()) for b in bars(given)) == est.ips


def test_ips_by_rate_is_a_step_curve_with_and_without_az_loss(design_example):
    ax = plot.ips_by_rate(design_example)
    labelled(ax)
    assert "msg/s" in ax.get_xlabel()
    lines = ax.get_lines()
    assert len(lines) == 3  # no AZ-loss survival, survives 1 AZ loss, this estimate
    plain, survive, mark = lines
    assert plain.get_drawstyle() == "steps-pre"

    def ips_at(line, rate):
        x, y = line.get_xdata(), line.get_ydata()
        return int(y[np.flatnonzero(np.isclose(x, rate))[0]])

    # 32 msg/s per IP: 320 msg/s needs exactly 10 IPs; the next step starts above it.
    assert ips_at(plain, 320.0) == 10
    assert int(plain.get_ydata()[np.searchsorted(plain.get_xdata(), 320.0) + 1]) == 11
    # Surviving one AZ loss over 6 AZs: 10 IPs -> q, j = divmod(10, 5) = (2, 0) -> 2 x 6 = 12.
    assert ips_at(survive, 320.0) == 12
    # Below 2 x 32 = 64 msg/s the 2-IP minimum holds.
    assert ips_at(plain, 32.0) == 2
    assert (mark.get_xdata()[0], mark.get_ydata()[0]) == (300.0, 10)
    assert len(ax.get_legend().get_texts()) == 3


def test_ips_by_rate_drops_the_survival_curve_where_one_az_is_all_there_is():
    est = planner.estimate("us-east-1", rate=100, azs=1, date="2026-11-27")
    assert len(plot.ips_by_rate(est).get_lines()) == 2  # one curve and the estimate's point


def test_ips_by_rate_names_an_unknown_region(design_example):
    with pytest.raises(InputError, match=r"^region: 'eu-west-1'.*us-east-1"):
        plot.ips_by_rate(design_example, "eu-west-1")


@pytest.fixture(scope="module")
def plan_budget():
    return planner.budget(PLAN)


def test_budget_stacks_regions_by_month_with_refunds_below_zero(plan_budget):
    ax = plot.budget_bars(plan_budget)
    labelled(ax)
    assert "USD" in ax.get_ylabel()
    # Charged bars: us-east-1 and eu-west-1 in all 12 months, ap-southeast-2 from its
    # lease in March (10 months): 12 + 12 + 10 = 34. Refund bars: June (us-east-1
    # marketing) and November (eu-west-1): 2.
    drawn = bars(ax)
    refunds = [b for b in drawn if b.get_hatch()]
    assert len(drawn) == 34 + 2
    assert len(refunds) == 2
    # June 15, 2 IPs, inclusive: each billed 15 of 30 days of 24.95 = 12.475 -> 12.48,
    # refund 12.47; x 2 = 24.94. November 5, 1 IP: 24.95 x 5 / 30 = 4.158 -> 4.16,
    # refund 20.79. Refunds hang below zero, so each charge bar is as tall as the bill.
    assert sorted(round(b.get_height(), 2) for b in refunds) == [-24.94, -20.79]
    assert all(b.get_y() == 0 for b in refunds)
    assert "refund\n$24.94" in texts(ax)
    assert "refund\n$20.79" in texts(ax)
    # June's bars reach 673.66, the month's charge (698.60 held less the 24.94 refunded).
    june = [b for b in drawn if abs(b.get_x() + b.get_width() / 2 - 5) < 1e-9 and not b.get_hatch()]
    assert round(max(b.get_y() + b.get_height() for b in june), 2) == 673.66
    # January: us-east-1 holds 14 + 4 IPs, eu-west-1 8, at 24.95 each.
    january = [b for b in drawn if abs(b.get_x() + b.get_width() / 2) < 1e-9]
    assert sorted(round(b.get_height(), 2) for b in january) == [199.60, 449.10]
    assert "$648.70" in texts(ax)
    assert [t.get_text() for t in ax.get_legend().get_texts()][1:] == [
        "ap-southeast-2", "eu-west-1", "us-east-1",
    ]  # fmt: skip


def test_budget_by_pool_has_a_bar_per_pool(plan_budget):
    # Four pools: us-east-1 transactional and marketing, eu-west-1 and ap-southeast-2
    # transactional: 12 + 12 + 12 + 10 = 46 charged bars, and the same 2 refunds.
    ax = plot.budget_bars(plan_budget, by="pool")
    assert len(bars(ax)) == 46 + 2


def test_budget_reads_the_csv_back(tmp_path, plan_budget):
    path = tmp_path / "budget.csv"
    planner.write_budget_csv(plan_budget, path)
    ax = plot.budget_bars(pd.read_csv(path))
    assert len(bars(ax)) == 36
    assert "$8,150.84 charged" in ax.get_title()


def test_budget_money_is_summed_exactly():
    # 0.10 + 0.20 in binary floats is 0.30000000000000004; in cents it is 30.
    frame = pd.DataFrame({
        "month": ["2027-01", "2027-01"], "region": ["us-east-1", "us-east-1"],
        "pool": ["a", "b"], "charge": [Decimal("0.10"), Decimal("0.20")],
        "refund": [Decimal(0), Decimal(0)], "currency": ["USD", "USD"],
    })  # fmt: skip
    ax = plot.budget_bars(frame)
    assert "$0.30 charged" in ax.get_title()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"by": "month"}, r"^by: 'month'.*region or pool"),
        ({"frame": pd.DataFrame({"month": []})}, r"^frame:.*missing region, pool, charge"),
    ],
)
def test_budget_bad_input(plan_budget, kwargs, match):
    frame = kwargs.pop("frame", plan_budget)
    with pytest.raises(InputError, match=match):
        plot.budget_bars(frame, **kwargs)


def test_relinquish_days_two_bars_a_day_and_the_chosen_one_marked():
    schedule = planner.relinquish_schedule("us-east-1", "2026-11", count=2)
    ax = plot.relinquish_days(schedule, dt.date(2026, 11, 15))
    labelled(ax)
    drawn = bars(ax)
    # November has 30 days: a charge and a refund bar for each, and the chosen day's outline.
    assert len(drawn) == 2 * 30 + 1
    outline = [b for b in drawn if not b.get_fill()]
    assert len(outline) == 1
    assert outline[0].get_x() + outline[0].get_width() / 2 == 15
    charges = sorted((b for b in drawn[:30]), key=lambda b: b.get_x())
    heights = [round(b.get_height(), 2) for b in charges]
    assert heights == sorted(heights)  # the charge grows day by day
    # Day 15: 2 x round_half_up(24.95 x 15 / 30) = 2 x 12.48 = 24.96; day 30: the whole fee.
    assert heights[14] == 24.96
    assert heights[29] == 49.90
    assert "charge $24.96, refund $24.94" in texts(ax)
    # A day later: day 16 is 24.95 x 16 / 30 = 13.306 -> 13.31 a piece; 2 x (13.31 - 12.48) = 1.66.
    assert "a day later adds $1.66" in texts(ax)
    assert "November 2026" in ax.get_xlabel()


def test_relinquish_days_rejects_a_day_not_in_the_month():
    schedule = planner.relinquish_schedule("us-east-1", "2026-11")
    with pytest.raises(InputError, match=r"^day: 31.*November 2026"):
        plot.relinquish_days(schedule, 31)


def test_money_on_the_axes_is_currency():
    schedule = planner.relinquish_schedule("us-east-1", "2026-11")
    ax = plot.relinquish_days(schedule)
    ax.figure.canvas.draw()
    ticks = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert ticks
    assert all(t.startswith("$") for t in ticks)


def test_save_writes_each_type_whole(tmp_path):
    fig = plot.relinquish_figure(planner.relinquish_schedule("us-east-1", "2026-11"), 15)
    magic = {"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF"}
    for kind, start in magic.items():
        path = tmp_path / f"days.{kind}"
        plot.save(fig, path)
        assert path.read_bytes().startswith(start)
    with pytest.raises(InputError, match=r"^plot: '.*days.txt'.*\.png, \.svg or \.pdf"):
        plot.save(fig, tmp_path / "days.txt")


def test_figures_need_no_pyplot():
    # The command line's figures are plain Figure objects: no pyplot state, no backend chosen.
    fig = plot.budget_figure(planner.budget(PLAN))
    assert len(fig.axes) == 1
    assert plt.get_fignums() == []


@pytest.mark.parametrize("kind", ["svg", "pdf", "png"])
def test_pictures_are_reproducible(kind):
    e = planner.estimate("us-east-1", rate=300, date="2026-11-27")
    first = plot.figure_bytes(plot.estimate_figure(e), kind)
    second = plot.figure_bytes(plot.estimate_figure(e), kind)
    assert first == second


def test_a_schedules_picture_names_its_plan_and_shares_one_time_axis(tmp_path):
    from matplotlib.dates import num2date

    from planner.edges.plots import quantile_plans_figure, schedule_figure
    from planner.ops.schedules import schedule_quantiles

    s = planner.schedule(DATA / "forecast-2027.csv", az_failures=1, today="2026-11-01")
    fig = schedule_figure(s)
    title = fig.get_suptitle()
    assert "peak_rate, from today 2026-11-01" in title
    assert "az failures 1" in title
    assert "7,519.28 USD charged" in title  # the budget the report states
    axes = fig.get_axes()
    assert len(axes) == 6  # three Regions, two panels each
    assert len({ax.get_xlim() for ax in axes}) == 1  # one time axis
    first, _ = axes[0].get_xlim()
    assert num2date(first).date() <= dt.date(2026, 11, 1)  # today is inside it
    for ax in axes:
        assert "today, 2026-11-01" in ax.get_legend_handles_labels()[1]
        assert ax.get_title().split(" pool ")[0] in ("us-east-1", "eu-west-1", "ap-southeast-2")
    # Side by side: one panel per Region and pool, each plan's capacity against its peak,
    # each plan's money in the title.
    csv = tmp_path / "q.csv"
    csv.write_text("month,region,pool,peak_rate,p50,p90\n2027-01,us-east-1,default,100,100,150\n"
                   "2027-02,us-east-1,default,100,100,150\n", encoding="utf-8")  # fmt: skip
    both = schedule_quantiles(str(csv), [0.5, 0.9], today="2026-11-01")
    fig = quantile_plans_figure(both)
    (ax,) = fig.get_axes()
    labels = ax.get_legend_handles_labels()[1]
    assert {"p50 plan: warm capacity", "p50 peak", "p90 plan: warm capacity", "p90 peak"} <= set(
        labels
    )
    assert "p50 plan: " in fig.get_suptitle()
    assert "p90 plan: " in fig.get_suptitle()
