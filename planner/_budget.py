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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from planner import fees
from planner._checks import as_month
from planner.errors import InputError, PlannerError
from planner.money import amount, money_array
from planner.plan import DEFAULT_POOL, Event, Plan, PlanError, read_events
from planner.reference import (
    PathLike,
    PriceBook,
    RegionCatalog,
    default_value,
    load_prices,
    load_regions,
)
from planner.settings import Billing, Layer, Settings, check_layer, resolve, resolve_billing, size

if TYPE_CHECKING:
    import pandas as pd

IntArray = npt.NDArray[np.int64]

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


def size_regions(plan: Plan, catalog: RegionCatalog, given: Layer | None = None) -> IntArray:
    """IPs each Region line of the plan holds: its count, or sized from its rate.

    Settings resolve through :func:`planner.settings.resolve` (options or keywords,
    then the entry, then ``[defaults]``, then the shipped defaults) and the counts
    come from the one sizing call, :func:`planner.settings.size`, as for ``estimate``.
    """
    lines = plan.regions
    layers_given = [given] if given is not None else []
    defaults = Layer(f"{plan.source}, [defaults]", plan.defaults)
    resolved: dict[tuple[str, str | None], Settings] = {}
    rows = []
    for line in lines:
        # Lines without settings of their own share one resolution per Region.
        key = (line.region, line.where if line.settings else None)
        settings = resolved.get(key)
        if settings is None:
            layers = [*layers_given, Layer(line.where, line.settings), defaults]
            settings = resolved[key] = resolve(line.region, layers, catalog)
        rows.append(settings)
    if not rows:
        return np.zeros(0, dtype=np.int64)
    return size(
        rows,
        rate=[line.rate for line in lines],
        daily_volume=[line.daily_volume for line in lines],
        ips=[line.ips for line in lines],
        where=[line.where for line in lines],
    ).ips


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
    plan: Plan, catalog: RegionCatalog, given: Layer | None = None
) -> tuple[list[tuple[str, str]], list[_Cohort]]:
    """Groups (region, pool) and the cohorts after applying every event in date order.

    Each group keeps its own cohorts, so a relinquish looks at its pool's IPs only.
    """
    start = as_month("start", plan.start).astype("datetime64[D]")
    groups: dict[tuple[str, str], int] = {}
    pools: dict[str, list[str]] = {}
    by_group: list[list[_Cohort]] = []
    cohorts: list[_Cohort] = []

    def group(key: tuple[str, str]) -> int:
        index = groups.get(key)
        if index is None:
            index = groups[key] = len(groups)
            pools.setdefault(key[0], []).append(key[1])
            by_group.append([])
        return index

    def add(cohort: _Cohort) -> None:
        cohorts.append(cohort)
        by_group[cohort.group].append(cohort)

    sized = size_regions(plan, catalog, given)
    for line, n in zip(plan.regions, sized, strict=True):
        key = (line.region, line.pool)
        if key in groups:
            raise PlanError(f"{line.where}: {line.region} pool {line.pool!r} is listed twice")
        lease = _BEFORE if line.since is None else np.datetime64(line.since, "D")
        add(_Cohort(group(key), int(n), lease if lease >= start else _BEFORE, _NEVER))

    for event in sorted(plan.events, key=lambda e: e.date):
        day = np.datetime64(event.date, "D")
        if event.region not in catalog:
            try:
                catalog[event.region]
            except PlannerError as exc:
                raise PlanError(f"{event.where}: {exc}") from None
        if day < start:
            raise PlanError(
                f"{event.where}: date {event.date} is before the plan's start "
                f"({plan.start}); an IP held then belongs in [[regions]]"
            )
        pool = event.pool or _only_pool(event, pools.get(event.region, []))
        key = (event.region, pool)
        if event.action == "lease":
            add(_Cohort(group(key), event.count, day, _NEVER))
            continue
        held = [
            c for c in (by_group[groups[key]] if key in groups else [])
            if c.lease <= day and c.end == _NEVER
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
                add(replace(cohort, count=take, end=day))
            left -= take
            if not left:
                break
    return list(groups), cohorts


def _only_pool(event: Event, pools: list[str]) -> str:
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
    billing: Billing
    """The billing conventions used, with where each came from."""
    warnings: tuple[str, ...] = ()
    """Things the budget leaves out that the plan has: events after its last month."""


def budget_arrays(
    plan: Plan,
    *,
    start: str | None = None,
    months: int | None = None,
    prices: PathLike | PriceBook | None = None,
    regions_file: PathLike | RegionCatalog | None = None,
    settings: Mapping[str, Any] | None = None,
) -> BudgetArrays:
    """The vectorised budget computation behind :func:`budget`.

    ``settings`` are sizing and billing settings given as options or keywords; they
    come before the plan's own (see :mod:`planner.settings`). A ``start`` after the
    plan's own start budgets from that month with the fleet the earlier events leave.
    """
    catalog = (
        regions_file if isinstance(regions_file, RegionCatalog) else load_regions(regions_file)
    )
    book = prices if isinstance(prices, PriceBook) else load_prices(prices)
    count = plan.months if months is None else months
    if not 1 <= count <= 600:
        raise InputError("months", count, "expected 1 to 600")
    horizon = _horizon(plan.start if start is None else start, count)
    for line in plan.regions:
        try:
            catalog[line.region]
        except PlannerError as exc:
            raise PlanError(f"{line.where}: {exc}") from None
    given = check_layer(Layer(None, dict(settings or {})))
    billing = resolve_billing([given, Layer(f"{plan.source}, [defaults]", plan.defaults)])
    groups, cohorts = _cohorts(plan, catalog, given)
    day_count, lease_proration = billing.day_count, billing.lease_proration

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
        billing=billing,
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
    per_ip_rate: Any = None,
    profile: str | None = None,
    utilization: Any = None,
    min_per_region: Any = None,
    az_failures: Any = None,
    azs: Any = None,
    peak_factor: Any = None,
    day_count: str | None = None,
    lease_proration: str | None = None,
) -> pd.DataFrame:
    """Month-by-month budget of a plan: one row per month x Region x pool.

    Columns are those of the budget CSV: ``month`` (a pandas Period), ``region`` and
    ``pool`` (categoricals), ``ips_start``, ``leased``, ``relinquished``, ``ips_end``,
    ``ip_days`` (int64), ``charge`` and ``refund`` (exact money, pandas' decimal
    dtype: ``df.charge.sum()`` is an exact :class:`~decimal.Decimal`) and
    ``currency``. Months in which a pool holds no IPs are left out.

    Sizing settings (``per_ip_rate`` ... ``peak_factor``) and billing settings
    (``day_count``, ``lease_proration``) given here come before the plan's entries
    and ``[defaults]``. ``start`` may be later than the plan's own start: the budget
    then begins with the fleet the earlier events leave. ``events`` (an event-log
    path, or events) replaces the plan's event file.

    ``frame.attrs["warnings"]`` lists what the plan has that the budget leaves out
    (events after its last month); ``frame.attrs["billing"]`` the billing
    conventions used and where each came from.
    """

    from planner.plan import read_plan

    if not isinstance(plan, Plan):
        plan = read_plan(plan, events_file=events if isinstance(events, str | Path) else None)
    elif isinstance(events, str | Path):
        plan = replace(plan, events=plan.events + read_events(events))
    if events is not None and not isinstance(events, str | Path):
        plan = replace(plan, events=plan.events + tuple(events))
    settings = {
        "per_ip_rate": per_ip_rate,
        "profile": profile,
        "utilization": utilization,
        "min_per_region": min_per_region,
        "az_failures": az_failures,
        "azs": azs,
        "peak_factor": peak_factor,
        "day_count": day_count,
        "lease_proration": lease_proration,
    }
    arrays = budget_arrays(
        plan,
        start=start,
        months=months,
        prices=prices,
        regions_file=regions_file,
        settings=settings,
    )
    frame = budget_frame(arrays)
    frame.attrs["warnings"] = list(arrays.warnings)
    frame.attrs["billing"] = {
        a.setting: {"value": a.value, "origin": a.origin, "source": a.source}
        for a in arrays.billing.assumptions
    }
    return frame


