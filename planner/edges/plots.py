"""Pictures of ipcost results, drawn with matplotlib.

Each drawing function takes a result of the library and an optional matplotlib
``Axes``, draws on it and returns it. None of them calls ``plt.show()`` or chooses a
backend: a notebook shows the figure inline, a script saves it, and ``ipcost ...
--plot FILE.png`` builds a figure with the ``*_figure`` functions and writes it with
:func:`save`. Without an ``Axes`` they draw on a new figure from ``pyplot``.

- :func:`spread`: IPs per Availability Zone of each Region, the zone lost first in an
  outage, and the capacity left after it;
- :func:`ips_by_rate`: IPs needed against peak send rate, a step curve, with and
  without surviving an AZ loss;
- :func:`budget`: the budget by month, stacked by Region or pool, refunds on top;
- :func:`relinquish_days`: charge and refund for relinquishing on each day of a month.

Money is drawn from exact cents (sums in integers) and shown with its currency;
floats appear only as bar heights in the picture.

This module imports matplotlib; ``import planner`` does not import it.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.dates import date2num
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from planner.errors import InputError
from planner.files.output import plot_format, write_atomic
from planner.model.arrays import FloatArray, IntArray
from planner.model.checks import as_date
from planner.model.money import amount, cents_of, parse_cents
from planner.ops.estimates import Estimate, RegionEstimate
from planner.words import plural

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from planner.ops.comparisons import Comparison, Comparisons
    from planner.ops.forecasting import Forecast
    from planner.ops.relinquishes import RelinquishDays
    from planner.ops.schedules import QuantilePlans, Schedule
    from planner.ops.warmups import Warmup
    from planner.scenario.budgets import Budget


#: Signs on money axes, by currency.
CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£"}
LOST_COLOUR = "#d62728"
CHARGE_COLOUR = "#1f77b4"
REFUND_COLOUR = "#aec7e8"


# -- helpers -------------------------------------------------------------------------


def _axes(ax: Axes | None, size: tuple[float, float] = (9.0, 5.0)) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=size, layout="constrained")
    return new


def money_text(cents: int, currency: str) -> str:
    """``248070, 'USD'`` -> ``'$2,480.70'``; other currencies keep their code.

    >>> money_text(248070, "USD"), money_text(-2494, "USD"), money_text(2495, "JPY")
    ('$2,480.70', '-$24.94', '24.95 JPY')
    """
    sign = "-" if cents < 0 else ""
    grouped = f"{amount(abs(cents)):,.2f}"
    symbol = CURRENCY_SIGNS.get(currency)
    return f"{sign}{symbol}{grouped}" if symbol else f"{sign}{grouped} {currency}"


def _money_axis(ax: Axes, currency: str, high_cents: int, *, log: bool = False) -> None:
    """Y tick labels as currency: whole amounts ($1,200), with cents below $20. ``log``:
    a logarithmic money axis, each tick with cents only where it is below $10."""
    from matplotlib.ticker import NullFormatter

    symbol = CURRENCY_SIGNS.get(currency, "")
    places = 2 if high_cents < 2000 else 0
    if log:
        ax.set_yscale("log")
        ax.yaxis.set_minor_formatter(NullFormatter())

    def show(value: float, _pos: int) -> str:
        sign = "-" if value < 0 else ""
        shown = (2 if abs(value) < 10 else 0) if log else places
        return f"{sign}{symbol}{abs(value):,.{shown}f}"

    ax.yaxis.set_major_formatter(FuncFormatter(show))


def _decimal_cents(values: Iterable[Any], field: str) -> IntArray:
    """Exact cents from a money column (the library's frames), or from decimal text
    (a budget CSV read back)."""
    if str(getattr(values, "dtype", "")) == "money":
        return cents_of(values)
    return np.asarray([parse_cents(str(v), field) for v in values], dtype=np.int64)


def _require_columns(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(
            "frame",
            ", ".join(map(str, frame.columns)),
            f"expected the columns of {what}; missing {', '.join(missing)}",
        )


def _region_row(estimate: Estimate, region: str | None) -> RegionEstimate:
    if region is None:
        return estimate.regions[0]
    for row in estimate.regions:
        if row.region == region:
            return row
    names = ", ".join(r.region for r in estimate.regions)
    raise InputError("region", region, f"expected a Region of the estimate ({names})")


def _budget_width(months: int) -> float:
    """Figure width [in] for a budget of ``months`` bars: wider with more, at most 16."""
    return min(16.0, max(9.0, 0.65 * months + 3))


def _title(ax: Axes, main: str, detail: str) -> None:
    """A title and, under it in smaller type, what the picture assumes."""
    ax.set_title(f"{main}\n{detail}", fontsize=10, parse_math=False)


def _rate(value: float) -> str:
    """A rate [msg/s] to as many digits as it needs: 1,111 / 34.7 / 0.5."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1 or value == 0:
        return f"{value:,.1f}".removesuffix(".0")
    return f"{value:.2g}"


def _survival(az_failures: int) -> str:
    if az_failures == 0:
        return "no AZ-loss survival"
    return f"survives {plural(az_failures, 'AZ loss', 'AZ losses')}"


# -- spread --------------------------------------------------------------------------


def az_bars(estimate: Estimate, *, ax: Axes | None = None) -> Axes:
    """Bars of IPs in each Availability Zone, grouped by Region.

    The fullest zone of each Region (the one an outage takes most from) is drawn
    hatched in red; above each group are the Region's IPs, the rate they carry and
    the rate left if that zone goes down. One bar per AZ.
    """
    from matplotlib.patches import Patch

    width = max(6.0, 1.0 + 0.55 * sum(len(r.spread) + 1 for r in estimate.regions))
    ax = _axes(ax, (width, 5.0))
    kept_style: dict[str, Any] = {"color": CHARGE_COLOUR}
    lost_style: dict[str, Any] = {
        "facecolor": "white", "edgecolor": LOST_COLOUR, "hatch": "//", "linewidth": 1.5,
    }  # fmt: skip
    top = max((max(r.spread.values(), default=0) for r in estimate.regions), default=0)
    ticks: list[float] = []
    labels: list[str] = []
    any_kept = False
    x = 0.0
    for row in estimate.regions:
        counts = np.asarray(list(row.spread.values()), dtype=np.int64)
        where = x + np.arange(len(counts), dtype=np.float64)
        lost = np.arange(len(counts)) == (int(np.argmax(counts)) if len(counts) else -1)
        any_kept = any_kept or bool((~lost).any())
        for mask, style in ((~lost, kept_style), (lost, lost_style)):
            drawn = ax.bar(where[mask], counts[mask], width=0.8, **style)
            ax.bar_label(drawn, padding=2, fontsize=8)
        ticks.extend(where.tolist())
        labels.extend(row.spread.keys())
        ax.annotate(
            _region_note(row),
            xy=(float(where.mean()) if len(where) else x, top),
            xytext=(0, 16),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
            parse_math=False,
        )
        x += len(counts) + 1
    ax.set_xticks(ticks, labels, rotation=45, ha="right", fontsize=8)
    room = max(0.0, (3 - len(ticks)) / 2)  # a lone bar should not fill the whole width
    ax.set_xlim(-0.6 - room, (ticks[-1] if ticks else 0) + 0.6 + room)
    ax.set_ylim(0, top * 1.9 + 1)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("Availability Zone (AZ ID)")
    ax.set_ylabel("Dedicated IPs")
    a = estimate.assumptions
    regions = ", ".join(r.region for r in estimate.regions)
    _title(ax, f"Dedicated IPs per Availability Zone: {regions}",
           f"{plural(estimate.ips, 'IP')}, {estimate.monthly_fee:,} {estimate.currency} a month; "
           f"{_rate(float(a.per_ip_rate))} msg/s per IP at {a.utilization:.0%} use; "
           f"{_survival(a.az_failures)}")  # fmt: skip
    styles = [(kept_style, "IPs in the AZ")] if any_kept else []
    styles.append((lost_style, "fullest AZ: lost first in an AZ outage"))
    ax.legend([Patch(**style) for style, _ in styles], [name for _, name in styles],
              loc="upper right", fontsize=8)  # fmt: skip
    return ax


def _region_note(row: RegionEstimate) -> str:
    """Above a Region's bars: its IPs, its peak, what they carry, and with one AZ down."""
    lines = [f"{row.region}: {plural(row.ips, 'IP')}"]
    if row.send_rate is not None:
        lines.append(f"peak {_rate(row.send_rate)} msg/s")
    lines.append(f"carries {_rate(row.capacity)} msg/s")
    lines.append(f"{_rate(row.capacity_one_az_down)} if fullest AZ down")
    return "\n".join(lines)


# -- IPs against send rate -----------------------------------------------------------


def ips_by_rate(
    estimate: Estimate,
    region: str | None = None,
    *,
    max_rate: float | None = None,
    az_failures: Sequence[int] = (0, 1),
    ax: Axes | None = None,
) -> Axes:
    """Step curves of the IPs a Region needs against peak send rate [msg/s].

    One line per entry of ``az_failures`` that the Region's zones allow (surviving
    ``f`` AZ losses needs ``f`` fewer zones than it has), under the estimate's
    per-IP rate, utilization and minimum; the estimate's own rate and IP count are
    marked. The curves are :func:`planner.ips_needed` over a grid of rates that
    includes every step, so each jump is drawn where it happens.
    """
    row = _region_row(estimate, region)
    a = estimate.assumptions
    exact_c, u, m, k = a.per_ip_rate, a.utilization, a.min_per_region, row.availability_zones
    c = float(exact_c)  # for the axes; the counts below size with the exact rate
    mark = row.send_rate if row.send_rate is not None else row.capacity
    per_step = estimate.capacity_per_ip  # what each IP adds [msg/s]
    top = float(max_rate) if max_rate is not None else 2.0 * max(mark, row.capacity, per_step)
    rates = _rate_grid(top, per_step, mark, max_rate)
    ax = _axes(ax)
    wanted = sorted({int(f) for f in az_failures if 0 <= int(f) < k})
    if not wanted:
        raise InputError(
            "az_failures",
            ", ".join(map(str, az_failures)),
            f"{row.region} has {k} usable AZs; expected 0 to {k - 1} AZ losses",
        )
    styles = ["--", "-", ":", "-."]
    for i, f in enumerate(wanted):
        ax.plot(
            rates,
            estimate.ips_by_rate(row.region, rates, f),
            drawstyle="steps-pre",
            linestyle=styles[i % len(styles)],
            linewidth=1.8,
            label=_survival(f),
        )
    ax.plot([mark], [row.ips], marker="o", markersize=8, color="black", linestyle="none",
            label=f"this estimate: {plural(row.ips, 'IP')} at {_rate(mark)} msg/s")  # fmt: skip
    ax.set_xlim(0, top)
    ax.set_ylim(0, None)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: _rate(v)))
    ax.set_xlabel("Peak send rate [msg/s]")
    ax.set_ylabel("Dedicated IPs needed")
    _title(
        ax,
        f"{row.region}: IPs needed, and their monthly fee, by peak send rate",
        f"{plural(k, 'usable AZ')}; {_rate(c)} msg/s per IP at {u:.0%} use; "
        f"at least {plural(m, 'IP')}; {row.fee_per_ip} {estimate.currency} per IP-month",
    )
    _fee_axis(ax, float(row.fee_per_ip), estimate.currency)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=8)
    return ax


