"""``schedule``: from a monthly forecast to the leases and relinquishes that serve it.

The rules, exactly as implemented (the README states them too):

- IPs needed in month m: n_m, the estimate's sizing of that month's peak rate (the one
  sizing call, every sizing setting through the resolver).
- New IPs must be fully warm on the first day of the month that needs them. With the
  warm-up curve taking W days (45 for linear; the lease day is day 1), IPs for month m
  are leased on L_m = first day of m - (W - 1) days, and the request must be opened
  ``lead_days`` earlier: request_by = L_m - lead_days.
- IPs no longer needed from month m on are released on R_m, the day that bills nothing
  more in m and nothing less before it: the last day of m - 1 under day_count
  inclusive, the first day of m under exclusive.
- The fleet is numbered IPs: IP k is needed in month m when n_m >= k, so each k is
  needed in runs of consecutive months. A run starting at month a is leased on L_a
  (unless IP k is in the starting fleet and the run starts at the first month). A run
  ending at month b before the last month is released on R_(b+1), unless the next run
  of the same k starts at a' with L_a' <= R_(b+1) + keep_days: then IP k is kept
  through the gap. Starting-fleet IPs not needed in the first month are released on R
  of the first month under the same rule.
- Events are those leases and releases, summed per date, Region and pool. Leases come
  before the forecast's first month where warm-up needs it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from planner.errors import DataFileError, InputError, UnknownNameError
from planner.files import typed
from planner.files.forecasts import ForecastRow, read_forecast
from planner.files.plans import DEFAULT_POOL, Event, Plan, RegionLine
from planner.files.tables import (
    PathLike,
    PriceBook,
    RegionCatalog,
    default_value,
)
from planner.model import limits
from planner.model.checks import FIRST_YEAR, as_int, as_month, require
from planner.model.fees import days_billed, days_in_month, prorated_charge
from planner.model.ledger import day_date, day_number
from planner.model.money import amount, div_half_up_fraction
from planner.model.sizing import exact as sizing_exact
from planner.scenario.budgets import Budget
from planner.scenario.ledgers import BudgetArrays, PlanLedger, budget_arrays
from planner.scenario.scenario import SETTINGS, Scenario
from planner.scenario.settings import Assumption, Settings, Sized, size

if TYPE_CHECKING:
    import pandas as pd

    from planner.files.snapshot import Account
    from planner.ops.forecasting import Forecast


@dataclass(frozen=True)
class ScheduledEvent:
    """A lease or release the schedule makes, summed per date, Region and pool."""

    date: dt.date
    region: str
    pool: str
    action: str
    count: int
    for_month: str
    """The month a lease is for, or the first month a release is no longer needed."""
    ready_date: dt.date | None
    """A lease: the day its IPs are warm (the first day of ``for_month``, or later for a
    lease that could not come in time: from today, requests take ``lead_days``)."""
    request_by: dt.date | None
    """A lease: the day the request must be opened (``lead_days`` before the lease)."""


@dataclass(frozen=True)
class FleetView:
    """What a schedule's plan holds, read from its fleet ledger (the one its budget was
    billed from): IPs and warm capacity on each month's first day, and day by day."""

    found: PlanLedger
    groups: Mapping[tuple[str, str], list[ForecastRow]]
    send_rate: npt.NDArray[np.float64]
    """The forecast's peak rate of each row, in the order of ``groups`` [msg/s]."""
    settings: Mapping[str, Settings]

    def _queries(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], list[Settings]]:
        """For each forecast row: its ledger group (-1: none), its month's first day, and
        its Region's settings."""
        index = {key: i for i, key in enumerate(self.found.ledger.groups)}
        rows = [(key, r) for key, members in self.groups.items() for r in members]
        group = np.array([index.get(key, -1) for key, _ in rows], dtype=np.int64)
        first = np.array([r.month for _, r in rows], "datetime64[M]").astype("datetime64[D]")
        return group, first.astype(np.int64), [self.settings[key[0]] for key, _ in rows]

    def _capacity(
        self, group: Any, day: Any, settings: Sequence[Settings]
    ) -> npt.NDArray[np.float64]:
        return self.found.ledger.capacity(
            group, day, self.found.curves(),
            np.array([s.per_ip_rate for s in settings]), np.array([s.utilization for s in settings]),
        )  # fmt: skip

    def months(self, needed: npt.NDArray[np.int64]) -> pd.DataFrame:
        """``month, region, pool, peak_rate, ips_needed, ips_held, capacity, shortfall``:
        IPs held on each month's first day after its events, what they carry warm, and
        the peak they leave uncarried [msg/s] (0 when they carry it all)."""
        import pandas as pd

        group, first, settings = self._queries()
        rows = [(key, r) for key, members in self.groups.items() for r in members]
        return pd.DataFrame({
            "month": [str(r.month) for _, r in rows],
            "region": [key[0] for key, _ in rows],
            "pool": [key[1] for key, _ in rows],
            "peak_rate": self.send_rate,
            "ips_needed": needed,
            "ips_held": self.found.ledger.held(group, first),
            "capacity": (capacity := self._capacity(group, first, settings)),
            "shortfall": np.maximum(self.send_rate - capacity, 0.0),
        })  # fmt: skip

    def daily(self, events: Sequence[ScheduledEvent]) -> pd.DataFrame:
        """``date, region, pool, capacity, peak_rate``: warm capacity each day, from the
        pool's first lease (or first month) to its last month's end, against the forecast
        peak of the day's month [msg/s]."""
        import pandas as pd

        group, first, settings = self._queries()
        sizes = [len(m) for m in self.groups.values()]
        starts = np.cumsum([0, *sizes[:-1]])
        earliest: dict[tuple[str, str], int] = {}
        for e in events:
            day = day_number(e.date)
            earliest[(e.region, e.pool)] = min(earliest.get((e.region, e.pool), day), day)
        begin = np.array([min(first[a], earliest.get(k, first[a])) for k, a in
                          zip(self.groups, starts, strict=True)], dtype=np.int64)  # fmt: skip
        months = np.array(
            [[m[0].month, m[-1].month] for m in self.groups.values()], "datetime64[M]"
        )
        end = (months[:, 1] + 1).astype("datetime64[D]").astype(np.int64)
        length = end - begin
        which = np.repeat(np.arange(len(sizes)), length)
        day = (
            begin[which]
            + np.arange(int(length.sum()))
            - np.repeat(np.cumsum(length) - length, length)
        )
        # The forecast row of each day's month; days before the first month have no peak.
        month = day.astype("datetime64[D]").astype("datetime64[M]")
        ahead = (month - months[which, 0]).astype(np.int64)
        row = starts[which] + np.maximum(ahead, 0)
        regions = np.array([k[0] for k in self.groups], dtype=object)
        pools = np.array([k[1] for k in self.groups], dtype=object)
        return pd.DataFrame({
            "date": day.astype("datetime64[D]"),
            "region": regions[which],
            "pool": pools[which],
            "capacity": self._capacity(group[row], day, [settings[i] for i in row.tolist()]),
            "peak_rate": np.where(ahead >= 0, self.send_rate[row], np.nan),
        })  # fmt: skip


