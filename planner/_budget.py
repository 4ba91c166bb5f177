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

from planner import fees, limits
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
from planner.settings import (
    Billing,
    Layer,
    Settings,
    Sized,
    check_layer,
    resolve,
    resolve_billing,
    resolve_curve,
    size,
)

if TYPE_CHECKING:
    import pandas as pd

IntArray = npt.NDArray[np.int64]

BUDGET_COLUMNS = [
    "month", "region", "pool", "ips_start", "leased", "relinquished", "ips_end",
    "ip_days", "charge", "refund", "currency",
]  # fmt: skip

_NEVER = int(np.datetime64("9999-12-31", "D").astype(np.int64))  # still held
_BEFORE = int(np.datetime64("0001-01-01", "D").astype(np.int64))  # held from before the plan


def _day(date: dt.date) -> int:
    """A date as days since 1970-01-01 (a ``datetime64[D]`` as an integer)."""
    return int(np.datetime64(date, "D").astype(np.int64))


@dataclass(frozen=True)
class _Cohorts:
    """Groups of IPs leased on one day and relinquished on one day, as columns.

    ``lease`` and ``end`` are days since 1970-01-01; ``_BEFORE`` means held from
    before the plan, ``_NEVER`` still held at its end.
    """

    groups: list[tuple[str, str]]
    group: IntArray
    count: IntArray
    lease: IntArray
    end: IntArray
    ready: tuple[dt.date | None, ...] = ()
    """For each of the plan's events in its order: the day a lease's IPs are warm."""
    warnings: tuple[str, ...] = ()