def _fee_axis(ax: Axes, fee: float, currency: str) -> None:
    """A right-hand axis reading an IP count in money: IPs x the fee per IP-month."""
    if fee <= 0:
        return

    def to_money(n: Any) -> Any:
        return np.asarray(n, dtype=np.float64) * fee

    def to_ips(f: Any) -> Any:
        return np.asarray(f, dtype=np.float64) / fee

    money = ax.secondary_yaxis("right", functions=(to_money, to_ips))
    money.set_ylabel(f"Monthly fee [{currency}]")
    sign = CURRENCY_SIGNS.get(currency, "")
    money.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{sign}{v:,.0f}"))


def _rate_grid(top: float, per_step: float, mark: float, asked: float | None) -> FloatArray:
    """Rates from near 0 to ``top`` [msg/s] with every step of ``per_step`` and the
    estimate's own ``mark`` on it, so each jump is drawn where it happens."""
    if not math.isfinite(top) or top <= 0:
        raise InputError("max_rate", asked, "expected a rate greater than 0 [msg/s]")
    steps = per_step * np.arange(1, math.floor(top / per_step) + 1, dtype=np.float64)
    return np.union1d(np.linspace(top / 2000, top, 2000), [*steps, mark])


# -- budget --------------------------------------------------------------------------