@dataclass(frozen=True)
class Schedule:
    """The result of :func:`schedule`: months, events, the plan and its budget."""

    needed: npt.NDArray[np.int64]
    """IPs each forecast row needs, in the order of the fleet view's groups."""
    events: tuple[ScheduledEvent, ...]
    plan: Plan
    arrays: BudgetArrays
    """The plan's bill as the ledger makes it (exact cents); :attr:`budget` is its result."""
    assumptions: tuple[Assumption, ...]
    warnings: tuple[str, ...]
    fleet: FleetView
    """The plan's fleet ledger, as the schedule reads it."""
    quantile: float | None = None
    """The forecast quantile planned for (0.9: its p90 column), or None for ``peak_rate``."""
    kept: tuple[KeptGap, ...] = ()
    """The dips in need held through (``keep_days``), each with what holding costs."""
    today: dt.date | None = None
    """The day the schedule starts from: nothing is placed before it."""

    @functools.cached_property
    def months(self) -> pd.DataFrame:
        """``month, region, pool, peak_rate, ips_needed, ips_held, capacity, shortfall``:
        a row per month, Region and pool; made when first asked for."""
        return self.fleet.months(self.needed)

    @functools.cached_property
    def budget(self) -> Budget:
        """The plan's budget, as :func:`planner.budget` gives it for :attr:`plan`."""
        return Budget(self.arrays, self.plan.events)

    @property
    def totals(self) -> dict[str, Decimal]:
        """The budget's exact sums (:attr:`Budget.totals <planner.Budget.totals>`)."""
        return self.budget.totals

    @functools.cached_property
    def daily(self) -> pd.DataFrame:
        """``date, region, pool, capacity, peak_rate``: warm capacity each day against the
        forecast peak of its month [msg/s]; computed when first asked for."""
        return self.fleet.daily(self.events)

    def to_frame(self) -> pd.DataFrame:
        """The months: a row per month, Region and pool (:attr:`months`)."""
        return self.months.copy()

    def events_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(
            [vars(e) for e in self.events],
            columns=["date", "region", "pool", "action", "count", "for_month", "ready_date",
                     "request_by"],
        )  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of ``ipcost schedule --format json``."""
        return {
            "quantile": self.quantile,
            "today": None if self.today is None else self.today.isoformat(),
            "assumptions": {
                a.setting: {"value": a.plain_value, "origin": a.origin} for a in self.assumptions
            },
            "months": [
                {
                    **r,
                    "peak_rate": float(r["peak_rate"]),
                    "ips_needed": int(r["ips_needed"]),
                    "ips_held": int(r["ips_held"]),
                    "capacity": round(float(r["capacity"]), 4),
                    "shortfall": round(float(r["shortfall"]), 4),
                }
                for r in self.months.to_dict("records")
            ],
            "events": [
                {
                    "date": e.date.isoformat(),
                    "region": e.region,
                    "pool": e.pool,
                    "action": e.action,
                    "count": e.count,
                    "for_month": e.for_month,
                    "ready_date": None if e.ready_date is None else e.ready_date.isoformat(),
                    **({"request_by": e.request_by.isoformat()} if e.request_by else {}),
                }
                for e in self.events
            ],
            "kept": [g.to_dict() for g in self.kept],
            "budget": {
                "start": self.budget.start,
                "end": self.budget.end,
                **{k: str(v) for k, v in self.totals.items()},
                "currency": self.budget.currency,
            },
        }


def schedule(
    forecast: PathLike | Sequence[ForecastRow] | Forecast | pd.DataFrame,
    *,
    held: Mapping[str, int | str] | Sequence[str] | None = None,
    held_from: Plan | PathLike | None = None,
    lead_days: int | str | None = None,
    keep_days: int | str | None = None,
    today: dt.date | str | None = None,
    prices: PathLike | PriceBook | None = None,
    regions_file: PathLike | RegionCatalog | None = None,
    zones_file: PathLike | None = None,
    account_file: PathLike | None = None,
    account_dir: PathLike | Account | None = None,
    fleet_files: Sequence[PathLike] = (),
    fleet_region: str | None = None,
    quantile: float | None = None,
    scenario: Scenario | None = None,
    start: str | None = None,
    **settings: Any,
) -> Schedule:
    """Leases and releases that serve a monthly forecast, and what they cost.

    ``held`` is the starting fleet: ``{"us-east-1": 4}`` or ``{"us-east-1/pool": 4}``
    (``["us-east-1/pool=4"]`` as ``--held`` spells it); ``held_from`` a plan (or its path)
    sized as ``ipcost budget`` sizes it; ``fleet_files`` (``get-dedicated-ips`` pages and
    pool files, read in ``fleet_region``) the account's, whose warming IPs go on from their
    percentage on ``today``. ``settings``: :func:`planner.estimate`'s, the billing
    conventions, the warm-up ``curve``, ``lead_days`` and ``keep_days``; ``scenario``
    stands for them, the files and ``today``. ``start`` (YYYY-MM): the budget's first month
    (default: the first event's or the forecast's, never before today's). The rules: the
    module's docstring.
    """
    rows = _rows(forecast, quantile)
    timing = {k: v for k, v in {"lead_days": lead_days, "keep_days": keep_days}.items()
              if v is not None}  # fmt: skip
    scenario = Scenario.given_or_built(
        scenario, {**settings, **timing}, allowed=SETTINGS, function="schedule", prices=prices,
        regions_file=regions_file, zones_file=zones_file, account_file=account_file, account_dir=account_dir, today=today,
    )  # fmt: skip
    groups = _groups(rows, scenario.catalog)
    _check_span(rows, forecast)
    starting, warming, notes = _starting(scenario, groups, held, held_from, fleet_files,
                                         fleet_region)  # fmt: skip
    settings = {region: scenario.settings(region) for region, _ in groups}
    sized = _sized(groups, settings)
    scheduled, late, kept = _events(groups, sized.ips, settings, scenario, starting)
    plan = _as_plan(scheduled, starting, [r.month for r in rows], scenario, quantile, start)
    plan = replace(plan, volumes=_forecast_volumes(groups))
    read = {key: (percents, scenario.today) for key, percents in warming.items()}
    arrays = budget_arrays(plan, scenario, warming=read)
    assert arrays.fleet is not None
    view = FleetView(arrays.fleet, groups, sized.rate, settings)
    return Schedule(
        needed=sized.ips, events=tuple(scheduled), plan=plan, arrays=arrays,
        assumptions=(*next(iter(settings.values())).assumptions, scenario.curve_record,
                     *scenario.billing.assumptions, *scenario.timing.assumptions),
        warnings=(*notes, *late, *arrays.warnings, *_above_quota(groups, sized.rate, scenario)),
        fleet=view, quantile=quantile, kept=tuple(kept), today=scenario.today,
    )  # fmt: skip


def _forecast_volumes(
    groups: Mapping[tuple[str, str], list[ForecastRow]],
) -> dict[tuple[str, str, str], int]:
    """Messages each month of a daily-volume forecast sends (daily volume x the month's
    days, half up): the plan's ``[[volumes]]``, so its budget prices the mail too."""
    out = {}
    for (region, pool), members in groups.items():
        for row in members:
            if row.daily_volume is not None:
                days = int(days_in_month(row.month))
                out[(region, pool, str(row.month))] = div_half_up_fraction(
                    sizing_exact(row.daily_volume) * days
                )
    return out


def _rows(forecast: Any, quantile: float | None = None) -> tuple[ForecastRow, ...]:
    """The forecast's rows; ``quantile`` (0.9) reads that quantile's column (``p90``). A
    :class:`~planner.Forecast` (or its ``to_frame()``) is read as the CSV it writes: each
    rate as its two-decimal text, so the schedule is the one its file gives."""
    if isinstance(forecast, str | Path):
        rows = read_forecast(forecast, quantile)
    elif hasattr(forecast, "column") or hasattr(forecast, "columns"):
        rows = _frame_rows(forecast.to_frame() if hasattr(forecast, "column") else forecast,
                           quantile)  # fmt: skip
    elif quantile is not None:
        raise InputError("quantile", quantile, "reads a forecast file's quantile column; "
                         "give the file, not its rows")  # fmt: skip
    else:
        rows = tuple(forecast)
    if not rows:
        raise InputError("forecast", "no rows", "expected at least one month, Region and rate")
    return rows


def _frame_rows(frame: Any, quantile: float | None) -> tuple[ForecastRow, ...]:
    """A forecast frame (``month, region[, pool]`` and ``peak_rate`` or quantile columns)
    as rows, each rate as the forecast CSV writes it."""
    from planner.files.forecasts import quantile_column

    column = "peak_rate" if quantile is None else quantile_column(quantile)
    if column not in frame.columns:
        raise InputError("quantile", quantile, f"the forecast has no {column} column; it has "
                         f"{', '.join(map(str, frame.columns))}")  # fmt: skip
    pools = frame["pool"] if "pool" in frame.columns else [DEFAULT_POOL] * len(frame)
    return tuple(
        ForecastRow(np.datetime64(str(month), "M"), str(region), str(pool), f"{rate:.2f}", None,
                    f"forecast, row {i}")
        for i, (month, region, pool, rate) in enumerate(
            zip(frame["month"], frame["region"], pools, frame[column], strict=True), start=1)
    )  # fmt: skip


def _sized(
    groups: Mapping[tuple[str, str], list[ForecastRow]], settings: Mapping[str, Settings]
) -> Sized:
    """Each forecast row's IPs, through the one sizing call, in the order of ``groups``."""
    rows = [r for members in groups.values() for r in members]
    return size(
        [settings[key[0]] for key, members in groups.items() for _ in members],
        rate=[r.peak_rate for r in rows],
        daily_volume=[r.daily_volume for r in rows],
        where=[r.where for r in rows],
    )


def _above_quota(
    groups: Mapping[tuple[str, str], list[ForecastRow]], rate: Any, scenario: Scenario
) -> tuple[str, ...]:
    """A warning for each Region whose busiest month (all pools) is above the account's
    maximum send rate."""
    if scenario.account is None and not scenario.accounts:
        return ()
    by_month: dict[tuple[str, Any], float] = {}
    rows = ((key[0], r.month) for key, members in groups.items() for r in members)
    for (region, month), value in zip(rows, np.nan_to_num(np.asarray(rate, np.float64)).tolist(),
                                      strict=True):  # fmt: skip
        by_month[(region, month)] = by_month.get((region, month), 0.0) + value
    busiest: dict[str, float] = {}
    for (region, _), value in by_month.items():
        busiest[region] = max(busiest.get(region, value), value)
    return scenario.quota_warnings(list(busiest.items()))


def _first(held: Mapping[str, Any] | Sequence[str]) -> str:
    return next(iter(held)) if isinstance(held, Mapping) else str(held[0])


def _check_span(rows: Sequence[ForecastRow], forecast: Any) -> None:
    """A forecast spans at most the longest budget (with the two months warm-up leases
    reach before it)."""
    months = np.array([r.month for r in rows], dtype="datetime64[M]")
    span = int((months.max() - months.min()).astype(int)) + 1
    if span + 2 > limits.MAX_MONTHS:
        where = str(forecast) if isinstance(forecast, str | Path) else "the forecast"
        raise DataFileError(where, f"spans {span} months, {months.min()} to {months.max()}; "
                            f"expected at most {limits.MAX_MONTHS - 2}")  # fmt: skip


def _groups(
    rows: Sequence[ForecastRow], catalog: RegionCatalog
) -> dict[tuple[str, str], list[ForecastRow]]:
    """The forecast's rows by (Region as the table spells it, pool); months consecutive."""
    groups: dict[tuple[str, str], list[ForecastRow]] = {}
    names: dict[str, str] = {}  # as given -> as the table spells it, each looked up once
    for row in rows:
        name = names.get(row.region)
        if name is None:
            if row.region not in catalog:
                raise UnknownNameError("region", row.region, catalog.names, where=row.where)
            name = names[row.region] = catalog[row.region].region
        groups.setdefault((name, row.pool), []).append(row)
    for (region, pool), members in groups.items():
        months = np.array([r.month for r in members], dtype="datetime64[M]").astype(np.int64)
        off = np.flatnonzero(months != months[0] + np.arange(len(months)))
        if off.size:
            bad, want = members[int(off[0])], np.datetime64(int(months[0] + off[0]), "M")
            raise InputError("month", str(bad.month), f"expected {region} pool {pool!r}'s months "
                             f"consecutive: {want!s} here", where=bad.where)  # fmt: skip
    return groups


def _starting(
    scenario: Scenario,
    groups: Mapping[tuple[str, str], Any],
    held: Mapping[str, Any] | Sequence[str] | None,
    held_from: Plan | PathLike | None,
    fleet_files: Sequence[PathLike],
    fleet_region: str | None,
) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], list[int]], list[str]]:
    """The starting fleet by (Region, pool) (``held``, a plan's or the account's: one of
    them), the percentages of its IPs still warming, and notes on the account's pools the
    forecast leaves out."""
    if held and held_from is not None:
        raise InputError("held", _first(held), "a plan (--held-from) was given too; give one")
    return _starting_from(scenario, groups, held_from if held_from is not None else held,
                          fleet_files, fleet_region)  # fmt: skip


