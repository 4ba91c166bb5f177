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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from planner import limits
from planner._checks import as_date, as_int, as_month, require, today_utc
from planner.errors import DataFileError, InputError, UnknownNameError
from planner.plan import DEFAULT_POOL, Event, Plan, RegionLine
from planner.reference import (
    PathLike,
    PriceBook,
    RegionCatalog,
    load_regions,
    read_csv_rows,
    read_user_text,
)
from planner.settings import (
    SIZING_SETTINGS,
    Assumption,
    Layer,
    check_layer,
    resolve,
    resolve_billing,
    resolve_curve,
    size,
)

if TYPE_CHECKING:
    import pandas as pd

FORECAST_COLUMNS = ("month", "region", "pool", "peak_rate", "daily_volume", "note")
MAX_LEAD_DAYS = 3_660


@dataclass(frozen=True)
class ForecastRow:
    month: np.datetime64  # datetime64[M]
    region: str
    pool: str
    peak_rate: str | float | None
    """As written (checked by the sizing call, which names it so in a message)."""
    daily_volume: str | float | None
    where: str


def read_forecast(path: PathLike) -> tuple[ForecastRow, ...]:
    """A forecast CSV: ``month`` (YYYY-MM), ``region``, optional ``pool``, and ``peak_rate``
    [msg/s] or ``daily_volume`` [messages/day] in each row (``note`` is free text)."""
    label = str(path)
    rows = []
    for line, cells in read_csv_rows(
        read_user_text(path), label, ("month", "region"), FORECAST_COLUMNS
    ):
        where = f"{label}, line {line}"
        given = [k for k in ("peak_rate", "daily_volume") if cells.get(k)]
        if len(given) != 1:
            raise DataFileError(label, "give exactly one of peak_rate or daily_volume", line)
        value = cells[given[0]]
        try:
            float(value)
        except ValueError:
            raise InputError(given[0], value, "expected a number", where=where) from None
        try:
            month = as_month("month", cells["month"])
        except InputError as exc:
            raise InputError("month", cells["month"], exc.allowed, where=where) from None
        rows.append(
            ForecastRow(
                month=month,
                region=cells["region"],
                pool=cells.get("pool") or DEFAULT_POOL,
                peak_rate=value if given[0] == "peak_rate" else None,
                daily_volume=value if given[0] == "daily_volume" else None,
                where=where,
            )
        )
    if not rows:
        raise DataFileError(label, "has a header but no forecast rows")
    return tuple(rows)


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
    """A lease: the day its IPs are warm (the first day of ``for_month``)."""
    request_by: dt.date | None
    """A lease: the day the request must be opened (``lead_days`` before the lease)."""