def _month_labels(months: Sequence[Any]) -> list[str]:
    """'Jan\\n2027' for January and the first month, 'Feb' for the others.

    Past two years only every third month is named (the others stay blank), so the
    labels never run into each other.
    """
    out = []
    every = 1 if len(months) <= 24 else 3
    for i, month in enumerate(months):
        name = dt.date(month.year, month.month, 1).strftime("%b")
        if i == 0 or month.month == 1:
            out.append(f"{name}\n{month.year}")
        else:
            out.append(name if (month.month - 1) % every == 0 else "")
    return out


def budget_bars(
    budget: Budget | pd.DataFrame, *, by: str = "region", ax: Axes | None = None
) -> Axes:
    """Stacked bars of the charge of each month, by Region (or by Region and pool).

    ``budget`` is :func:`planner.budget`'s result (or its frame, or the budget CSV read
    back).
    Each bar is the month's charge, its height the amount billed; below zero, hatched,
    is what relinquishing refunded that month, with the amount written under it. One bar
    per month and Region (or pool) that is charged, plus one per month and Region that
    is refunded.
    """
    frame, plan = _budget_parts(budget, by)
    if frame.empty:
        raise InputError("frame", "no rows", "expected a budget with at least one month")
    names, span, charge, refund = _budget_grid(frame, by)
    currency = str(frame["currency"].iloc[0]) if "currency" in frame.columns else "USD"
    ax = _axes(ax, (_budget_width(len(span)), 5.5))
    x = np.arange(len(span), dtype=np.float64)
    bottom = np.zeros(len(span), dtype=np.int64)
    colours = [f"C{i % 10}" for i in range(len(names))]
    extra = _bill_extras(frame, span)  # a volume budget: mail and plan fee, stacked on top
    for i, name in enumerate(names):
        has = charge[i] > 0
        ax.bar(x[has], charge[i][has] / 100, bottom=bottom[has] / 100, width=0.75,
               color=colours[i], label=f"{name}, IP fees" if extra else name)  # fmt: skip
        bottom += charge[i]
    shades = {"mail": "#bdbdbd", "plan_fee": "#636363"}
    for name, cents_by_month in extra.items():
        has = cents_by_month > 0
        if not has.any():
            continue
        ax.bar(x[has], cents_by_month[has] / 100, bottom=bottom[has] / 100, width=0.75,
               color=shades[name], label=name.replace("_", " "))  # fmt: skip
        bottom += cents_by_month
    total = bottom.copy()
    below = np.zeros(len(span), dtype=np.int64)  # refunds go below zero: the bar is the bill
    for i in np.flatnonzero(refund.any(axis=1)).tolist():
        has = refund[i] > 0
        ax.bar(x[has], -refund[i][has] / 100, bottom=-below[has] / 100, width=0.75,
               color="white", edgecolor=colours[i], hatch="///", linewidth=1.2)  # fmt: skip
        below += refund[i]
    _budget_labels(ax, x, total, below, currency, len(span) <= 24)
    high = int(total.max()) if len(total) else 0
    ax.set_xticks(x, _month_labels(list(span)), fontsize=8)
    ax.set_xlim(-0.6, len(span) - 0.4)
    low = int(below.max()) if len(below) else 0
    ax.set_ylim(-(low * 1.6 + high * 0.06) / 100 if low else 0, high * 1.12 / 100 + 1)
    if low:
        ax.axhline(0, color="black", linewidth=0.8)
    _money_axis(ax, currency, high)
    ax.set_xlabel("Month (calendar months, UTC)")
    ax.set_ylabel(f"{'Whole bill' if extra else 'Charge'} [{currency} per month]")
    _title(ax, *_budget_titles(plan, span, by, extra, total, charge, refund, currency))
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    _budget_legend(ax, bool(refund.any()), by)
    return ax


def _budget_parts(
    budget: Budget | pd.DataFrame, by: str = "region"
) -> tuple[pd.DataFrame, str | None]:
    """A budget's frame and its pricing plan (None for a frame, which does not say),
    checked to be a budget's, stacked ``by`` Region or pool."""
    from planner.scenario.budgets import Budget

    frame, plan = (budget.to_frame(), budget.pricing_plan) if isinstance(budget, Budget) else (
        budget, None)  # fmt: skip
    _require_columns(frame, ["month", "region", "pool", "charge", "refund"], "a budget")
    if by not in ("region", "pool"):
        raise InputError("by", by, "expected region or pool")
    return frame, plan


def _budget_titles(
    plan: str | None, span: Any, by: str, extra: dict[str, IntArray], total: IntArray,
    charge: IntArray, refund: IntArray, currency: str,
) -> tuple[str, str]:  # fmt: skip
    """The budget picture's title and its line of money: the whole bill and its parts for
    a volume budget, the charge otherwise; what relinquishing refunded."""
    parts = "".join(f", {name.replace('_', ' ')} {money_text(int(c.sum()), currency)}"
                    for name, c in extra.items())  # fmt: skip
    head = (f"{_bill_title(plan) if extra else 'Budget'} by month, {span[0]} to {span[-1]}, "
            f"by {'Region' if by == 'region' else 'pool'}")  # fmt: skip
    money = (f"{money_text(int(total.sum()), currency)} in all: IP fees "
             f"{money_text(int(charge.sum()), currency)}{parts}; " if extra else
             f"{money_text(int(total.sum()), currency)} charged; ")  # fmt: skip
    return head, money + f"{money_text(int(refund.sum()), currency)} refunded on relinquish"