def _starting_from(
    scenario: Scenario,
    groups: Mapping[tuple[str, str], Any],
    held: Mapping[str, Any] | Sequence[str] | Plan | PathLike | None,
    fleet_files: Sequence[PathLike],
    fleet_region: str | None,
) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], list[int]], list[str]]:
    catalog = scenario.catalog
    if isinstance(held, str | Path | Plan):
        from planner.files.plans import read_plan
        from planner.scenario.ledgers import size_regions

        fleet = held if isinstance(held, Plan) else read_plan(held)
        _, counts = size_regions(fleet, scenario.with_plan(fleet))
        held = {}
        for line, n in zip(fleet.regions, counts.ips.tolist(), strict=True):
            name = f"{catalog[line.region].region}/{line.pool}"
            held[name] = held.get(name, 0) + n
    elif held is not None and not isinstance(held, Mapping):
        held = typed.pairs("held", held, "REGION=N or REGION/POOL=N")
    warming: dict[tuple[str, str], list[int]] = {}
    notes: list[str] = []
    if fleet_files:
        if held:
            raise InputError(
                "held", str(held), "fleet files were given too; give one starting fleet"
            )
        held, warming, notes = _from_fleet(fleet_files, fleet_region, groups, catalog)
    return _starting_fleet(held or {}, groups, catalog), warming, notes