def budget_frame(arrays: BudgetArrays) -> pd.DataFrame:
    """The tidy DataFrame of :class:`BudgetArrays`.

    ``month`` is a monthly Period, ``region`` and ``pool`` are categoricals, counts are
    int64 and ``charge``/``refund`` are exact money (:func:`planner.money.money_dtype`).
    """
    import pandas as pd

    keep = ((arrays.ips_start + arrays.leased) > 0).T  # by month, then in the plan's order
    mi, gi = np.nonzero(keep)
    ips_end = arrays.ips_start + arrays.leased - arrays.relinquished

    def category(names: list[str]) -> pd.Categorical:
        codes, categories = pd.factorize(pd.Series(names, dtype=object))  # in the plan's order
        return pd.Categorical.from_codes(codes[gi], categories=pd.Index(categories))

    return pd.DataFrame(
        {
            # datetime64[M] counts months from 1970-01, as pandas' monthly Period ordinals do.
            "month": pd.PeriodIndex.from_ordinals(  # type: ignore[attr-defined]  # not in pandas-stubs
                arrays.months[mi].astype(np.int64), freq="M"
            ),
            "region": category([r for r, _ in arrays.groups]),
            "pool": category([p for _, p in arrays.groups]),
            "ips_start": arrays.ips_start[gi, mi],
            "leased": arrays.leased[gi, mi],
            "relinquished": arrays.relinquished[gi, mi],
            "ips_end": ips_end[gi, mi],
            "ip_days": arrays.ip_days[gi, mi],
            "charge": money_array(arrays.charge[gi, mi]),
            "refund": money_array(arrays.refund[gi, mi]),
            "currency": pd.Categorical.from_codes(
                np.zeros(len(gi), dtype=np.int64), categories=pd.Index([arrays.currency])
            ),
        },
        columns=BUDGET_COLUMNS,
    )


def lease_charge(region: str, count: int, date: dt.date | str, **kwargs: Any) -> Decimal:
    """Charge for ``count`` IPs leased on ``date``, for the rest of that month.

    >>> lease_charge("us-east-1", 1, "2026-12-20")
    Decimal('9.66')
    """
    day = dt.date.fromisoformat(str(date)) if not isinstance(date, dt.date) else date
    plan = Plan(
        start=f"{day:%Y-%m}",
        months=1,
        events=(Event(date=day, region=region, action="lease", count=count),),
    )
    return amount(int(budget_arrays(plan, **kwargs).charge.sum()))