def _bill_title(plan: str | None) -> str:
    """'Whole SES bill, essentials plan': a volume budget's picture names its plan."""
    from planner.model.pricing import plan_name

    return "Whole SES bill" + ("" if plan is None else f", {plan_name(str(plan))} plan")


def _bill_extras(frame: pd.DataFrame, span: Any) -> dict[str, IntArray]:
    """A volume budget's mail and plan fee per month of ``span`` [cents]; {} otherwise."""
    from planner.model.money import cents_of

    out = {}
    for column in ("mail", "plan_fee"):
        if column not in frame.columns:
            continue
        by_month = frame.groupby("month", observed=True)[column].sum()
        cents = dict(zip(by_month.index.astype(str), cents_of(by_month), strict=True))
        out[column] = np.array([int(cents.get(str(m), 0)) for m in span], dtype=np.int64)
    return out


def _budget_grid(frame: pd.DataFrame, by: str) -> tuple[list[str], Any, IntArray, IntArray]:
    """The bars' names (Regions, or Region / pool), the months spanned, and the charge
    and refund of each name and month [cents]."""
    import pandas as pd

    months = pd.PeriodIndex(frame["month"].astype(str), freq="M")
    key = frame["region"].astype(str)
    if by == "pool":
        key = key + " / " + frame["pool"].astype(str)
    names = list(dict.fromkeys(key))
    span = pd.period_range(months.min(), months.max(), freq="M")
    col = {m: i for i, m in enumerate(span)}
    row = {n: i for i, n in enumerate(names)}
    at = (
        np.asarray([row[n] for n in key], np.int64),
        np.asarray([col[m] for m in months], np.int64),
    )
    charge = np.zeros((len(names), len(span)), dtype=np.int64)
    refund = np.zeros_like(charge)
    np.add.at(charge, at, _decimal_cents(frame["charge"], "charge"))
    np.add.at(refund, at, _decimal_cents(frame["refund"], "refund"))
    return names, span, charge, refund


def _budget_labels(
    ax: Axes, x: FloatArray, total: IntArray, refund: IntArray, currency: str, totals: bool
) -> None:
    """Above each month's bar (``totals``) the month's bill; below zero, under its
    hatched bar, what relinquishing refunded."""
    room = (int(total.max()) if len(total) else 0) * 0.015
    for j in range(len(x)):
        if totals and total[j] > 0:
            ax.text(x[j], (total[j] + room) / 100, money_text(int(total[j]), currency),
                    ha="center", va="bottom", fontsize=7, parse_math=False)  # fmt: skip
        if refund[j] > 0:
            ax.text(x[j], -(refund[j] + room) / 100, f"refund\n{money_text(int(refund[j]), currency)}",
                    ha="center", va="top", fontsize=7, parse_math=False)  # fmt: skip


def _budget_legend(ax: Axes, refunded: bool, by: str) -> None:
    handles, labels = ax.get_legend_handles_labels()
    handles, labels = handles[::-1], labels[::-1]  # top of the stack first, as drawn
    if refunded:
        from matplotlib.patches import Patch

        handles.insert(0, Patch(facecolor="white", edgecolor="0.3", hatch="///"))
        labels.insert(0, "refunded on relinquish\n(below zero, hatched in\nthe colour it refunds)")
    ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8,
              title="by Region" if by == "region" else "by Region / pool")  # fmt: skip


# -- relinquish ----------------------------------------------------------------------


def relinquish_days(
    schedule: RelinquishDays | pd.DataFrame, day: int | dt.date | str | None = None, *,
    ax: Axes | None = None,
) -> Axes:  # fmt: skip
    """Charge and refund for relinquishing on each day of a month, stacked.

    ``schedule`` is :func:`planner.relinquish_schedule`'s result (or its frame). Each day's bar
    is the month's fee: the charge (days elapsed, growing) below and the refund
    above. ``day`` (a day of the month or a date in it) is marked and labelled.
    Two bars per day.
    """
    from planner.ops.relinquishes import RelinquishDays

    if isinstance(schedule, RelinquishDays):
        schedule = schedule.to_frame()
    _require_columns(schedule, ["day", "date", "charge", "refund"], "planner.relinquish_schedule()")
    if schedule.empty:
        raise InputError("schedule", "no rows", "expected a day of the month at least")
    days = schedule["day"].to_numpy(dtype=np.int64)
    charge = _decimal_cents(schedule["charge"], "charge")
    refund = _decimal_cents(schedule["refund"], "refund")
    first_date = schedule["date"].iloc[0]
    month = dt.date(first_date.year, first_date.month, 1)
    currency, region, count, counted = _schedule_facts(schedule)

    chosen: int | None = None
    if day is not None:
        chosen = as_date("day", day).day if isinstance(day, dt.date | str) else int(day)
        if chosen not in set(days.tolist()):
            raise InputError("day", day, f"expected a day of {month:%B %Y}")

    ax = _axes(ax, (10.0, 5.0))
    x = days.astype(np.float64)
    ax.bar(x, charge / 100, width=0.8, color=CHARGE_COLOUR, label="charged: days elapsed")
    ax.bar(x, refund / 100, bottom=charge / 100, width=0.8, color=REFUND_COLOUR,
           label="refunded: days left")  # fmt: skip
    if chosen is not None:
        _mark_day(ax, days, charge, refund, month.replace(day=chosen), currency)
    high = int((charge + refund).max())
    ax.set_ylim(0, high * 1.45 / 100)
    ax.set_xlim(0.3, days.max() + 0.7)
    ax.set_xticks(days[(days == 1) | (days % 5 == 0)])
    _money_axis(ax, currency, high)
    ax.set_xlabel(f"Day of {month:%B %Y} the IPs are relinquished (UTC)")
    who = f"{plural(count, 'IP')} " if count is not None else "IPs "
    ax.set_ylabel(f"Amount for {who.strip()} [{currency}]")
    _title(
        ax,
        f"Relinquishing {who}{'in ' + region + ' ' if region else ''}in {month:%B %Y}",
        f"charge: days elapsed{counted}; refund: the rest of the month's fee",
    )
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    ax.legend(loc="upper left", fontsize=8, ncols=3)
    return ax