def _events(
    groups: Mapping[tuple[str, str], list[ForecastRow]],
    ips: npt.NDArray[np.int64],
    settings: Mapping[str, Settings],
    scenario: Scenario,
    starting: Mapping[tuple[str, str], int],
) -> tuple[list[ScheduledEvent], list[str], list[KeptGap]]:
    """The leases and releases of every Region and pool, in date order, a warning for
    each lease already late today, and the gaps kept through (``keep_days``). Every
    pool's levels are found at once (:func:`held_levels_many`)."""
    timed: list[_Timed] = []
    offset = 0
    for (region, pool), members in groups.items():
        needed = ips[offset : offset + len(members)]
        offset += len(members)
        timed.append(_timed(region, pool, members, needed, settings[region], scenario,
                            starting.get((region, pool), 0)))  # fmt: skip
    keep = scenario.timing.keep_days
    args = ([t.needed for t in timed], [t.start for t in timed], [t.lease for t in timed],
            [t.release for t in timed])  # fmt: skip
    levels = held_levels_many(*args, keep)
    plain = held_levels_many(*args, 0) if keep else levels
    out: list[ScheduledEvent] = []
    late: list[str] = []
    kept: list[tuple[str, str, int, int, int]] = []
    for t, mine, bare in zip(timed, levels, plain, strict=True):
        events, warnings = _group_events(t, mine, scenario)
        out += events
        late += warnings
        kept += [(t.region, t.pool, *g) for g in _gaps(mine, bare, t.release, t.lease)]
    out.sort(key=lambda e: (e.date, e.region, e.pool, e.action))
    per_ip = _gap_cents([g[0] for g in kept], [g[3] for g in kept], [g[4] for g in kept],
                        scenario)  # fmt: skip
    held = [KeptGap(region, pool, n, day_date(r), day_date(a), n * int(c))
            for (region, pool, n, r, a), c in zip(kept, per_ip.tolist(), strict=True)]  # fmt: skip
    return out, late, held


