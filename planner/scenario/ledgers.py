"""A plan's ledger and its month-by-month bill, built in one place below the operations.

``ipcost budget`` (:func:`planner.budget`) and ``ipcost schedule`` both turn a plan into
this: the plan becomes *cohorts*, groups of IPs leased on one day (or held from before the
plan) and relinquished on one day (or never). Events are applied in date order, which is
a loop over events; the fees are then computed for every cohort and month at once as numpy
arrays (cohorts x months) and summed per Region, pool and month. No loop runs over days.

A relinquish takes the most recently leased IPs of the pool first. Within a month that
choice moves no money, only which IP-month carries which days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from planner.errors import InputError, PlannerError
from planner.files.plans import DEFAULT_POOL, Event, Plan, PlanError, RegionLine
from planner.files.tables import (
    SECONDS_PER_DAY,
    PriceBook,
    RegionCatalog,
    WarmupCurve,
    default_value,
)
from planner.files.values import Layer
from planner.model import fees, limits
from planner.model.arrays import IntArray
from planner.model.checks import as_month
from planner.model.ledger import (
    BEFORE,
    LEASE,
    RELINQUISH,
    Curves,
    Ledger,
    ShortfallError,
    build,
    day_number,
)
from planner.model.money import amount, div_half_up_fraction
from planner.model.sizing import exact as sizing_exact
from planner.scenario.scenario import Scenario
from planner.scenario.settings import (
    Assumption,
    Billing,
    Settings,
    Sized,
    size,
)

if TYPE_CHECKING:
    pass


BUDGET_COLUMNS = [
    "month", "region", "pool", "ips_start", "leased", "relinquished", "ips_end",
    "ip_days", "charge", "refund", "currency",
]  # fmt: skip


def size_regions(plan: Plan, scenario: Scenario) -> tuple[list[Settings], Sized]:
    """Each Region line's settings, and what it holds: its count, or sized from its rate.

    Settings resolve through the scenario (options or keywords, then the entry, then
    ``[defaults]``, then the shipped defaults) and the counts come from the one sizing
    call, :func:`planner.scenario.settings.size`, as for ``estimate``.
    """
    lines = plan.regions
    rows = [
        scenario.settings(line.region, Layer(line.where, line.settings) if line.settings else None)
        for line in lines
    ]
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


@dataclass(frozen=True)
class PlanLedger:
    """A plan's fleet ledger with what the budget reports beside it."""

    ledger: Ledger
    settings: list[Settings]
    """Each group's sizing settings (a Region line's, or its Region's for a new pool)."""
    sized: Sized
    """The Region lines' sizing (the first ``len(plan.regions)`` groups)."""
    curve: WarmupCurve
    ready: tuple[dt.date | None, ...] = ()
    """For each of the plan's events: the day a lease's IPs are warm."""
    warnings: tuple[str, ...] = ()

    def curves(self) -> Curves:
        """The warm-up shares of each group's per-IP rate."""
        return curves_for(self.curve, self.settings)


def curves_for(curve: WarmupCurve, settings: Sequence[Settings]) -> Curves:
    """:class:`~planner.model.ledger.Curves` for groups with these settings: one share
    table per distinct per-IP rate."""
    tables: dict[float, int] = {}
    for s in settings:
        tables.setdefault(s.per_ip_rate, len(tables))
    return Curves.of(
        [curve.shares(rate) for rate in tables], [tables[s.per_ip_rate] for s in settings]
    )


@dataclass
class _Columns:
    """Ledger events as columns, and the groups (Region, pool) in the order they appear."""

    groups: dict[tuple[str, str], int]
    settings: list[Settings]
    day: list[int]
    group: list[int]
    action: list[int]
    count: list[int]

    def add(self, day: int, group: int, action: int, count: int) -> None:
        self.day.append(day), self.group.append(group)  # type: ignore[func-returns-value]
        self.action.append(action), self.count.append(count)  # type: ignore[func-returns-value]