def _schedule_facts(schedule: pd.DataFrame) -> tuple[str, str, int | None, str]:
    """A relinquish schedule's currency, Region, IP count and day-count words, where given."""

    def first(column: str) -> Any:
        return schedule[column].iloc[0] if column in schedule.columns else None

    count = first("count")
    counted = {
        "inclusive": ", the relinquish day counted",
        "exclusive": ", the relinquish day not counted",
    }.get(str(first("day_count")), "")
    return (
        str(first("currency") or "USD"),
        str(first("region") or ""),
        None if count is None else int(count),
        counted,
    )


def _mark_day(
    ax: Axes, days: IntArray, charge: IntArray, refund: IntArray, on: dt.date, currency: str
) -> None:
    """The chosen day's bar outlined, with its charge, refund and the cost of a day's wait."""
    i = int(np.flatnonzero(days == on.day)[0])
    x = float(days[i])
    ax.bar([x], [(charge[i] + refund[i]) / 100], width=0.8, fill=False, edgecolor="black",
           linewidth=2.0, label="chosen day")  # fmt: skip
    text = (
        f"Relinquish on {on.isoformat()}:\n"
        f"charge {money_text(int(charge[i]), currency)}, "
        f"refund {money_text(int(refund[i]), currency)}"
    )
    if i + 1 < len(days):
        text += f"\na day later adds {money_text(int(charge[i + 1] - charge[i]), currency)}"
    right = on.day > days.max() / 2
    ax.annotate(
        text, xy=(x, (charge[i] + refund[i]) / 100), xytext=(-12 if right else 12, 24),
        textcoords="offset points", ha="right" if right else "left", va="bottom", fontsize=8,
        parse_math=False, arrowprops={"arrowstyle": "->", "color": "black"},
        bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": "0.6"},
    )  # fmt: skip


# -- figures for the command line ----------------------------------------------------


def estimate_figure(estimate: Estimate) -> Figure:
    """``ipcost estimate --plot``: the spread, and IPs against rate for each Region."""
    count = len(estimate.regions)
    fig = Figure(figsize=(15.0, 5.2 * count), layout="constrained")
    grid = fig.add_gridspec(count, 2, width_ratios=(1.1, 1.0))
    for i, row in enumerate(estimate.regions):
        az_bars(replace(estimate, regions=(row,)), ax=fig.add_subplot(grid[i, 0]))
        ips_by_rate(estimate, row.region, ax=fig.add_subplot(grid[i, 1]))
    return fig


def budget_figure(budget: Budget | pd.DataFrame, *, by: str = "region") -> Figure:
    """``ipcost budget --plot``: the budget by month."""
    frame, _ = _budget_parts(budget)
    months = frame["month"].nunique() if "month" in frame.columns else 12
    fig = Figure(figsize=(_budget_width(months), 5.5), layout="constrained")
    budget_bars(budget, by=by, ax=fig.add_subplot())
    return fig


def relinquish_figure(
    schedule: RelinquishDays | pd.DataFrame, day: int | dt.date | str | None = None
) -> Figure:
    """``ipcost relinquish --plot``: the month's days, the chosen one marked."""
    return _one_axes(lambda ax: relinquish_days(schedule, day, ax=ax))


def _one_axes(draw: Callable[[Axes], Axes], size: tuple[float, float] = (10.0, 5.0)) -> Figure:
    """A figure (no pyplot state) of one Axes that ``draw`` fills."""
    fig = Figure(figsize=size, layout="constrained")
    draw(fig.add_subplot())
    return fig


def warmup_capacity(result: Warmup, *, ax: Axes | None = None) -> Axes:
    """What new IPs carry of the rate, day by day: capacity against the rate, overflow shaded.

    ``result`` is :func:`planner.warmup`'s. The line is the dedicated IPs' capacity at
    the target utilization; the shaded band up to the rate is the overflow that goes
    over shared or older IPs; the ready date, if within the days shown, is marked.
    """
    ax = _axes(ax, (10.0, 5.0))
    days = np.arange(1, len(result.dates) + 1)
    ax.plot(days, result.capacity, drawstyle="steps-mid", color="#1f77b4",
            label="capacity of the dedicated IPs")  # fmt: skip
    ax.axhline(result.rate, color="black", linestyle="--", linewidth=1,
               label=f"target rate {result.rate:,.2f} msg/s")  # fmt: skip
    ax.fill_between(days, result.dedicated, result.rate, step="mid", color="#d62728", alpha=0.25,
                    label="overflow: over shared or older IPs")  # fmt: skip
    if result.ready_date is not None:
        ready = (result.ready_date - result.start).days + 1
        if ready <= len(days):
            ax.axvline(ready, color="#2ca02c", linewidth=1.5)
            ax.annotate(
                f"ready {result.ready_date} (day {ready})", (ready, result.rate),
                xytext=(6, -18), textcoords="offset points", color="#2ca02c", parse_math=False,
            )  # fmt: skip
    ax.set_xlabel(f"Day since the lease on {result.start} [day]")
    ax.set_ylabel("Send rate [msg/s]")
    ax.set_title(
        f"Warm-up ({result.curve}) of {result.ips} new IP{'s' if result.ips != 1 else ''}"
        f"{f' + {result.warm} warm' if result.warm else ''} in {result.region}",
        parse_math=False,
    )
    ax.set_ylim(0, max(float(result.capacity.max()), result.rate) * 1.15)
    ax.set_xlim(0.5, len(days) + 0.5)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    return ax


def warmup_figure(result: Warmup) -> Figure:
    """``ipcost warmup --plot``: capacity against the rate by day."""
    return _one_axes(lambda ax: warmup_capacity(result, ax=ax))