@dataclass(frozen=True)
class _Timed:
    """One Region and pool's months, need and the days its leases and releases fall on."""

    region: str
    pool: str
    months: npt.NDArray[Any]
    first: npt.NDArray[np.int64]
    needed: npt.NDArray[np.int64]
    start: int
    warm: int
    due: npt.NDArray[np.int64]
    lease: npt.NDArray[np.int64]
    release: npt.NDArray[np.int64]


def _timed(
    region: str, pool: str, members: Sequence[ForecastRow], needed: npt.NDArray[np.int64],
    settings: Settings, scenario: Scenario, start: int,
) -> _Timed:  # fmt: skip
    """A pool's lease and release days: due when warm on the month's first day; nothing
    before today (a late lease comes as soon as a request opened today can be met, a
    release due in the past happens today)."""
    now, lead = scenario.today, scenario.timing.lead_days
    months = np.array([r.month for r in members], dtype="datetime64[M]")
    first = months.astype("datetime64[D]").astype(np.int64)
    warm = scenario.curve.warm_index(settings.exact_per_ip_rate)
    due = first - warm
    if due.size and due[0] < EPOCH_FIRST_YEAR:
        raise InputError("month", str(months[0]), f"its IPs would be leased on "
                         f"{day_date(due[0])}, before {FIRST_YEAR}; expected a later forecast",
                         where=members[0].where)  # fmt: skip
    inclusive = scenario.billing.day_count == "inclusive"
    return _Timed(region, pool, months, first, np.asarray(needed, np.int64), int(start), warm,
                  due, np.maximum(due, day_number(now) + lead),
                  np.maximum(first - 1 if inclusive else first, day_number(now)))  # fmt: skip


def _group_events(
    t: _Timed, levels: npt.NDArray[np.int64], scenario: Scenario
) -> tuple[list[ScheduledEvent], list[str]]:
    """One Region and pool's events from its levels, and a warning per late lease."""
    now, lead = scenario.today, scenario.timing.lead_days
    change = np.diff(levels)
    out, late = [], []
    for m in np.flatnonzero(change).tolist():
        count, month = int(change[m]), str(t.months[m])
        if count < 0:
            out.append(ScheduledEvent(day_date(t.release[m]), t.region, t.pool, "relinquish",
                                      -count, month, None, None))  # fmt: skip
            continue
        day, ready = day_date(t.lease[m]), day_date(t.lease[m] + t.warm)
        out.append(ScheduledEvent(day, t.region, t.pool, "lease", count, month, ready,
                                  day - dt.timedelta(days=lead)))  # fmt: skip
        if t.lease[m] > t.due[m]:
            late.append(f"{t.region} pool {t.pool!r}: {count} IP{'s' if count != 1 else ''} "
                        f"for {month} are late: requested today ({now}) with {lead} lead days, "
                        f"leased {day} and warm {ready}, {int(t.lease[m] - t.due[m])} days "
                        f"after {day_date(t.first[m])}")  # fmt: skip
    return out, late