def size_regions(
    plan: Plan, catalog: RegionCatalog, given: Layer | None = None
) -> tuple[list[Settings], Sized]:
    """Each Region line's settings, and what it holds: its count, or sized from its rate.

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
        empty = np.zeros(0)
        return rows, Sized(empty, empty.astype(np.int64), empty.astype(np.int64))
    return rows, size(
        rows,
        rate=[line.rate for line in lines],
        daily_volume=[line.daily_volume for line in lines],
        ips=[line.ips for line in lines],
        where=[line.where for line in lines],
    )


@dataclass(frozen=True)
class _Horizon:
    months: npt.NDArray[Any]  # datetime64[M]
    first: npt.NDArray[Any]  # datetime64[D], first day of each month
    days: npt.NDArray[np.int64]


def _horizon(start: Any, months: int) -> _Horizon:
    m0 = as_month("start", start)
    months_arr = m0 + np.arange(months)
    return _Horizon(months_arr, months_arr.astype("datetime64[D]"), fees.days_in_month(months_arr))


def _cohorts(plan: Plan, catalog: RegionCatalog, given: Layer | None = None) -> _Cohorts:
    """Groups (region, pool) and the cohorts after applying every event in date order.

    Each Region line is a group with one cohort, built as arrays. Events are a loop in
    date order that touches only its group's cohorts: a lease adds one, a relinquish
    ends the newest IPs of its pool first (splitting a cohort when it takes part).
    """
    start = _day(as_month("start", plan.start).astype("datetime64[D]").item())
    keys = [(catalog[line.region].region, line.pool) for line in plan.regions]
    groups = dict(zip(keys, range(len(keys)), strict=True))
    if len(groups) != len(keys):
        seen: set[tuple[str, str]] = set()
        for line, key in zip(plan.regions, keys, strict=True):
            if key in seen:
                raise PlanError(f"{line.where}: {line.region} pool {line.pool!r} is listed twice")
            seen.add(key)
    lines = len(keys)
    rows, sized = size_regions(plan, catalog, given)
    count = sized.ips.copy()
    warming = _Warming(plan, catalog, given, rows, sized)
    since = [_BEFORE if line.since is None else _day(line.since) for line in plan.regions]
    lease = np.array([d if d >= start else _BEFORE for d in since], dtype=np.int64)
    # Cohorts an event touches live in `added` as [group, count, lease, end] lists; a
    # Region line's own cohort moves there (its array count set to 0) the first time.
    added: list[list[int]] = []
    by_group: dict[int, list[int]] = {}
    pools: dict[str, list[str]] | None = None
    ready: dict[int, dt.date | None] = {}
    warnings: list[str] = []

    def cohorts_of(index: int) -> list[list[int]]:
        ids = by_group.get(index)
        if ids is None:
            ids = by_group[index] = []
            if index < lines:
                ids.append(len(added))
                added.append([index, int(count[index]), int(lease[index]), _NEVER])
                count[index] = 0
        return [added[i] for i in ids]

    def add(index: int, size: int, since: int, until: int) -> None:
        cohorts_of(index)
        by_group[index].append(len(added))
        added.append([index, size, since, until])

    # One day's events apply relinquishes first, then leases, whatever their order in
    # the files: a relinquish never takes an IP leased the same day.
    for event in sorted(plan.events, key=lambda e: (e.date, e.action != "relinquish")):
        day = _day(event.date)
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
        pool = event.pool
        if pool is None:
            if pools is None:
                pools = {}
                for region, name in groups:
                    pools.setdefault(region, []).append(name)
            pool = _only_pool(event, pools.get(catalog[event.region].region, []))
        region = catalog[event.region].region  # as the Region table spells it
        key = (region, pool)
        if event.action == "lease":
            if key not in groups:
                groups[key] = len(groups)
                if pools is not None:
                    pools.setdefault(region, []).append(pool)
            add(groups[key], event.count, day, _NEVER)
            ready[id(event)] = warming.ready(groups[key], region, event.date)
            continue
        index = groups.get(key)
        held = [] if index is None else [
            c for c in cohorts_of(index) if c[2] <= day and c[3] == _NEVER
        ]  # fmt: skip
        total = sum(c[1] for c in held)
        if event.count > total:
            raise PlanError(
                f"{event.where}: relinquishes {event.count} IPs in {event.region} pool "
                f"{pool!r} on {event.date}, but only {total} are held then"
            )
        left = event.count
        for cohort in sorted(held, key=lambda c: c[2], reverse=True):  # newest first
            take = min(left, cohort[1])
            if take == cohort[1]:
                cohort[3] = day
            else:  # part of the cohort goes: split it
                cohort[1] -= take
                add(cohort[0], take, cohort[2], day)
            left -= take
            if not left:
                break
        assert index is not None
        warning = warming.after_relinquish(index, event, day, cohorts_of(index))
        if warning:
            warnings.append(warning)

    extra = np.array(added, dtype=np.int64).reshape(-1, 4)
    return _Cohorts(
        groups=list(groups),
        group=np.concatenate([np.arange(lines, dtype=np.int64), extra[:, 0]]),
        count=np.concatenate([count, extra[:, 1]]),
        lease=np.concatenate([lease, extra[:, 2]]),
        end=np.concatenate([np.full(lines, _NEVER, dtype=np.int64), extra[:, 3]]),
        ready=tuple(ready.get(id(e)) for e in plan.events),
        warnings=tuple(warnings),
    )


class _Warming:
    """Warm-up in a budget: when leased IPs are warm, and whether a relinquish leaves a
    pool sized from a rate with less warm capacity than that rate."""

    def __init__(
        self,
        plan: Plan,
        catalog: RegionCatalog,
        given: Layer | None,
        rows: list[Settings],
        sized: Sized,
    ) -> None:
        layers = [given] if given is not None else []
        defaults = Layer(f"{plan.source}, [defaults]", plan.defaults)
        self.curve = resolve_curve([*layers, defaults])[0]
        self.rows, self.sized = rows, sized
        self.layers, self.catalog = [*layers, defaults], catalog
        self.by_region: dict[str, Settings] = {}
        self.by_rate: dict[float, tuple[npt.NDArray[np.float64], int]] = {}

    def _settings(self, index: int, region: str) -> Settings:
        if index < len(self.rows):
            return self.rows[index]
        if region not in self.by_region:
            self.by_region[region] = resolve(region, self.layers, self.catalog)
        return self.by_region[region]

    def shares(self, index: int, region: str) -> npt.NDArray[np.float64]:
        """The curve's shares for the pool's per-IP rate, then 1.0 (warm); computed once."""
        settings = self._settings(index, region)
        rate = settings.per_ip_rate
        if rate not in self.by_rate:
            warm = self.curve.warm_index(settings.exact_per_ip_rate)
            self.by_rate[rate] = (self.curve.shares(rate), warm)
        return self.by_rate[rate][0]

    def ready(self, index: int, region: str, leased: dt.date) -> dt.date:
        """The first day every IP leased on ``leased`` carries its full rate."""
        self.shares(index, region)
        days = self.by_rate[self._settings(index, region).per_ip_rate][1]
        return leased + dt.timedelta(days=days)

    def after_relinquish(
        self, index: int, event: Event, day: int, cohorts: list[list[int]]
    ) -> str | None:
        """A warning when the pool's warm capacity after ``event`` is below its sized rate."""
        if index >= len(self.rows) or np.isnan(self.sized.send_rate[index]):
            return None
        settings = self.rows[index]
        shares = self.shares(index, settings.region)
        held = sum(
            n * (1.0 if since == _BEFORE else shares[min(day - since, len(shares) - 1)])
            for _, n, since, until in cohorts
            if since <= day and until == _NEVER
        )
        capacity = settings.utilization * settings.per_ip_rate * held
        rate = float(self.sized.send_rate[index])
        if capacity >= rate:
            return None
        return (
            f"{event.where}: after relinquishing {event.count} on {event.date}, {event.region} "
            f"pool {event.pool or DEFAULT_POOL!r} carries {capacity:,.2f} msg/s warm, below the "
            f"{rate:,.2f} msg/s it is sized for (warm-up curve {self.curve.curve})"
        )


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
    ready: tuple[dt.date | None, ...] = ()
    """For each of the plan's events: the day a lease's IPs are warm (else None)."""
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
    from planner.aws import account_view

    catalog = account_view(load_regions(regions_file), plan.zones_file)
    book = load_prices(prices)
    count = plan.months if months is None else months
    if isinstance(count, bool) or not isinstance(count, int | np.integer):
        raise InputError("months", count, f"expected a whole number, 1 to {limits.MAX_MONTHS}")
    if not 1 <= count <= limits.MAX_MONTHS:
        raise InputError("months", count, f"expected 1 to {limits.MAX_MONTHS}")
    horizon = _horizon(plan.start if start is None else start, count)
    for line in plan.regions:
        try:
            catalog[line.region]
        except PlannerError as exc:
            raise PlanError(f"{line.where}: {exc}") from None
    given = check_layer(Layer(None, dict(settings or {})))
    billing = resolve_billing([given, Layer(f"{plan.source}, [defaults]", plan.defaults)])
    cohorts = _cohorts(plan, catalog, given)
    groups = cohorts.groups
    shape = (len(groups), len(horizon.months))
    first_day = horizon.first.astype(np.int64)
    last_day = first_day + horizon.days - 1

    # Prices per Region and month, then per group (a group is priced by its Region).
    index: dict[str, int] = {}
    codes = np.array([index.setdefault(r, len(index)) for r, _ in groups], dtype=np.int64)
    names = np.array(list(index), dtype=object)
    by_region = book.fee_cents(default_value("sku"), names[:, None], horizon.first[None, :])
    fee_by_group = by_region[codes] if len(groups) else np.zeros(shape, np.int64)

    # Cohorts held through the whole horizon are billed the full fee every month: they
    # add to each group's totals directly. The rest go through the proration.
    g, n = cohorts.group, cohorts.count
    whole = (cohorts.lease < first_day[0]) & (cohorts.end > last_day[-1])
    held_all = np.zeros(len(groups), dtype=np.int64)
    np.add.at(held_all, g[whole], n[whole])
    ips_start = np.repeat(held_all[:, None], shape[1], axis=1)
    ip_days = held_all[:, None] * horizon.days[None, :]
    charge = held_all[:, None] * fee_by_group
    leased = np.zeros(shape, dtype=np.int64)
    relinquished = np.zeros(shape, dtype=np.int64)
    refund = np.zeros(shape, dtype=np.int64)

    part = ~whole
    g, n = g[part], n[part][:, None]
    lease, end = cohorts.lease[part][:, None], cohorts.end[part][:, None]
    first, last, d = first_day[None, :], last_day[None, :], horizon.days[None, :]
    leased_in = (lease >= first) & (lease <= last)
    gone_in = (end >= first) & (end <= last)
    active = (lease <= last) & (end >= first)
    lease_day = np.where(leased_in, lease - first + 1, 1)
    billed = fees.days_billed(
        d, lease_day, np.where(gone_in, end - first + 1, d),
        leased_in_month=leased_in, relinquished_in_month=gone_in,
        day_count=billing.day_count, lease_proration=billing.lease_proration,
    ) * active  # fmt: skip
    # The refund is what the month would have billed without the relinquish, less the
    # charge: the full fee for an IP held from before, the rest of the month from the
    # lease day for one leased in the same month.
    billed_if_kept = fees.days_billed(
        d, lease_day, leased_in_month=leased_in, lease_proration=billing.lease_proration
    )
    fee = fee_by_group[g]
    charge_ip = np.asarray(fees.prorated_charge(fee, billed, d), dtype=np.int64)
    kept_ip = np.asarray(fees.prorated_charge(fee, billed_if_kept, d), dtype=np.int64)
    for total, values in (
        (ips_start, n * ((lease < first) & (end >= first))),
        (leased, n * leased_in),
        (relinquished, n * (gone_in & active)),
        (ip_days, n * billed),
        (charge, n * charge_ip * active),
        (refund, n * (kept_ip - charge_ip) * (gone_in & active)),
    ):
        np.add.at(total, g, values)

    fleet = (ips_start + leased).sum(axis=0)
    if (fleet > limits.MAX_FLEET).any():
        month = horizon.months[int(np.argmax(fleet > limits.MAX_FLEET))]
        raise PlanError(
            f"{plan.source}: holds {int(fleet.max()):,} IPs in {month}, more than the limit of "
            f"{limits.MAX_FLEET:,} IPs for a whole plan"
        )
    return BudgetArrays(
        groups=groups,
        months=horizon.months,
        ips_start=ips_start,
        leased=leased,
        relinquished=relinquished,
        ip_days=ip_days,
        charge=charge,
        refund=refund,
        currency=book.currency,
        billing=billing,
        warnings=_after_horizon(plan, horizon) + cohorts.warnings,
        ready=cohorts.ready,
    )