#: One colour per way to send, the same in every picture of a comparison.
WAY_COLOURS = {"shared": "#7f7f7f", "standard": "#1f77b4", "managed": "#ff7f0e"}
MARK_COLOUR = "black"


def _volume_span(result: Comparison) -> tuple[float, float]:
    """The volumes both panels of a comparison span (a log axis): a quarter of the least
    volume marked (break-evens and the volume compared) to four times the most."""
    marks = [v for v in (result.monthly_volume, result.break_even_volume,
                         result.bill_break_even) if v]  # fmt: skip
    return max(min(marks) / 4, 1_000.0), max(marks) * 4.0


def _volume_axis(ax: Axes, result: Comparison) -> None:
    """The comparison's shared volume axis, logarithmic, and the volume compared marked."""
    low, high = _volume_span(result)
    ax.set_xscale("log")
    ax.set_xlim(low, high)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
    ax.axvline(result.monthly_volume, color=MARK_COLOUR, linewidth=1.5,
               label=f"this volume: {result.monthly_volume:,}")  # fmt: skip
    ax.set_xlabel("Messages a month (log scale)")
    ax.grid(alpha=0.3, which="both")


def _volumes(result: Comparison, points: int) -> IntArray:
    low, high = _volume_span(result)
    marks = [v for v in (result.monthly_volume, result.break_even_volume,
                         result.bill_break_even) if v]  # fmt: skip
    grid = np.geomspace(low, high, points).round()
    return np.unique(np.r_[grid, marks]).astype(np.int64)


def cost_by_volume(result: Comparison, *, ax: Axes | None = None) -> Axes:
    """Monthly cost of managed IPs against the volume, beside the standard fleet's fee.

    ``result`` is :func:`planner.compare`'s. The managed line is its base fee plus the
    tiered usage; the standard line is the fleet's flat fee; the break-even volume and
    the volume compared are marked, on the same log volume axis as :func:`bill_by_volume`.
    """
    from planner.model.pricing import managed_curve

    ax = _axes(ax, (10.0, 5.0))
    volumes = _volumes(result, 200)
    high = int(float(result.standard_fee) * 100)
    if result.managed is not None:
        managed = np.array(managed_curve(result.managed, volumes.tolist()))
        ax.plot(volumes, managed / 100, color=WAY_COLOURS["managed"],
                label="managed: base + usage per 1,000")  # fmt: skip
        high = max(high, int(managed.max()))
    ax.axhline(float(result.standard_fee), color=WAY_COLOURS["standard"],
               label=f"standard: {plural(result.ips, 'IP')}, {result.standard_fee}")  # fmt: skip
    if result.break_even_volume is not None:
        ax.axvline(result.break_even_volume, color=MARK_COLOUR, linestyle=":", linewidth=1,
                   label=f"break-even: {result.break_even_volume:,} a month")  # fmt: skip
    _volume_axis(ax, result)
    _money_axis(ax, result.currency, high, log=True)
    ax.set_ylabel(f"Monthly IP fees [{result.currency}] (log scale)")
    ax.set_title(f"{result.region}: IP fees alone, {result.cheaper} is cheaper at this volume",
                 parse_math=False)  # fmt: skip
    ax.legend(loc="upper left", fontsize=8)
    return ax


def bill_by_volume(result: Comparison, *, ax: Axes | None = None, points: int = 60) -> Axes:
    """The whole monthly bill against volume for each way to send (shared, standard or
    managed IPs), each under its cheapest pricing plan at that volume.

    ``result`` is :func:`planner.compare`'s for one Region; the lines come from its
    :meth:`~planner.ops.comparisons.Comparison.bill_by_volume` (standard IPs given or
    sized per volume, as the comparison was); the volume compared and the volume where
    the next cheapest catches up are marked, on a log volume axis.
    """
    ax = _axes(ax, (10.0, 5.5))
    frame = result.bill_by_volume(_volumes(result, points).tolist())
    frame["cents"] = cents_of(frame["total"])
    best = frame.loc[frame.groupby(["volume", "ip_mode"], sort=False)["cents"].idxmin()]
    high = 0
    for mode, rows in best.groupby("ip_mode", sort=False):
        plans = list(dict.fromkeys(rows["plan"].astype(str)))
        named = ", ".join(_plan_words(p) for p in plans)
        ax.plot(rows["volume"], rows["cents"] / 100, color=WAY_COLOURS.get(str(mode)),
                linewidth=1.6, label=f"{mode} IPs ({named})")  # fmt: skip
        high = max(high, int(rows["cents"].max()))
    if result.bill_break_even:
        ax.axvline(result.bill_break_even, color=MARK_COLOUR, linestyle=":", linewidth=1,
                   label=f"next cheapest catches up: {result.bill_break_even:,}")  # fmt: skip
    cheapest = result.cheapest
    _volume_axis(ax, result)
    _money_axis(ax, result.currency, high, log=True)
    ax.set_ylabel(f"Monthly SES bill [{result.currency}] (log scale)")
    ax.set_title(f"{result.region}: the whole bill"
                 + (f", cheapest here: {_plan_words(cheapest.plan)} with {cheapest.ip_mode} IPs"
                    if cheapest else ""), parse_math=False)  # fmt: skip
    ax.legend(loc="upper left", fontsize=8)
    return ax


def _plan_words(plan: Any) -> str:
    from planner.model.pricing import plan_name

    return plan_name(str(plan))


def compare_figure(result: Comparison | Comparisons) -> Figure:
    """``ipcost compare --plot``: for each Region, the whole bill against volume for each
    way to send, beside standard against managed IP fees, on one volume axis per row."""
    from planner.ops.comparisons import Comparisons

    each = result.regions if isinstance(result, Comparisons) else (result,)
    billed = any(c.bill for c in each)
    fig = Figure(figsize=(16.0 if billed else 10.0, 5.0 * len(each)), layout="constrained")
    axes = fig.subplots(len(each), 2 if billed else 1, squeeze=False)
    for c, row in zip(each, axes, strict=True):
        if billed:
            bill_by_volume(c, ax=row[0])
        cost_by_volume(c, ax=row[-1])
    return fig