@dataclass(frozen=True)
class KeptGap:
    """IPs held through a dip in need (``keep_days``) instead of relinquished and leased
    again: what the relinquish and the lease would have been, and what holding costs."""

    region: str
    pool: str
    count: int
    instead_of_relinquish: dt.date
    instead_of_lease: dt.date
    cost_cents: int
    """The charge of holding them less that of the relinquish and the new lease [cents]."""

    @property
    def cost(self) -> Decimal:
        return amount(self.cost_cents)

    def to_dict(self) -> dict[str, Any]:
        return {"region": self.region, "pool": self.pool, "count": self.count,
                "instead_of_relinquish": self.instead_of_relinquish.isoformat(),
                "instead_of_lease": self.instead_of_lease.isoformat(),
                "days": (self.instead_of_lease - self.instead_of_relinquish).days,
                "cost": str(self.cost)}  # fmt: skip


def _gaps(
    levels: npt.NDArray[np.int64], plain: npt.NDArray[np.int64], release: Any, lease: Any
) -> list[tuple[int, int, int]]:
    """(IPs, release day, lease day) of each gap ``levels`` keeps through and ``plain``
    (the same schedule with no gap kept) relinquishes and leases again: the releases it
    saves matched, first come first served, with the leases it saves."""
    from collections import deque

    step, bare = np.diff(levels), np.diff(plain)
    saved_release = np.maximum(-bare, 0) - np.maximum(-step, 0)
    saved_lease = np.maximum(bare, 0) - np.maximum(step, 0)
    waiting = deque([int(release[m]), int(saved_release[m])]
                    for m in np.flatnonzero(saved_release > 0).tolist())  # fmt: skip
    out = []
    for m in np.flatnonzero(saved_lease > 0).tolist():
        n = int(saved_lease[m])
        while n and waiting:
            day, count = waiting[0]
            take = min(n, count)
            out.append((take, day, int(lease[m])))
            n -= take
            waiting[0][1] -= take
            if not waiting[0][1]:
                waiting.popleft()
    return out


def _gap_cents(
    regions: Sequence[str], released: Sequence[int], leased: Sequence[int], scenario: Scenario
) -> npt.NDArray[np.int64]:
    """What one IP held from day ``released`` to day ``leased`` costs more than one
    relinquished on ``released`` and another leased on ``leased``, for each gap, through
    the fee functions the budget uses (each IP-month rounded half up) [cents]: every month
    of the gap billed whole, less the relinquished IP's last month and the new IP's first."""
    if not len(regions):
        return np.zeros(0, dtype=np.int64)
    gone_day = np.asarray(released, dtype="datetime64[D]")
    new_day = np.asarray(leased, dtype="datetime64[D]")
    low, high = gone_day.astype("datetime64[M]"), new_day.astype("datetime64[M]")
    spans = (high - low).astype(np.int64) + 1
    starts = np.cumsum(spans) - spans
    which = np.repeat(np.arange(len(spans)), spans)
    months = low[which] + (np.arange(int(spans.sum())) - starts[which])
    first = months.astype("datetime64[D]")
    fee = scenario.book.fee_cents(default_value("sku"), np.asarray(regions, dtype=object)[which],
                                  first)  # fmt: skip
    dim = days_in_month(months)
    ends = starts + spans - 1
    billing = scenario.billing
    rules = {"day_count": billing.day_count, "lease_proration": billing.lease_proration}
    gone = days_billed(dim[starts], 1, (gone_day - first[starts]).astype(np.int64) + 1,
                       relinquished_in_month=True, **rules)  # fmt: skip
    new = days_billed(dim[ends], (new_day - first[ends]).astype(np.int64) + 1,
                      leased_in_month=True, **rules)  # fmt: skip
    saved = (prorated_charge(fee[starts], gone, dim[starts])
             + prorated_charge(fee[ends], new, dim[ends]))  # fmt: skip
    return np.asarray(np.add.reduceat(fee, starts) - saved, dtype=np.int64)


EPOCH_FIRST_YEAR = day_number(dt.date(FIRST_YEAR, 1, 1))


def held_levels(
    needed: Any, start: int, lease: Any, release: Any, keep: int
) -> npt.NDArray[np.int64]:
    """IPs held in each month under the schedule's rules, with the starting fleet first:
    ``[start, H_0, H_1, ...]``; leases and releases are its differences.

    IP numbers make the rules: IP k is needed in month m when ``needed[m] >= k``. Held
    sets are always IPs 1..H (an IP kept through a gap keeps every lower one, which is
    needed sooner and was needed later), so one level per month says it all:
    ``H_m = max(n_m, G_m, H_(m-1) if it kept IPs through a gap)``, where ``G_m``, the IPs
    no longer needed in m that are kept, is ``min(n_(m-1), max(n_m .. n_A))`` with ``A``
    the last month whose lease day is at most ``release[m] + keep``. Linear in months
    (the window maxima come from a sparse table).

    Jan to Jun 2027 (first days 0, 31, 59, 90, 120, 151 from Jan 1), leases 44 days
    ahead, releases on the day before: April's lease (day 46) comes before March's
    release (day 58), so one dip is kept through; three months down are not.

    >>> first = np.array([0, 31, 59, 90, 120, 151])
    >>> held_levels([15, 15, 4, 15], 0, first[:4] - 44, first[:4] - 1, 0).tolist()
    [0, 15, 15, 15, 15]
    >>> held_levels([15, 15, 4, 4, 4, 15], 0, first - 44, first - 1, 0).tolist()
    [0, 15, 15, 4, 4, 4, 15]
    """
    return held_levels_many([needed], [start], [lease], [release], keep)[0]