def plan_ledger(
    plan: Plan,
    scenario: Scenario,
    start: Any = None,
    warming: Mapping[tuple[str, str], tuple[Sequence[int], dt.date]] | None = None,
) -> PlanLedger:
    """The plan's fleet ledger: its Region lines (held from before, or leased on their
    ``since`` day) and its events, in date order, one day's relinquishes first.

    ``start`` (default: the plan's) is the first day the budget asks about. ``warming``
    gives, for a (Region, pool) of a Region line held from before, the warm-up
    percentages of its IPs still warming (``WarmupPercentage``) and the day they were
    read: each goes on along the curve from where it stands; the line's other IPs are warm.
    """
    keys = _line_keys(plan, scenario.catalog)
    rows, sized = size_regions(plan, scenario)
    since = [line.since for line in plan.regions]
    is_held = np.array([d is None for d in since], dtype=bool)
    lines = np.arange(len(keys), dtype=np.int64)
    held = _held_cohorts(lines[is_held], sized.ips[is_held], keys, rows, scenario.curve,
                         warming or {})  # fmt: skip
    columns = _Columns(dict(zip(keys, range(len(keys)), strict=True)), list(rows), [], [], [], [])
    for line in np.flatnonzero(~is_held).tolist():  # a line leased on its `since` day
        columns.add(day_number(since[line]), line, LEASE, int(sized.ips[line]))
    first_event = len(columns.day)
    ordered = sorted(plan.events, key=lambda e: (e.date, e.action != "relinquish"))
    _event_columns(plan, ordered, scenario, columns)
    start_day = _plan_start(plan) if start is None else day_number(start)
    events = (columns.day, columns.group, columns.action, columns.count)
    try:
        ledger = build(list(columns.groups), held, events, start_day)
    except ShortfallError as exc:  # only events relinquish
        event = ordered[exc.event - first_event]
        pool = event.pool or list(columns.groups)[columns.group[exc.event]][1]
        raise PlanError(
            f"{event.where}: relinquishes {event.count} IPs in {event.region} pool {pool!r} on "
            f"{event.date}, but only {exc.held} are held then"
        ) from None
    found = PlanLedger(ledger, columns.settings, sized, scenario.curve)
    group_of = {id(e): columns.group[first_event + i] for i, e in enumerate(ordered)}
    relinquishes = [(e, group_of[id(e)]) for e in ordered if e.action == "relinquish"]
    return replace(found, ready=_ready(found, plan.events, group_of),
                   warnings=_short_of_rate(found, relinquishes))  # fmt: skip


def _plan_start(plan: Plan) -> int:
    return day_number(as_month("start", plan.start).astype("datetime64[D]"))


def _line_keys(plan: Plan, catalog: RegionCatalog) -> list[tuple[str, str]]:
    """Each Region line's (Region as the table spells it, pool); a pair twice is an error."""
    spelled = {name: catalog[name].region for name in {line.region for line in plan.regions}}
    keys = [(spelled[line.region], line.pool) for line in plan.regions]
    if len(set(keys)) != len(keys):
        seen: set[tuple[str, str]] = set()
        for line, key in zip(plan.regions, keys, strict=True):
            if key in seen:
                raise PlanError(f"{line.where}: {line.region} pool {line.pool!r} is listed twice")
            seen.add(key)
    return keys


def _event_columns(
    plan: Plan, ordered: Sequence[Event], scenario: Scenario, columns: _Columns
) -> None:
    """The plan's events as ledger columns, in date order; a lease into a new pool adds a
    group (its Region's settings), and an event names its pool where the Region has more
    than one."""
    catalog, start = scenario.catalog, _plan_start(plan)
    pools: dict[str, list[str]] = {}
    for region, name in columns.groups:
        pools.setdefault(region, []).append(name)
    for event in ordered:
        if event.region not in catalog:
            try:
                catalog[event.region]
            except PlannerError as exc:
                raise PlanError(f"{event.where}: {exc}") from None
        region = catalog[event.region].region  # as the Region table spells it
        day = day_number(event.date)
        if day < start:
            raise PlanError(
                f"{event.where}: date {event.date} is before the plan's start "
                f"({plan.start}); an IP held then belongs in [[regions]]"
            )
        pool = event.pool if event.pool is not None else _only_pool(event, pools.get(region, []))
        if (region, pool) not in columns.groups:
            if event.action != "lease":
                raise PlanError(
                    f"{event.where}: relinquishes {event.count} IPs in {event.region} pool "
                    f"{pool!r} on {event.date}, but only 0 are held then"
                )
            columns.groups[(region, pool)] = len(columns.groups)
            pools.setdefault(region, []).append(pool)
            columns.settings.append(scenario.settings(region))
        action = LEASE if event.action == "lease" else RELINQUISH
        columns.add(day, columns.groups[(region, pool)], action, event.count)