LEASE_COLOUR = "#2ca02c"
TODAY_COLOUR = "#7f7f7f"
HELD_COLOUR = "#1f77b4"
NEEDED_COLOUR = "#9ecae1"


def schedule_figure(result: Schedule) -> Figure:
    """``ipcost schedule --plot``: for each Region and pool (six at most), IPs needed and
    held by month (left) and warm capacity by day against the forecast peak (right), the
    shortfall shaded, leases and relinquishes marked, today a grey line; one time axis
    for the whole figure, titled with the plan (its quantile, today, its settings) and
    its money."""
    from planner.edges.reports import schedule_money, schedule_title

    groups = list(dict.fromkeys(zip(result.months["region"], result.months["pool"],
                                    strict=True)))[:6]  # fmt: skip
    fig = Figure(figsize=(15.0, 3.4 * len(groups) + 1.0), layout="constrained")
    axes = fig.subplots(len(groups), 2, squeeze=False, sharex=True)
    fig.suptitle(schedule_title(result) + "\n" + schedule_money(result), fontsize=11)
    for (region, pool), (left, right) in zip(groups, axes, strict=True):
        _schedule_months(left, result, region, pool)
        _schedule_days(right, result, region, pool)
    return fig


def _schedule_span(result: Schedule) -> tuple[np.datetime64, np.datetime64]:
    """The days every panel of a schedule's figure spans: from the first of today, the
    first event and the first month, to the end of the last month."""
    months = np.array(result.months["month"], dtype="datetime64[M]")
    start = months.min().astype("datetime64[D]")
    days = [np.datetime64(e.date, "D") for e in result.events[:1]]
    if result.today is not None:
        days.append(np.datetime64(result.today, "D"))
    first = min([start, *days]) - np.timedelta64(3, "D")
    return first, (months.max() + 1).astype("datetime64[D]")


def _schedule_months(ax: Axes, result: Schedule, region: str, pool: str) -> None:
    rows = result.months[(result.months["region"] == region) & (result.months["pool"] == pool)]
    starts = np.array(rows["month"], dtype="datetime64[M]").astype("datetime64[D]")
    mid = starts + np.timedelta64(15, "D")
    ax.bar(mid - np.timedelta64(5, "D"), rows["ips_needed"], width=10, color=NEEDED_COLOUR,
           label="IPs needed")  # fmt: skip
    ax.bar(mid + np.timedelta64(5, "D"), rows["ips_held"], width=10, color=HELD_COLOUR,
           label="IPs held on the 1st")  # fmt: skip
    ax.set_ylabel("IPs")
    ax.set_title(f"{region} pool {pool}: IPs by month", parse_math=False)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(alpha=0.3, axis="y")
    _schedule_time(ax, result)
    ax.legend(loc="upper left", fontsize=8)


def _schedule_days(ax: Axes, result: Schedule, region: str, pool: str) -> None:
    days = result.daily[(result.daily["region"] == region) & (result.daily["pool"] == pool)]
    date = np.array(days["date"], dtype="datetime64[D]")
    capacity, peak = days["capacity"].to_numpy(), days["peak_rate"].to_numpy()
    ax.plot(date, capacity, color=HELD_COLOUR, label="warm capacity")
    ax.plot(date, peak, color="black", linestyle="--", drawstyle="steps-post",
            label="forecast peak")  # fmt: skip
    short = np.nan_to_num(peak, nan=0.0) > capacity
    if short.any():
        ax.fill_between(date, capacity, peak, where=short, step="post", color=LOST_COLOUR,
                        alpha=0.3, label="short of the peak")  # fmt: skip
    for action, colour, style in (("lease", LEASE_COLOUR, "-"), ("relinquish", LOST_COLOUR, ":")):
        marks = [e.date for e in result.events
                 if (e.region, e.pool, e.action) == (region, pool, action)]  # fmt: skip
        for i, day in enumerate(marks):
            ax.axvline(_when(day), color=colour, alpha=0.7, linewidth=1,
                       linestyle=style, label=action if i == 0 else None)  # fmt: skip
    _rate_panel(ax, f"{region} pool {pool}: warm capacity by day", result)


def _rate_panel(ax: Axes, title: str, result: Schedule) -> None:
    """A schedule's send-rate panel: its labels, the schedule's time axis, its legend."""
    ax.set_ylabel("Send rate [msg/s]")
    ax.set_title(title, parse_math=False)
    ax.set_ylim(0, None)
    ax.grid(alpha=0.3)
    _schedule_time(ax, result)
    ax.legend(loc="lower right", fontsize=8)


def _when(day: Any) -> float:
    """A day as matplotlib's date axis places it."""
    return float(date2num(day))  # type: ignore[no-untyped-call]


def _schedule_time(ax: Axes, result: Schedule) -> None:
    """The figure's one time axis, and today marked."""
    first, last = _schedule_span(result)
    ax.set_xlim(_when(first), _when(last))
    if result.today is not None:
        ax.axvline(_when(result.today), color=TODAY_COLOUR, linewidth=1.5,
                   label=f"today, {result.today}")  # fmt: skip
    for label in ax.get_xticklabels():
        label.set_rotation(30)