def held_levels_many(
    needed: Sequence[Any], start: Sequence[int], lease: Sequence[Any], release: Sequence[Any],
    keep: int,
) -> list[npt.NDArray[np.int64]]:  # fmt: skip
    """:func:`held_levels` of many pools at once: their months side by side (padded to the
    longest), so the recurrence is one step per month over every pool, not per pool."""
    sizes = np.array([len(n) for n in needed], dtype=np.int64)
    count, width = len(sizes), int(sizes.max()) if len(sizes) else 0
    if not count:
        return []
    live_cells = np.arange(width) < sizes[:, None]
    n = np.zeros((count, width), dtype=np.int64)
    n[live_cells] = np.concatenate([np.asarray(x, np.int64) for x in needed])
    # Each pool's last month whose lease day is in reach of a release: one search over all
    # pools' lease days, each pool's shifted past the one before (they never decrease).
    shift = (np.arange(count, dtype=np.int64) * _SPAN)[:, None]
    days = np.full((count, width), _SPAN - 1, dtype=np.int64)
    days[live_cells] = np.concatenate([np.asarray(x, np.int64) for x in lease])
    reach = np.zeros((count, width), dtype=np.int64)
    reach[live_cells] = np.concatenate([np.asarray(x, np.int64) for x in release]) + keep
    last = np.searchsorted((days + shift).ravel(), (reach + shift).ravel(), "right")
    last = last.reshape(count, width) - 1 - np.arange(count)[:, None] * width
    last = np.minimum(last, sizes[:, None] - 1)
    window = np.where(live_cells, _range_max_rows(n, last), -1)
    levels = np.zeros((count, width + 1), dtype=np.int64)
    levels[:, 0] = before = np.asarray(start, dtype=np.int64)
    for m in range(width):
        live = m < sizes
        kept = np.minimum(before, window[:, m])
        through_gap = np.where(levels[:, m] > before, levels[:, m], 0)
        step = np.maximum(np.maximum(n[:, m], kept), through_gap)
        levels[:, m + 1] = np.where(live, step, levels[:, m])
        before = np.where(live, n[:, m], before)
    return [levels[g, : sizes[g] + 1] for g in range(count)]


#: More days than any plan spans (lease days are days since 1970 up to 2999, about
#: 376,000): pools' lease days shifted by this many apart stay in order.
_SPAN = 1 << 20


def _range_max_rows(values: npt.NDArray[np.int64], hi: npt.NDArray[np.int64]) -> Any:
    """``max(values[g, m:hi[g, m] + 1])`` for every row ``g`` and column ``m`` at once (-1
    where ``hi < m``), from a sparse table over the rows."""
    width = values.shape[1]
    table = [values]
    while 2 ** len(table) <= width:
        step = 2 ** (len(table) - 1)
        prev = table[-1]
        table.append(np.maximum(prev[:, :-step], prev[:, step:]))
    lo = np.broadcast_to(np.arange(width), hi.shape)
    ok = hi >= lo
    size = np.where(ok, hi - lo + 1, 1)
    level = np.floor(np.log2(size)).astype(np.int64)
    out = np.full(hi.shape, -1, dtype=np.int64)
    for k in np.unique(level[ok]).tolist():
        g, m = np.nonzero(ok & (level == k))
        out[g, m] = np.maximum(table[k][g, m], table[k][g, hi[g, m] - 2**k + 1])
    return out


def _from_fleet(
    files: Sequence[PathLike],
    region: str | None,
    groups: Mapping[tuple[str, str], Any],
    catalog: RegionCatalog,
) -> tuple[dict[str, int], dict[tuple[str, str], list[int]], list[str]]:
    """The starting fleet and its warming IPs' percentages, from AWS CLI output, and a
    note for each pool the forecast does not cover (left out of the schedule)."""
    from planner.files.aws import SES_DEFAULT_POOL
    from planner.ops.fleets import fleet

    regions = sorted({r for r, _ in groups})
    if region is None:
        if len(regions) != 1:
            raise InputError("fleet_region", None, f"the forecast has Regions {', '.join(regions)}; "
                             "name the one the fleet files were read in", missing=True)  # fmt: skip
        region = regions[0]
    found = fleet(files, region, regions_file=catalog)
    held, warming, notes = {}, {}, []
    for p in found.pools:
        pool = DEFAULT_POOL if p.pool == SES_DEFAULT_POOL else p.pool
        if p.scaling == "MANAGED" and (found.region, pool) in groups:
            raise InputError("fleet", ", ".join(str(f) for f in files),
                             f"{found.region} pool {p.pool!r} is MANAGED ({p.scaling_from}), and "
                             "a schedule leases standard IPs; expected the forecast to name a "
                             "standard pool")  # fmt: skip
        if p.scaling != "STANDARD" or not p.ips:
            continue
        if (found.region, pool) not in groups:
            notes.append(f"{found.region} pool {p.pool!r} holds {p.ips} IPs but has no forecast; "
                         "it is left out of this schedule")  # fmt: skip
            continue
        held[f"{found.region}/{pool}"] = p.ips
        warming[(found.region, pool)] = list(p.warming)
    return held, warming, notes


