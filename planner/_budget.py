"""``budget``: month-by-month fees of a plan, per Region and pool, in exact cents.

The plan becomes *cohorts*: groups of IPs leased on one day (or held from before
the plan) and relinquished on one day (or never). Events are applied in date
order, which is a loop over events; the fees are then computed for every cohort
and month at once as numpy arrays (cohorts x months) and summed per Region, pool
and month. No loop runs over days.

A relinquish takes the most recently leased IPs of the pool first. Within a month
that choice moves no money, only which IP-month carries which days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from planner import fees, sizing
from planner._checks import as_month
from planner.errors import PlannerError
from planner.plan import DEFAULT_POOL, Event, Plan, PlanError, RegionLine, read_events
from planner.reference import (
    PathLike,
    PriceBook,
    RegionCatalog,
    default_value,
    load_prices,
    load_profiles,
    load_regions,
)

if TYPE_CHECKING:
    import pandas as pd

BUDGET_COLUMNS = [
    "month", "region", "pool", "ips_start", "leased", "relinquished", "ips_end",
    "ip_days", "charge", "refund", "currency",
]  # fmt: skip

_NEVER = np.datetime64("9999-12-31", "D")
_BEFORE = np.datetime64("0001-01-01", "D")


@dataclass
class _Cohort:
    group: int
    count: int
    lease: np.datetime64  # _BEFORE: held from before the plan
    end: np.datetime64  # _NEVER: still held


def _setting(name: str, line: RegionLine | None, plan: Plan) -> Any:
    if line is not None and name in line.settings:
        return line.settings[name]
    if name in plan.defaults:
        return plan.defaults[name]
    return None


def size_regions(plan: Plan, catalog: RegionCatalog) -> npt.NDArray[np.int64]:
    """IPs each Region line of the plan holds: its count, or sized from its rate, vectorised."""
    lines = plan.regions
    count = len(lines)
    if not count:
        return np.zeros(0, dtype=np.int64)

    def column(name: str, fallback: Any) -> npt.NDArray[Any]:
        values = [_setting(name, line, plan) for line in lines]
        return np.array([fallback if v is None else v for v in values], dtype=np.float64)

    profiles = load_profiles()
    per_ip = np.empty(count)
    for i, line in enumerate(lines):
        given = _setting("per_ip_rate", line, plan)
        name = _setting("profile", line, plan) or default_value("profile")
        try:
            per_ip[i] = given if given is not None else profiles[name].per_ip_rate
        except PlannerError as exc:
            raise PlanError(f"{line.where}: {exc}") from None
    azs = np.array(
        [_setting("azs", line, plan) or catalog[line.region].usable_azs for line in lines],
        dtype=np.int64,
    )
    peak = column("peak_factor", float(default_value("peak_factor")))
    volume = np.array([line.daily_volume or np.nan for line in lines])
    rate = np.array([line.rate or np.nan for line in lines])
    rate = np.where(np.isnan(rate), volume / sizing.SECONDS_PER_DAY * peak, rate)
    explicit = np.array([line.ips or 0 for line in lines], dtype=np.int64)
    sized = explicit.copy()
    todo = explicit == 0
    if todo.any():
        try:
            sized[todo] = sizing.ips_needed(
                rate[todo],
                per_ip[todo],
                column("utilization", float(default_value("utilization")))[todo],
                column("min_per_region", int(default_value("min_per_region")))[todo].astype(
                    np.int64
                ),
                column("az_failures", int(default_value("az_failures")))[todo].astype(np.int64),
                azs[todo],
            )
        except PlannerError as exc:
            raise PlanError(f"{plan.source}, [[regions]]: {exc}") from None
    return sized


@dataclass(frozen=True)
class _Horizon:
    months: npt.NDArray[Any]  # datetime64[M]
    first: npt.NDArray[Any]  # datetime64[D], first day of each month
    days: npt.NDArray[np.int64]


def _horizon(start: Any, months: int) -> _Horizon:
    m0 = as_month("start", start)
    months_arr = m0 + np.arange(months)
    return _Horizon(months_arr, months_arr.astype("datetime64[D]"), fees.days_in_month(months_arr))


def _cohorts(
    plan: Plan, catalog: RegionCatalog, horizon: _Horizon
) -> tuple[list[tuple[str, str]], list[_Cohort]]:
    """Groups (region, pool) and the cohorts after applying every event in date order."""
    start = horizon.first[0]
    groups: dict[tuple[str, str], int] = {}
    cohorts: list[_Cohort] = []
    sized = size_regions(plan, catalog)
    for line, n in zip(plan.regions, sized, strict=True):
        key = (line.region, line.pool)
        if key in groups:
            raise PlanError(f"{line.where}: {line.region} pool {line.pool!r} is listed twice")
        groups[key] = len(groups)
        lease = _BEFORE if line.since is None else np.datetime64(line.since, "D")
        if lease < start:
            lease = _BEFORE
        cohorts.append(_Cohort(groups[key], int(n), lease, _NEVER))

    for event in sorted(plan.events, key=lambda e: e.date):
        day = np.datetime64(event.date, "D")
        try:
            catalog[event.region]
        except PlannerError as exc:
            raise PlanError(f"{event.where}: {exc}") from None
        if day < start:
            raise PlanError(
                f"{event.where}: date {event.date} is before the plan's start "
                f"({horizon.months[0]!s}); an IP held then belongs in [[regions]]"
            )
        pool = event.pool or _only_pool(event, groups)
        key = (event.region, pool)
        if event.action == "lease":
            if key not in groups:
                groups[key] = len(groups)
            cohorts.append(_Cohort(groups[key], event.count, day, _NEVER))
            continue
        held = [
            c for c in cohorts
            if key in groups and c.group == groups[key] and c.lease <= day and c.end == _NEVER
        ]  # fmt: skip
        total = sum(c.count for c in held)
        if event.count > total:
            raise PlanError(
                f"{event.where}: relinquishes {event.count} IPs in {event.region} pool "
                f"{pool!r} on {event.date}, but only {total} are held then"
            )
        left = event.count
        for cohort in sorted(held, key=lambda c: c.lease, reverse=True):  # newest first
            take = min(left, cohort.count)
            if take == cohort.count:
                cohort.end = day
            else:
                cohort.count -= take
                cohorts.append(replace(cohort, count=take, end=day))
            left -= take
            if not left:
                break
    return list(groups), cohorts


def _only_pool(event: Event, groups: dict[tuple[str, str], int]) -> str:
    pools = [p for (r, p) in groups if r == event.region]
    if len(pools) > 1:
        raise PlanError(
            f"{event.where}: {event.region} has pools {', '.join(pools)}; name the pool of this event"
        )
    return pools[0] if pools else DEFAULT_POOL


@dataclass(frozen=True)
class BudgetArrays:
    """The budget as arrays of shape (groups, months); money in cents."""

    groups: list[tuple[str, str]]
    months: npt.NDArray[Any]
    ips_start: npt.NDArray[np.int64]
    leased: npt.NDArray[np.int64]
    relinquished: npt.NDArray[np.int64]
    ip_days: npt.NDArray[np.int64]
    charge: npt.NDArray[np.int64]
    refund: npt.NDArray[np.int64]
    currency: str
    warnings: tuple[str, ...] = ()
    """Things the budget leaves out that the plan has: events after its last month."""


def budget_arrays(
    plan: Plan,
    *,
    start: str | None = None,
    months: int | None = None,
    prices: PathLike | PriceBook | None = None,
    regions_file: PathLike | RegionCatalog | None = None,
) -> BudgetArrays:
    """The vectorised budget computation behind :func:`budget`."""
    catalog = (
        regions_file if isinstance(regions_file, RegionCatalog) else load_regions(regions_file)
    )
    book = prices if isinstance(prices, PriceBook) else load_prices(prices)
    count = plan.months if months is None else months
    if not 1 <= count <= 600:
        raise PlanError(f"months: {count} is not allowed; expected 1 to 600")
    horizon = _horizon(plan.start if start is None else start, count)
    for line in plan.regions:
        try:
            catalog[line.region]
        except PlannerError as exc:
            raise PlanError(f"{line.where}: {exc}") from None
    groups, cohorts = _cohorts(plan, catalog, horizon)
    day_count = str(plan.defaults.get("day_count", "inclusive"))
    lease_proration = str(plan.defaults.get("lease_proration", "daily"))

    g = np.array([c.group for c in cohorts], dtype=np.int64)
    n = np.array([c.count for c in cohorts], dtype=np.int64)[:, None]
    lease = np.array([c.lease for c in cohorts], dtype="datetime64[D]")[:, None]
    end = np.array([c.end for c in cohorts], dtype="datetime64[D]")[:, None]
    first = horizon.first[None, :]
    last = (horizon.months + 1).astype("datetime64[D]")[None, :] - 1
    d = horizon.days[None, :]

    leased_in = (lease >= first) & (lease <= last)
    gone_in = (end >= first) & (end <= last)
    active = (lease <= last) & (end >= first)
    lease_day = np.where(leased_in, (lease - first).astype(np.int64) + 1, 1)
    end_day = np.where(gone_in, (end - first).astype(np.int64) + 1, d)
    billed = fees.days_billed(
        d, lease_day, end_day,
        leased_in_month=leased_in, relinquished_in_month=gone_in,
        day_count=day_count, lease_proration=lease_proration,
    ) * active  # fmt: skip

    regions = np.array([r for r, _ in groups], dtype=object)
    fee_by_group = book.fee_cents(default_value("sku"), regions[:, None], horizon.first[None, :])
    fee = fee_by_group[g] if len(g) else np.zeros((0, len(horizon.months)), dtype=np.int64)
    charge_ip = np.asarray(fees.prorated_charge(fee, billed, d), dtype=np.int64)
    held_at_start = (lease < first) & (end >= first)

    def total(values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        out = np.zeros((len(groups), len(horizon.months)), dtype=np.int64)
        np.add.at(out, g, values)
        return out

    return BudgetArrays(
        groups=groups,
        months=horizon.months,
        ips_start=total(n * held_at_start),
        leased=total(n * leased_in),
        relinquished=total(n * (gone_in & active)),
        ip_days=total(n * billed),
        charge=total(n * charge_ip * active),
        refund=total(n * (fee - charge_ip) * (gone_in & active)),
        currency=book.currency,
        warnings=_after_horizon(plan, horizon),
    )


def _after_horizon(plan: Plan, horizon: _Horizon) -> tuple[str, ...]:
    """A warning for the plan's events dated after the budget's last month."""
    end = (horizon.months[-1] + 1).astype("datetime64[D]")
    later = sorted(
        (e for e in plan.events if np.datetime64(e.date, "D") >= end), key=lambda e: e.date
    )
    if not later:
        return ()
    first = later[0]
    more = f" and {len(later) - 1} more" if len(later) > 1 else ""
    return (
        f"{len(later)} event{'s' if len(later) != 1 else ''} after {horizon.months[-1]!s} "
        f"{'are' if len(later) != 1 else 'is'} outside this budget: {first.date} {first.action} "
        f"{first.count} in {first.region} ({first.where}){more}; "
        f"a longer --months takes {'them' if len(later) != 1 else 'it'} in",
    )


def budget(
    plan: Plan | str | Path,
    *,
    start: str | None = None,
    months: int | None = None,
    events: str | Path | Sequence[Event] | None = None,
    prices: PathLike | PriceBook | None = None,
    regions_file: PathLike | RegionCatalog | None = None,
) -> pd.DataFrame:
    """Month-by-month budget of a plan: one row per month x Region x pool.

    Columns are those of the budget CSV: ``month`` (a pandas Period), ``region``,
    ``pool``, ``ips_start``, ``leased``, ``relinquished``, ``ips_end``, ``ip_days``,
    ``charge`` and ``refund`` (exact :class:`~decimal.Decimal` amounts, so sums are
    exact) and ``currency``. Months in which a pool holds no IPs are left out.
    ``frame.attrs["warnings"]`` lists what the plan has that the budget leaves out
    (events after its last month).
    ``events`` (an event-log path, or events) replaces the plan's event file.
    """

    from planner.plan import read_plan

    if not isinstance(plan, Plan):
        plan = read_plan(plan, events_file=events if isinstance(events, str | Path) else None)
    elif isinstance(events, str | Path):
        plan = replace(plan, events=plan.events + read_events(events))
    if events is not None and not isinstance(events, str | Path):
        plan = replace(plan, events=plan.events + tuple(events))
    arrays = budget_arrays(
        plan, start=start, months=months, prices=prices, regions_file=regions_file
    )
    frame = budget_frame(arrays)
    frame.attrs["warnings"] = list(arrays.warnings)
    return frame


def budget_frame(arrays: BudgetArrays) -> pd.DataFrame:
    """The tidy DataFrame of :class:`BudgetArrays`."""
    import pandas as pd

    groups, month_count = len(arrays.groups), len(arrays.months)
    grid_g, grid_m = np.meshgrid(np.arange(groups), np.arange(month_count), indexing="ij")
    gi, mi = grid_g.ravel(), grid_m.ravel()
    ips_end = arrays.ips_start + arrays.leased - arrays.relinquished
    keep = ((arrays.ips_start + arrays.leased) > 0).ravel()
    gi, mi = gi[keep], mi[keep]
    order = np.lexsort((gi, mi))  # by month, then in the plan's order of groups
    gi, mi = gi[order], mi[order]
    region = np.array([r for r, _ in arrays.groups], dtype=object)
    pool = np.array([p for _, p in arrays.groups], dtype=object)

    def money(values: npt.NDArray[np.int64]) -> list[Decimal]:
        # Exact: an integer count of cents scaled by 10**-2 (Decimal(2495).scaleb(-2) is 24.95).
        return [Decimal(v).scaleb(-2) for v in values[gi, mi].tolist()]

    return pd.DataFrame(
        {
            # datetime64[M] counts months from 1970-01, as pandas' monthly Period ordinals do.
            "month": pd.PeriodIndex.from_ordinals(  # type: ignore[attr-defined]  # not in pandas-stubs
                arrays.months[mi].astype(np.int64), freq="M"
            ),
            "region": region[gi] if len(gi) else np.array([], dtype=object),
            "pool": pool[gi] if len(gi) else np.array([], dtype=object),
            "ips_start": arrays.ips_start[gi, mi],
            "leased": arrays.leased[gi, mi],
            "relinquished": arrays.relinquished[gi, mi],
            "ips_end": ips_end[gi, mi],
            "ip_days": arrays.ip_days[gi, mi],
            "charge": pd.Series(money(arrays.charge), dtype=object),
            "refund": pd.Series(money(arrays.refund), dtype=object),
            "currency": arrays.currency,
        },
        columns=BUDGET_COLUMNS,
    )


def lease_charge(region: str, count: int, date: dt.date | str, **kwargs: Any) -> int:
    """Charge in cents for ``count`` IPs leased on ``date``, for the rest of that month.

    >>> from planner.money import format_cents
    >>> format_cents(lease_charge("us-east-1", 1, "2026-12-20"))
    '9.66'
    """
    day = dt.date.fromisoformat(str(date)) if not isinstance(date, dt.date) else date
    plan = Plan(
        start=f"{day:%Y-%m}",
        months=1,
        events=(Event(date=day, region=region, action="lease", count=count),),
    )
    return int(budget_arrays(plan, **kwargs).charge.sum())