@dataclass(frozen=True)
class Schedule:
    """The result of :func:`schedule`: months, events, the plan and its budget."""

    months: pd.DataFrame
    """``month, region, pool, peak_rate, ips_needed, ips_held, capacity`` [msg/s]."""
    daily: pd.DataFrame
    """``date, region, pool, capacity, peak_rate``: warm capacity each day against the
    forecast peak of its month [msg/s]."""
    events: tuple[ScheduledEvent, ...]
    plan: Plan
    budget: pd.DataFrame
    assumptions: tuple[Assumption, ...]
    warnings: tuple[str, ...]

    def events_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(
            [vars(e) for e in self.events],
            columns=["date", "region", "pool", "action", "count", "for_month", "ready_date",
                     "request_by"],
        )  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of ``ipcost schedule --format json``."""
        from planner.money import amount

        charge = self.budget["charge"].sum() if len(self.budget) else amount(0)
        refund = self.budget["refund"].sum() if len(self.budget) else amount(0)
        return {
            "assumptions": {
                a.setting: {"value": a.value, "origin": a.origin} for a in self.assumptions
            },
            "months": [
                {
                    **r,
                    "peak_rate": float(r["peak_rate"]),
                    "ips_needed": int(r["ips_needed"]),
                    "ips_held": int(r["ips_held"]),
                    "capacity": round(float(r["capacity"]), 4),
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
            "budget": {
                "charge": str(charge),
                "refund": str(refund),
                "currency": str(self.budget["currency"].iloc[0]) if len(self.budget) else "USD",
            },
        }


def _days(value: Any, field: str) -> int:
    n = as_int(field, value)
    require(field, n, (n >= 0) & (n <= MAX_LEAD_DAYS), f"expected 0 to {MAX_LEAD_DAYS:,} days")
    return int(n)


def schedule(
    forecast: PathLike | Sequence[ForecastRow],
    *,
    held: Mapping[str, Any] | Plan | PathLike | None = None,
    lead_days: Any = 0,
    keep_days: Any = 0,
    today: dt.date | str | None = None,
    curve: str | None = None,
    day_count: str | None = None,
    lease_proration: str | None = None,
    prices: PathLike | PriceBook | None = None,
    regions_file: PathLike | RegionCatalog | None = None,
    zones_file: PathLike | None = None,
    fleet_files: Sequence[PathLike] = (),
    fleet_region: str | None = None,
    **sizing: Any,
) -> Schedule:
    """Leases and releases that serve a monthly forecast, and what they cost.

    ``held`` is the starting fleet: ``{"us-east-1": 4}`` or ``{"us-east-1/pool": 4}``, or
    a plan (or its path) whose Region lines give it, sized as ``ipcost budget`` sizes them.
    ``fleet_files`` (``aws sesv2 get-dedicated-ips`` pages, and pool files) give it from
    the account instead, in ``fleet_region`` (default: the forecast's only Region); its
    IPs still warming go on warming from their reported percentage, read ``today``.
    ``sizing`` takes the sizing settings of :func:`planner.estimate` (``utilization``,
    ``az_failures``, ...). See the module's docstring for the rules.
    """
    rows = read_forecast(forecast) if isinstance(forecast, str | Path) else tuple(forecast)
    unknown = [k for k in sizing if k not in SIZING_SETTINGS]
    if unknown:
        raise TypeError(f"schedule() got an unexpected keyword argument {unknown[0]!r}")
    from planner.aws import account_view

    catalog = account_view(load_regions(regions_file), zones_file)
    given = check_layer(Layer(None, {**sizing, "curve": curve, "day_count": day_count,
                                     "lease_proration": lease_proration}))  # fmt: skip
    billing = resolve_billing([given])
    lead, keep = _days(lead_days, "lead_days"), _days(keep_days, "keep_days")
    now = today_utc() if today is None else as_date("today", today)

    # Groups (region, pool) with consecutive months.
    groups: dict[tuple[str, str], list[ForecastRow]] = {}
    for row in rows:
        if row.region not in catalog:
            raise UnknownNameError("region", row.region, catalog.names, where=row.where)
        region = catalog[row.region].region
        groups.setdefault((region, row.pool), []).append(row)
    for (region, pool), members in groups.items():
        months = [r.month for r in members]
        expected = [months[0] + i for i in range(len(months))]
        if months != expected:
            bad = next(r for r, want in zip(members, expected, strict=True) if r.month != want)
            raise InputError("month", str(bad.month), f"expected {region} pool {pool!r}'s months "
                             f"consecutive: {expected[members.index(bad)]!s} here", where=bad.where)  # fmt: skip
    if isinstance(held, str | Path | Plan):
        from planner._budget import size_regions
        from planner.plan import read_plan

        fleet = held if isinstance(held, Plan) else read_plan(held)
        _, counts = size_regions(fleet, catalog, given)
        held = {}
        for line, n in zip(fleet.regions, counts.ips.tolist(), strict=True):
            name = f"{catalog[line.region].region}/{line.pool}"
            held[name] = held.get(name, 0) + n
    warming: dict[tuple[str, str], list[int]] = {}
    fleet_notes: list[str] = []
    if fleet_files:
        if held:
            raise InputError(
                "held", str(held), "fleet files were given too; give one starting fleet"
            )
        held, warming, fleet_notes = _from_fleet(fleet_files, fleet_region, groups, catalog)
    starting = _starting_fleet(held or {}, groups, catalog)

    def warming_of(region: str, pool: str, exact_rate: Fraction) -> tuple[tuple[int, dt.date], ...]:
        return tuple(
            (chosen.resume_index(Fraction(p, 100), exact_rate), now)
            for p in warming.get((region, pool), [])
        )

    settings = {region: resolve(region, [given], catalog) for region, _ in groups}
    all_rows = [r for members in groups.values() for r in members]
    sized = size(
        [settings[catalog[r.region].region] for r in all_rows],
        rate=[r.peak_rate for r in all_rows],
        daily_volume=[r.daily_volume for r in all_rows],
        where=[r.where for r in all_rows],
    )
    chosen, curve_record = resolve_curve([given])
    events: dict[tuple[dt.date, str, str, str], list[Any]] = {}
    month_rows = []
    daily_rows: list[dict[str, Any]] = []
    warnings = list(fleet_notes)
    offset = 0
    for (region, pool), members in groups.items():
        n = sized.ips[offset : offset + len(members)].tolist()
        rates = sized.send_rate[offset : offset + len(members)].tolist()
        offset += len(members)
        s = settings[region]
        shares = chosen.shares(s.per_ip_rate)
        warm_after = chosen.warm_index(s.exact_per_ip_rate)  # W - 1
        firsts = [_first_day(r.month) for r in members]
        lease_day = [f - dt.timedelta(days=warm_after) for f in firsts]
        release_day = [_release_day(f, billing.day_count) for f in firsts]
        start = starting.get((region, pool), 0)
        timeline = _plan_ips(n, start, lease_day, release_day, keep)
        for kind, index, count, when in timeline:
            key = (when, region, pool, kind)
            if key not in events:
                events[key] = [0, members[index].month, index]
            events[key][0] += count
        # Warm capacity each day, from the first lease to the last month's end.
        begin = min([firsts[0], *(when for _, _, _, when in timeline)])
        end = _first_day(members[-1].month + 1)
        peak_of = {str(r.month): rate for r, rate in zip(members, rates, strict=True)}
        for offset_day in range((end - begin).days):
            day = begin + dt.timedelta(days=offset_day)
            _, weight = _held_on(
                timeline, start, day, shares, warming_of(region, pool, s.exact_per_ip_rate)
            )
            daily_rows.append({
                "date": day, "region": region, "pool": pool,
                "capacity": s.utilization * s.per_ip_rate * weight,
                "peak_rate": peak_of.get(f"{day:%Y-%m}", float("nan")),
            })  # fmt: skip
        # IPs held on each month's first day, after that day's events, and their capacity.
        for i, (row, first) in enumerate(zip(members, firsts, strict=True)):
            held_here, weight = _held_on(
                timeline, start, first, shares, warming_of(region, pool, s.exact_per_ip_rate)
            )
            month_rows.append({
                "month": str(row.month), "region": region, "pool": pool, "peak_rate": rates[i],
                "ips_needed": n[i], "ips_held": held_here,
                "capacity": s.utilization * s.per_ip_rate * weight,
            })  # fmt: skip
    scheduled = []
    for (when, region, pool, kind), (count, month, _) in sorted(events.items()):
        if kind == "lease":
            request_by = when - dt.timedelta(days=lead)
            ready = _first_day(month)
            if request_by < now:
                arrive = now + dt.timedelta(days=lead)
                warm = arrive + (ready - when)
                warnings.append(
                    f"{region} pool {pool!r}: the request for {count} IPs for {month!s} had to be "
                    f"opened by {request_by}; opened today ({now}) they arrive on {arrive} and are "
                    f"warm on {warm}"
                )
            scheduled.append(
                ScheduledEvent(when, region, pool, "lease", count, str(month), ready, request_by)
            )
        else:
            scheduled.append(
                ScheduledEvent(when, region, pool, "relinquish", count, str(month), None, None)
            )

    plan = _as_plan(scheduled, starting, [r.month for r in rows], given, billing)
    import pandas as pd

    from planner._budget import budget as run_budget

    frame = run_budget(plan, prices=prices, regions_file=catalog)
    warnings.extend(frame.attrs["warnings"])
    return Schedule(
        months=pd.DataFrame(month_rows, columns=["month", "region", "pool", "peak_rate",
                                                 "ips_needed", "ips_held", "capacity"]),
        daily=pd.DataFrame(daily_rows, columns=["date", "region", "pool", "capacity", "peak_rate"]),
        events=tuple(scheduled),
        plan=plan,
        budget=frame,
        assumptions=(*next(iter(settings.values())).assumptions, curve_record, *billing.assumptions),
        warnings=tuple(warnings),
    )  # fmt: skip


def _first_day(month: np.datetime64) -> dt.date:
    return month.astype("datetime64[D]").item()  # type: ignore[no-any-return]


def _release_day(first: dt.date, day_count: str) -> dt.date:
    """R_m: the last day of the month before (inclusive) or the month's first day (exclusive)."""
    return first - dt.timedelta(days=1) if day_count == "inclusive" else first


def _plan_ips(
    needed: list[int], start: int, lease: list[dt.date], release: list[dt.date], keep: int
) -> list[tuple[str, int, int, dt.date]]:
    """(action, month index, IPs, date) for each IP number's runs, summed per date and month."""
    out: dict[tuple[str, int, dt.date], int] = {}
    last = len(needed) - 1
    for k in range(1, max([*needed, start, 0]) + 1):
        runs = _runs([n >= k for n in needed])
        held = k <= start
        if held and (not runs or runs[0][0] != 0):
            runs.insert(0, (-1, -1))  # held from before the first month, not needed in it
        for i, (a, b) in enumerate(runs):
            if a >= 0 and not (held and i == 0 and a == 0):
                out[("lease", a, lease[a])] = out.get(("lease", a, lease[a]), 0) + 1
            if b == last:
                continue
            ends = release[b + 1]
            following = runs[i + 1] if i + 1 < len(runs) else None
            if following is not None and lease[following[0]] <= ends + dt.timedelta(days=keep):
                runs[i + 1] = (-1, following[1])  # kept through the gap: no new lease
                continue
            out[("relinquish", b + 1, ends)] = out.get(("relinquish", b + 1, ends), 0) + 1
    return sorted(((kind, i, n, when) for (kind, i, when), n in out.items()), key=lambda e: e[3])


def _held_on(
    timeline: list[tuple[str, int, int, dt.date]],
    start: int,
    day: dt.date,
    shares: Any,
    warming: tuple[tuple[int, dt.date], ...] = (),
) -> tuple[int, float]:
    """IPs held on ``day`` after its events, and their warm share summed: the budget's
    rules (one day's relinquishes before its leases; a relinquish takes the newest).
    ``warming``: (curve offset, day read) of starting IPs still warming, which go on
    warming along the curve from where they were read."""
    cohorts: list[list[Any]] = [[None, start]] if start else []
    for kind, _, count, when in sorted(timeline, key=lambda e: (e[3], e[0] == "lease")):
        if when > day:
            break
        if kind == "lease":
            cohorts.append([when, count])
            continue
        left = count
        for cohort in reversed(cohorts):
            take = min(left, cohort[1])
            cohort[1] -= take
            left -= take
    held = sum(c[1] for c in cohorts)
    last = len(shares) - 1
    weight = sum(float(shares[min((day - c[0]).days, last)]) * c[1] for c in cohorts if c[0])
    if cohorts and cohorts[0][0] is None:  # the starting fleet: warm, then those warming
        left = cohorts[0][1]
        partly = sorted((float(shares[min(offset + max((day - read).days, 0), last)])
                         for offset, read in warming), reverse=True)  # fmt: skip
        warm = max(left - len(partly), 0)
        weight += warm + sum(partly[: left - warm])
    return held, weight


def _runs(flags: list[bool]) -> list[tuple[int, int]]:
    """Runs of consecutive True months as (first, last) indexes."""
    runs: list[tuple[int, int]] = []
    for i, flag in enumerate(flags):
        if flag and (not runs or runs[-1][1] != i - 1):
            runs.append((i, i))
        elif flag:
            runs[-1] = (runs[-1][0], i)
    return runs


def _from_fleet(
    files: Sequence[PathLike],
    region: str | None,
    groups: Mapping[tuple[str, str], Any],
    catalog: RegionCatalog,
) -> tuple[dict[str, int], dict[tuple[str, str], list[int]], list[str]]:
    """The starting fleet and its warming IPs' percentages, from AWS CLI output, and a
    note for each pool the forecast does not cover (left out of the schedule)."""
    from planner.aws import DEFAULT_POOL as AWS_DEFAULT_POOL
    from planner.aws import fleet

    regions = sorted({r for r, _ in groups})
    if region is None:
        if len(regions) != 1:
            raise InputError("fleet_region", None, f"the forecast has Regions {', '.join(regions)}; "
                             "name the one the fleet files were read in", missing=True)  # fmt: skip
        region = regions[0]
    found = fleet(files, region, regions_file=catalog)
    held, warming, notes = {}, {}, []
    for p in found.pools:
        if p.scaling != "STANDARD" or not p.ips:
            continue
        pool = DEFAULT_POOL if p.pool == AWS_DEFAULT_POOL else p.pool
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
    given: Layer,
    billing: Any,
) -> Plan:
    """The schedule as a plan that ``ipcost budget`` prices: from the first lease's month
    (or the forecast's first month) to the forecast's last month."""
    first = min([*months, *(np.datetime64(e.date, "M") for e in events)])
    last = max(months)
    defaults = {k: v for k, v in given.values.items() if k not in ("azs",)}
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
                note=f"for {e.for_month}",
                where=f"schedule, {e.date}",
            )
            for e in events
        ),
        name="schedule",
        source="schedule",
    )


def _toml_value(value: Any) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)


def plan_toml(plan: Plan) -> str:
    """A plan as TOML that :func:`planner.read_plan` reads back to the same plan."""
    lines = [
        "# Written by ipcost schedule: the leases and relinquishes that serve a forecast.",
        f"name = {_toml_value(plan.name)}",
        f"start = {_toml_value(plan.start)}",
        f"months = {plan.months}",
        "",
        "[defaults]",
        *(f"{k} = {_toml_value(v)}" for k, v in plan.defaults.items()),
    ]
    for line in plan.regions:
        lines += ["", "[[regions]]", f"region = {_toml_value(line.region)}",
                  f"pool = {_toml_value(line.pool)}", f"ips = {line.ips}"]  # fmt: skip
    for event in plan.events:
        lines += ["", "[[events]]", f"date = {_toml_value(event.date.isoformat())}",
                  f"region = {_toml_value(event.region)}", f"pool = {_toml_value(event.pool)}",
                  f"action = {_toml_value(event.action)}", f"count = {event.count}",
                  f"note = {_toml_value(event.note)}"]  # fmt: skip
    return "\n".join(lines) + "\n"