def _starting_fleet(
    held: Mapping[str, Any], groups: Mapping[tuple[str, str], Any], catalog: RegionCatalog
) -> dict[tuple[str, str], int]:
    out = {}
    for name, count in held.items():
        region, _, pool = str(name).partition("/")
        if region.strip() not in catalog:
            raise InputError("held", name, "names a Region the Region table does not have")
        key = (catalog[region.strip()].region, pool.strip() or DEFAULT_POOL)
        if key not in groups:
            raise InputError("held", name, "names a Region and pool the forecast does not have")
        n = as_int("held", count)
        require(
            "held", n, (n >= 0) & (n <= limits.MAX_IPS), f"expected 0 to {limits.MAX_IPS:,} IPs"
        )
        out[key] = int(n)
    return out


def _as_plan(
    events: list[ScheduledEvent],
    starting: Mapping[tuple[str, str], int],
    months: list[np.datetime64],
    scenario: Scenario,
    quantile: float | None = None,
    start: str | None = None,
) -> Plan:
    """The schedule as a plan that ``ipcost budget`` prices: from the first lease's month
    (or the forecast's first month), but not before today's month, to the forecast's last
    month."""
    month_array = np.array(months, dtype="datetime64[M]")
    first, last = month_array.min(), month_array.max()
    if events:  # events are in date order: the first lease may come before the forecast
        first = min(first, np.datetime64(events[0].date, "M"))
    first = min(max(first, np.datetime64(scenario.today, "M")), last)  # none before today's
    if start is not None:
        first = as_month("start", start)
    from planner.files.forecasts import quantile_column

    planned = "" if quantile is None else f", {quantile_column(quantile)} plan"
    defaults = {k: v for k, v in scenario.given.values.items()
                if k not in ("azs", "lead_days", "keep_days")}  # fmt: skip
    billing = scenario.billing
    defaults.update({"day_count": billing.day_count, "lease_proration": billing.lease_proration})
    return Plan(
        start=str(first),
        months=int((last - first).astype(int)) + 1,
        defaults=defaults,
        regions=tuple(
            RegionLine(region, pool=pool, ips=n) for (region, pool), n in starting.items() if n
        ),
        events=tuple(
            Event(
                date=e.date,
                region=e.region,
                action=e.action,
                count=e.count,
                pool=e.pool,
                note=f"for {e.for_month}{planned}",
                where=f"schedule, {e.date}",
            )
            for e in events
        ),
        name="schedule" if quantile is None else f"schedule for the forecast's {planned[2:-5]}",
        source="schedule",
        # The account's AZs travel with the plan, so a budget sizes with them too.
        zones_file=str(Path(scenario.zones.files[0]).resolve()) if scenario.zones else None,
    )


@dataclass(frozen=True)
class QuantilePlans:
    """Schedules of one forecast at several quantiles, side by side (``schedule --quantile``
    given twice or more): each plan's leases and budget, and the months in which another
    quantile's peak would be above the plan's warm capacity."""

    quantiles: tuple[float, ...]
    plans: tuple[Schedule, ...]
    short: tuple[tuple[float, float, tuple[str, ...]], ...]
    """(plan's quantile, other quantile, ``month region/pool`` where the other's peak is
    above the plan's warm capacity on the month's first day)."""

    def to_frame(self) -> pd.DataFrame:
        """Each plan's months (:meth:`Schedule.to_frame`) with the quantile it plans for."""
        import pandas as pd

        return pd.concat([p.to_frame().assign(quantile=q)
                          for q, p in zip(self.quantiles, self.plans, strict=True)],
                         ignore_index=True)  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract: ``plans`` (each quantile's schedule) and ``short``."""
        return {
            "plans": [
                {"quantile": q, **p.to_dict()}
                for q, p in zip(self.quantiles, self.plans, strict=True)
            ],
            "short": [{"plan": a, "against": b, "months": list(m)} for a, b, m in self.short],
        }


def schedule_quantiles(
    forecast: PathLike | Forecast | pd.DataFrame, quantiles: Sequence[float], **kwargs: Any
) -> QuantilePlans:
    """:func:`schedule` at each of ``quantiles`` (two or more) of a forecast file's
    quantile columns, with where each plan falls short of the others' peaks."""
    qs = tuple(sorted(set(float(q) for q in quantiles)))
    if len(qs) < 2:
        raise InputError("quantile", ", ".join(str(q) for q in quantiles),
                         "expected two or more different quantiles to compare")  # fmt: skip
    plans = tuple(schedule(forecast, quantile=q, **kwargs) for q in qs)
    starts = {p.plan.start for p in plans}
    if len(starts) > 1:  # side by side, every budget over the same months
        plans = tuple(schedule(forecast, quantile=q, start=min(starts), **kwargs) for q in qs)
    keys = ["month", "region", "pool"]
    short = []
    for q, plan in zip(qs, plans, strict=True):
        mine = plan.months.set_index(keys)["capacity"]
        for other_q, other in zip(qs, plans, strict=True):
            if other_q == q:
                continue
            peak = other.months.set_index(keys)["peak_rate"].reindex(mine.index)
            over = mine.index[(peak > mine).to_numpy()]
            short.append((q, other_q, tuple(f"{m} {r}/{p}" for m, r, p in over)))
    return QuantilePlans(qs, plans, tuple(short))