def _after_horizon(plan: Plan, horizon: _Horizon) -> tuple[str, ...]:
    """Warnings for what the plan dates after the budget's last month: events, and
    Region lines first leased then."""
    end = (horizon.months[-1] + 1).astype("datetime64[D]")
    out = []
    later = sorted(
        (e for e in plan.events if np.datetime64(e.date, "D") >= end), key=lambda e: e.date
    )
    if later:
        first = later[0]
        more = f" and {len(later) - 1} more" if len(later) > 1 else ""
        out.append(
            f"{len(later)} event{'s' if len(later) != 1 else ''} after {horizon.months[-1]!s} "
            f"{'are' if len(later) != 1 else 'is'} outside this budget: {first.date} "
            f"{first.action} {first.count} in {first.region} ({first.where}){more}; "
            f"a longer --months takes {'them' if len(later) != 1 else 'it'} in"
        )
    for line in plan.regions:
        if line.since is not None and np.datetime64(line.since, "D") >= end:
            out.append(
                f"{line.where}: {line.region} pool {line.pool!r} is leased on {line.since}, "
                f"after this budget's last month ({horizon.months[-1]!s}), so it holds no IPs in it"
            )
    return tuple(out)


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
    curve: str | None = None,
) -> pd.DataFrame:
    """Month-by-month budget of a plan: one row per month x Region x pool.

    Columns are those of the budget CSV: ``month`` (a pandas Period), ``region`` and
    ``pool`` (categoricals), ``ips_start``, ``leased``, ``relinquished``, ``ips_end``,
    ``ip_days`` (int64), ``charge`` and ``refund`` (exact money, the ``money`` dtype:
    ``df.charge.sum()`` is an exact :class:`~decimal.Decimal`) and
    ``currency``. Months in which a pool holds no IPs are left out.

    Sizing settings (``per_ip_rate`` ... ``peak_factor``) and billing settings
    (``day_count``, ``lease_proration``) given here come before the plan's entries
    and ``[defaults]``. ``start`` may be later than the plan's own start: the budget
    then begins with the fleet the earlier events leave. ``events`` (an event-log
    path, or events) replaces the plan's event file.

    ``frame.attrs["warnings"]`` lists what the plan has that the budget leaves out
    (events after its last month); ``frame.attrs["billing"]`` the billing
    conventions used and where each came from; ``frame.attrs["months"]`` the first
    and last month budgeted (the frame has no rows for months no pool holds IPs);
    ``frame.attrs["ready"]``, for each of the plan's events, the day a lease's IPs are
    warm under the warm-up ``curve`` (the plan's, or linear). A relinquish that leaves a
    pool sized from a rate with less warm capacity than that rate is a warning.
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
        "curve": curve,
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
    frame.attrs["months"] = [str(arrays.months[0]), str(arrays.months[-1])]
    frame.attrs["ready"] = [None if d is None else d.isoformat() for d in arrays.ready]
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
    flat = gi * len(arrays.months) + mi  # into the (groups, months) arrays, read once each

    def cells(values: IntArray) -> IntArray:
        return np.asarray(values.ravel()[flat], dtype=np.int64)

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
            "ips_start": cells(arrays.ips_start),
            "leased": cells(arrays.leased),
            "relinquished": cells(arrays.relinquished),
            "ips_end": cells(ips_end),
            "ip_days": cells(arrays.ip_days),
            "charge": money_array(cells(arrays.charge)),
            "refund": money_array(cells(arrays.refund)),
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