def _ready(
    found: PlanLedger, events: Sequence[Event], group_of: Mapping[int, int]
) -> tuple[dt.date | None, ...]:
    """For each event, the first day a lease's IPs are warm (W - 1 days after the lease,
    computed once per per-IP rate), None for a relinquish."""
    warm_after: dict[float, dt.timedelta] = {}
    for s in found.settings:
        if s.per_ip_rate not in warm_after:
            warm_after[s.per_ip_rate] = dt.timedelta(
                days=found.curve.warm_index(s.exact_per_ip_rate)
            )
    return tuple(
        event.date + warm_after[found.settings[group_of[id(event)]].per_ip_rate]
        if event.action == "lease" else None
        for event in events
    )  # fmt: skip


def _held_cohorts(
    group: IntArray,
    count: IntArray,
    keys: Sequence[tuple[str, str]],
    settings: Sequence[Settings],
    curve: WarmupCurve,
    warming: Mapping[tuple[str, str], tuple[Sequence[int], dt.date]],
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """(group, count, origin, floor) of the IPs held from before, for the Region lines
    ``group`` (indexes into ``keys`` and ``settings``): warm ones, and one cohort for each
    IP still warming, placed on the curve where its percentage stands."""
    count = count.copy()
    extra: list[tuple[int, int, int]] = []  # (group, origin, floor) of one warming IP
    if warming:
        at = {int(g): i for i, g in enumerate(group.tolist())}
        for line, key in enumerate(keys):
            if key not in warming or line not in at:
                continue
            percents, read = warming[key]
            exact_rate = settings[line].exact_per_ip_rate
            partly = [curve.resume_index(Fraction(p, 100), exact_rate) for p in percents]
            partly = partly[: int(count[at[line]])]
            count[at[line]] -= len(partly)
            extra += [(line, day_number(read) - r, r) for r in partly]
    more = np.array(extra, dtype=np.int64).reshape(-1, 3)
    return (
        np.concatenate([group, more[:, 0]]),
        np.concatenate([count, np.ones(len(more), np.int64)]),
        np.concatenate([np.full(len(group), BEFORE, np.int64), more[:, 1]]),
        np.concatenate([np.zeros(len(group), np.int64), more[:, 2]]),
    )


def _short_of_rate(found: PlanLedger, relinquishes: Sequence[tuple[Event, int]]) -> tuple[str, ...]:
    """A warning for each relinquish (event, group) that leaves a pool sized from a rate
    with less warm capacity than that rate, counting IPs still warming by the curve."""
    lines = len(found.sized.ips)
    asked = [(e, g) for e, g in relinquishes if g < lines and not np.isnan(found.sized.rate[g])]
    if not asked:
        return ()
    groups = np.array([g for _, g in asked], dtype=np.int64)
    days = np.array([day_number(e.date) for e, _ in asked], dtype=np.int64)
    rows = [found.settings[g] for g in groups.tolist()]
    capacity = found.ledger.capacity(
        groups,
        days,
        found.curves(),
        np.array([s.exact_per_ip_rate for s in rows], dtype=object),
        np.array([s.utilization for s in rows]),
    )
    out = []
    for (event, g), carried in zip(asked, capacity.tolist(), strict=True):
        rate = float(found.sized.rate[g])
        if carried < rate:
            out.append(
                f"{event.where}: after relinquishing {event.count} on {event.date}, {event.region} "
                f"pool {event.pool or DEFAULT_POOL!r} carries {carried:,.2f} msg/s warm, below the "
                f"{rate:,.2f} msg/s it is sized for (warm-up curve {found.curve.curve})"
            )
    return tuple(out)


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
    fleet: PlanLedger | None = None
    """The plan's fleet ledger, which the budget was billed from."""
    mail: npt.NDArray[np.int64] | None = None
    """Outbound mail per group and month [cents], when the plan gives volumes."""
    plan_fee: npt.NDArray[np.int64] | None = None
    """The pricing plan's fee per group and month [cents], when the plan gives volumes."""
    assumptions: tuple[Assumption, ...] = ()
    """Every setting the budget rests on: the Region lines' sizing settings (each distinct
    value once), the warm-up curve, the billing conventions and the prices in force."""


def budget_arrays(
    plan: Plan,
    scenario: Scenario,
    *,
    start: str | None = None,
    months: int | None = None,
    warming: Mapping[tuple[str, str], tuple[Sequence[int], dt.date]] | None = None,
) -> BudgetArrays:
    """The vectorised budget computation behind :func:`budget`, in a built scenario.

    A ``start`` after the plan's own start budgets from that month with the fleet the
    earlier events leave. ``warming``: for a Region line's pool, the warm-up percentages
    of its IPs still warming and the day they were read (see :func:`plan_ledger`).
    """
    count = plan.months if months is None else months
    if isinstance(count, bool) or not isinstance(count, int | np.integer):
        raise InputError("months", count, f"expected a whole number, 1 to {limits.MAX_MONTHS}")
    if not 1 <= count <= limits.MAX_MONTHS:
        raise InputError("months", count, f"expected 1 to {limits.MAX_MONTHS}")
    horizon = _horizon(plan.start if start is None else start, count)
    for line in plan.regions:
        if line.region not in scenario.catalog:  # the closest names, naming the line
            try:
                scenario.catalog[line.region]
            except PlannerError as exc:
                raise PlanError(f"{line.where}: {exc}") from None
    found = plan_ledger(plan, scenario, horizon.first[0], warming)
    billed = found.ledger.bill(horizon.first.astype(np.int64), horizon.days,
                               _fees(found.ledger.groups, scenario.book, horizon), scenario.billing)  # fmt: skip
    fleet = (billed["ips_start"] + billed["leased"]).sum(axis=0)
    if (fleet > limits.MAX_FLEET).any():
        month = horizon.months[int(np.argmax(fleet > limits.MAX_FLEET))]
        raise PlanError(
            f"{plan.source}: holds {int(fleet.max()):,} IPs in {month}, more than the limit of "
            f"{limits.MAX_FLEET:,} IPs for a whole plan"
        )
    volumes = _volumes(plan, found, horizon)
    mail = plan_fee = None
    if volumes is not None:
        mail, plan_fee = _mail_and_plan_fee(volumes, found.ledger.groups, scenario, plan, horizon)
    return BudgetArrays(
        groups=found.ledger.groups,
        months=horizon.months,
        mail=mail,
        plan_fee=plan_fee,
        **billed,
        currency=scenario.book.currency,
        billing=scenario.billing,
        warnings=_after_horizon(plan, horizon) + found.warnings,
        ready=found.ready,
        fleet=found,
        assumptions=_assumptions(found, scenario, horizon, plan, volumes is not None),
    )


def _assumptions(
    found: PlanLedger, scenario: Scenario, horizon: _Horizon, plan: Plan, volumes: bool
) -> tuple[Assumption, ...]:
    """What the budget rests on, each distinct record once (the groups share their
    Region's settings, so this reads a handful of objects however many pools there are);
    with ``volumes``, the pricing plan and its mail and plan-fee prices too."""
    from planner.model.pricing import priced_sku

    distinct = {id(s): s for s in found.settings}.values()
    sizing = dict.fromkeys((f"azs in {s.region}" if a.setting == "azs" else a.setting,
                            str(a.value), a.origin, a.source)
                           for s in distinct for a in s.assumptions)  # fmt: skip
    regions = {r for r, _ in found.ledger.groups}
    first, last = horizon.first[0].item(), (horizon.months[-1] + 1).astype("datetime64[D]").item()
    skus = [default_value("sku")]
    if volumes:
        skus += [priced_sku(scenario.book, plan.pricing_plan, "outbound-email"),
                 f"{plan.pricing_plan}:plan-fee"]  # fmt: skip
    prices = [
        Assumption(f"price of {p.sku}", f"{amount(p.price_cents)} {p.currency} per {p.unit} in "
                   f"{'every Region' if p.region == '*' else p.region}, from {p.effective_from}"
                   + (f" to {p.effective_to}" if p.effective_to else "")
                   + (f", {p.tier_from:,}"
                      + (f" to {p.tier_to:,}" if p.tier_to is not None else " and more")
                      + f" {p.unit.split()[-1]} a month" if p.tier_from is not None else ""),
                   "price book", p.source)
        for p in scenario.book
        if p.sku in skus and (p.region == "*" or p.region in regions)
        and p.effective_from < last and (p.effective_to is None or p.effective_to >= first)
    ]  # fmt: skip
    chosen = [Assumption("pricing_plan", plan.pricing_plan, plan.source)] if volumes else []
    return (*(Assumption(*a) for a in sizing), scenario.curve_record,
            *scenario.billing.assumptions, *chosen, *prices)  # fmt: skip


def _fees(groups: Sequence[tuple[str, str]], book: PriceBook, horizon: _Horizon) -> IntArray:
    """The fee per IP of each group (priced by its Region) in each month [cents]."""
    index: dict[str, int] = {}
    codes = np.array([index.setdefault(r, len(index)) for r, _ in groups], dtype=np.int64)
    if not len(groups):
        return np.zeros((0, len(horizon.months)), np.int64)
    names = np.array(list(index), dtype=object)
    by_region = book.fee_cents(default_value("sku"), names[:, None], horizon.first[None, :])
    return np.asarray(by_region[codes], dtype=np.int64)


def _after_horizon(plan: Plan, horizon: _Horizon) -> tuple[str, ...]:
    """Warnings for what the plan dates after the budget's last month: events, and
    Region lines first leased then."""
    end = (horizon.months[-1] + 1).astype("datetime64[D]").item()
    out = []
    later = sorted((e for e in plan.events if e.date >= end), key=lambda e: e.date)
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
        if line.since is not None and line.since >= end:
            out.append(
                f"{line.where}: {line.region} pool {line.pool!r} is leased on {line.since}, "
                f"after this budget's last month ({horizon.months[-1]!s}), so it holds no IPs in it"
            )
    return tuple(out)


# ------------------------------------------------------------ the whole bill by month


def _volumes(plan: Plan, found: PlanLedger, horizon: _Horizon) -> IntArray | None:
    """Messages each group sends in each month (groups x months), or None when the plan
    says nothing of volume. A Region line's daily volume (or its rate with a peak factor
    given, not the default) is sent every day from its lease on; ``[[volumes]]`` entries
    set a month outright."""
    groups = found.ledger.groups
    out = np.zeros((len(groups), len(horizon.months)), dtype=np.int64)
    known = False
    days = horizon.days.tolist()
    for g, line in enumerate(plan.regions):
        per_day = _daily_messages(line, found.settings[g])
        if per_day is None:
            continue
        known = True
        since = np.datetime64(line.since, "D") if line.since is not None else horizon.first[0]
        for m, (first, d) in enumerate(zip(horizon.first.tolist(), days, strict=True)):
            sent = d - max(0, min(d, int((since - np.datetime64(first, "D")).astype(int))))
            out[g, m] = div_half_up_fraction(per_day * sent)
    index = {key: i for i, key in enumerate(groups)}
    months = {str(m): i for i, m in enumerate(horizon.months)}
    for (region, pool, month), messages in plan.volumes.items():
        known = True
        at_group, at_month = index.get((region, pool)), months.get(month)
        if at_group is None or at_month is None:
            raise InputError("volumes", f"{region}/{pool} {month}", "expected a Region and pool "
                             "of the plan and a month inside it")  # fmt: skip
        out[at_group, at_month] = messages
    return out if known else None


def _daily_messages(line: RegionLine, settings: Settings) -> Fraction | None:
    if line.daily_volume is not None:
        return sizing_exact(line.daily_volume)
    if line.rate is not None and settings.assumption("peak_factor").origin != "default":
        return sizing_exact(line.rate) * SECONDS_PER_DAY / sizing_exact(settings.peak_factor)
    return None


def _mail_and_plan_fee(
    volumes: IntArray, groups: Sequence[tuple[str, str]], scenario: Scenario, plan: Plan,
    horizon: _Horizon,
) -> tuple[IntArray, IntArray]:  # fmt: skip
    """Outbound mail and the pricing plan's fee per group and month [cents]. Mail tiers
    apply to a Region's whole volume in a month (all its pools), each tier line rounded
    half up; the Region's mail is shared among its pools by volume (largest remainder, so
    the pools' cents add up to the Region's), its plan fee put on its first pool."""
    from planner.model.pricing import mail_cents

    mail = np.zeros_like(volumes)
    fee = np.zeros_like(volumes)
    by_region: dict[str, list[int]] = {}
    for g, (region, _) in enumerate(groups):
        by_region.setdefault(region, []).append(g)
    for region, members in by_region.items():
        for m, first in enumerate(horizon.first.tolist()):
            total = int(volumes[members, m].sum())
            cents = mail_cents(scenario.book, region, first, plan.pricing_plan, total)
            mail[members, m] = _shares(cents, volumes[members, m])
            fee[members[0], m] = int(scenario.book.fee_cents(
                f"{plan.pricing_plan}:plan-fee", region, np.datetime64(first, "D")))  # fmt: skip
    return mail, fee


def _shares(cents: int, weights: IntArray) -> IntArray:
    """``cents`` split by ``weights``, whole cents that add up (largest remainder)."""
    total = int(weights.sum())
    if total == 0:
        out = np.zeros(len(weights), dtype=np.int64)
        out[0] = cents
        return out
    exact = [cents * int(w) for w in weights.tolist()]
    out = np.array([e // total for e in exact], dtype=np.int64)
    order = sorted(range(len(exact)), key=lambda i: -(exact[i] % total))
    for i in order[: cents - int(out.sum())]:
        out[i] += 1
    return out