def quantile_plans_figure(result: QuantilePlans) -> Figure:
    """``ipcost schedule --quantile A --quantile B --plot``: for each Region and pool (six
    at most), each plan's warm capacity by day against each quantile's forecast peak, on
    one time axis; the title gives each plan's money."""
    from planner.edges.reports import schedule_money
    from planner.files.forecasts import quantile_column

    first = result.plans[0]
    groups = list(dict.fromkeys(zip(first.months["region"], first.months["pool"],
                                    strict=True)))[:6]  # fmt: skip
    fig = Figure(figsize=(12.0, 3.4 * len(groups) + 1.0), layout="constrained")
    axes = fig.subplots(len(groups), 1, squeeze=False, sharex=True)[:, 0]
    colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd"]
    fig.suptitle(f"Plans for the forecast's quantiles, from today {first.today}\n"
                 + "; ".join(f"{quantile_column(q)} plan: {schedule_money(p)}"
                             for q, p in zip(result.quantiles, result.plans, strict=True)),
                 fontsize=10)  # fmt: skip
    for (region, pool), ax in zip(groups, axes, strict=True):
        for i, (q, plan) in enumerate(zip(result.quantiles, result.plans, strict=True)):
            days = plan.daily[(plan.daily["region"] == region) & (plan.daily["pool"] == pool)]
            colour = colours[i % len(colours)]
            name = quantile_column(q)
            ax.plot(
                days["date"], days["capacity"], color=colour, label=f"{name} plan: warm capacity"
            )
            ax.plot(days["date"], days["peak_rate"], color=colour, linestyle="--",
                    drawstyle="steps-post", label=f"{name} peak")  # fmt: skip
        _rate_panel(ax, f"{region} pool {pool}", first)
    return fig


def figure_bytes(fig: Figure, kind: str = "png", *, dpi: int = 150) -> bytes:
    """The bytes of ``fig`` as a ``png``, ``svg`` or ``pdf`` file."""
    import matplotlib

    buffer = io.BytesIO()
    # SVG element ids are random unless salted: a fixed salt makes the file reproducible.
    with matplotlib.rc_context({"svg.hashsalt": "ipcost"}):
        fig.savefig(buffer, format=kind, dpi=dpi, metadata=_metadata(kind))
    return buffer.getvalue()


def save(fig: Figure, path: str | Path, *, dpi: int = 150) -> None:
    """Write ``fig`` to ``path`` (type from the suffix) whole or not at all."""
    write_atomic(path, figure_bytes(fig, plot_format(path), dpi=dpi))


def _metadata(kind: str) -> dict[str, Any] | None:
    """Reproducible files: no creation date in the PDF and SVG metadata."""
    if kind == "pdf":
        return {"CreationDate": None}
    if kind == "svg":
        return {"Date": None}
    return None


def forecast_fan(result: Forecast, *, ax: Axes | None = None) -> Axes:
    """The monthly peaks read from the history (partial months hollow), the model's fitted
    values over the months it used, and the fan of quantiles ahead (outermost shaded
    lightest, the median drawn).

    ``result`` is :func:`planner.ops.forecasting.forecast`'s.
    """
    from planner.files.forecasts import quantile_column

    ax = _axes(ax, (11.0, 5.0))
    h = result.history
    when = h.month.astype("datetime64[D]")
    ax.plot(when[~h.partial], h.peak_rate[~h.partial], "o", color="#1f77b4",
            label="monthly peak (fitted)")  # fmt: skip
    if h.partial.any():
        ax.plot(when[h.partial], h.peak_rate[h.partial], "o", mfc="none", color="#1f77b4",
                label="partial month (not fitted)")  # fmt: skip
    ax.plot(result.fitted_months.astype("datetime64[D]"), result.fitted, color="#7f7f7f",
            linewidth=1, label=f"fitted: {result.model.split(':')[0]}")  # fmt: skip
    ahead = result.months.astype("datetime64[D]")
    qs = list(result.quantiles)
    for k in range(len(qs) // 2):
        low, high = result.values[:, k], result.values[:, len(qs) - 1 - k]
        ax.fill_between(ahead, low, high, color="#ff7f0e", alpha=0.3 + 0.2 * k, linewidth=0,
                        label=f"{quantile_column(qs[k])} to {quantile_column(qs[-1 - k])}")  # fmt: skip
    ax.plot(ahead, result.column(0.5), color="#d62728", linewidth=2, label="p50")
    end = (h.month[-1] + 1).astype("datetime64[D]")
    ax.axvline(end, color="black", linestyle="--", linewidth=1)
    ax.annotate(" history ends", (end, 0), xycoords=("data", "axes fraction"),
                xytext=(2, 4), textcoords="offset points", fontsize=8)  # fmt: skip
    return _peak_axes(ax, f"Monthly peak send rate, {result.region} pool {result.pool}: "
                          "history and forecast")  # fmt: skip


def _peak_axes(ax: Axes, title: str) -> Axes:
    """A monthly peak rate picture's axes, title, grid and legend."""
    ax.set_ylabel("Peak send rate [msg/s]")
    ax.set_xlabel("Month (UTC)")
    ax.set_title(title, parse_math=False)
    ax.set_ylim(0, None)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=8)
    return ax


def backtest_lines(result: Forecast, *, ax: Axes | None = None) -> Axes:
    """The complete months' peaks, and over them the chosen method's forecast from each
    past origin (thin lines, one per origin): how far its past forecasts strayed."""
    ax = _axes(ax, (11.0, 5.0))
    h = result.history
    months = h.month[~h.partial]
    when = months.astype("datetime64[D]")
    ax.plot(when, h.peak_rate[~h.partial], "o-", color="#1f77b4", linewidth=1,
            label="monthly peak (actual)")  # fmt: skip
    runs = None if result.backtest is None else result.backtest.runs
    if runs is not None and len(runs.origin):
        for k, o in enumerate(np.unique(runs.origin)):
            mine = runs.origin == o
            at = (months[o] + runs.horizon[mine] - 1).astype("datetime64[D]")
            ax.plot(at, runs.forecast[mine], color="#ff7f0e", linewidth=1, alpha=0.6,
                    label="forecast from a past month" if k == 0 else None)  # fmt: skip
    return _peak_axes(ax, f"Backtest, {result.region} pool {result.pool}: {result.method} "
                          "from each past origin")  # fmt: skip


def backtest_figure(result: Forecast) -> Figure:
    """``ipcost forecast --backtest --plot``."""
    return _one_axes(lambda ax: backtest_lines(result, ax=ax), (11.0, 5.0))


def forecast_figure(result: Forecast) -> Figure:
    """``ipcost forecast --plot``: history, fit and the fan of quantiles."""
    return _one_axes(lambda ax: forecast_fan(result, ax=ax), (11.0, 5.0))
