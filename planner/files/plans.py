"""Plans: the Regions and pools held, and the leases and relinquishes to come.

A plan is a TOML file (read with :mod:`tomllib`) and, optionally, an event-log CSV
(``date,region,action,count,pool,note``) for people who keep events in a
spreadsheet. :func:`read_plan` checks both and names the file, the line or entry,
and the field of anything it cannot use. A :class:`Plan` can also be built in code.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from planner.errors import DataFileError, PlannerError
from planner.files.tables import read_csv_rows, read_user_text
from planner.files.values import (
    BILLING_SETTINGS,
    PRICING_PLANS,
    SIZING_SETTINGS,
    WARMUP_SETTINGS,
    Layer,
    check_layer,
)
from planner.model import limits
from planner.model.checks import as_date, as_month

ACTIONS = ("lease", "relinquish")
DEFAULT_POOL = "default"
SIZING_KEYS = SIZING_SETTINGS
BILLING_KEYS = BILLING_SETTINGS + WARMUP_SETTINGS
PLAN_KEYS = (
    "start",
    "months",
    "defaults",
    "regions",
    "events",
    "events_file",
    "zones_file",
    "name",
    "pricing_plan",
    "volumes",
)
VOLUME_KEYS = ("month", "region", "pool", "messages")
REGION_KEYS = (
    "region", "pool", "rate", "daily_volume", "ips", "fleet_file", "since", "note", *SIZING_KEYS,
)  # fmt: skip
EVENT_KEYS = ("date", "region", "action", "count", "pool", "note")


class PlanError(PlannerError, ValueError):
    """A plan or event log cannot be used; the message says where and why."""


@dataclass(frozen=True)
class RegionLine:
    """A Region (and pool) in the plan, with how many IPs it holds or needs."""

    region: str
    pool: str = DEFAULT_POOL
    rate: float | None = None
    daily_volume: float | None = None
    ips: int | None = None
    since: dt.date | None = None
    """Lease date; ``None``: held from before the plan starts."""
    settings: Mapping[str, Any] = field(default_factory=dict)
    where: str = "regions"


@dataclass(frozen=True)
class Event:
    """A lease or relinquish of ``count`` IPs on ``date``."""

    date: dt.date
    region: str
    action: str
    count: int
    pool: str | None = None
    note: str = ""
    where: str = "events"


@dataclass(frozen=True)
class Plan:
    """A budget plan: a horizon, settings, Regions held and events to come."""

    start: str
    """First budget month, YYYY-MM."""
    months: int = 12
    defaults: Mapping[str, Any] = field(default_factory=dict)
    regions: tuple[RegionLine, ...] = ()
    events: tuple[Event, ...] = ()
    name: str = ""
    source: str = "plan"
    files: tuple[str, ...] = ()
    """The files it was read from: the plan, its event log and its zones file."""
    zones_file: str | None = None
    """``aws ec2 describe-availability-zones`` output: the account's own AZs for sizing."""
    pricing_plan: str = "none"
    """The SES pricing plan the budget's outbound mail and plan fee are priced under."""
    volumes: Mapping[tuple[str, str, str], int] = field(default_factory=dict)
    """Messages sent in a month, by (Region, pool, YYYY-MM): ``[[volumes]]`` entries (a
    schedule writes its forecast's); a Region line's daily volume gives the rest."""
    events_file: str | None = None
    """The event log its events after the ``[[events]]`` came from, if any."""

    def with_events_file(self, path: str | Path) -> Plan:
        """This plan with ``path``'s events in place of its own event log's (its
        ``[[events]]`` stay): what ``events_file`` does to :func:`read_plan`."""
        own = self.events_file
        kept = tuple(e for e in self.events if own is None or not e.where.startswith(f"{own}, "))
        files = (*(f for f in self.files if f != own), str(path))
        return replace(self, events=kept + read_events(path), events_file=str(path), files=files)


def _fail(where: str, message: str) -> PlanError:
    return PlanError(f"{where}: {message}")


def _unknown_keys(where: str, table: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = [k for k in table if k not in allowed]
    if unknown:
        raise _fail(
            where,
            f"unknown key{'s' if len(unknown) > 1 else ''} {', '.join(repr(k) for k in unknown)}; "
            f"allowed: {', '.join(allowed)}",
        )


def _number(where: str, name: str, value: Any, *, whole: bool = False) -> Any:
    ok = isinstance(value, int) if whole else isinstance(value, int | float)
    if isinstance(value, bool) or not ok:
        kind = "a whole number" if whole else "a number"
        raise _fail(where, f"{name} = {_written(value)} is not {kind}")
    return value


def _text(where: str, name: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, f"{name} = {_written(value)} is not a non-empty string")
    if any(ord(c) < 32 or ord(c) == 127 for c in value.strip()):
        raise _fail(
            where, f"{name} = {value.strip()!r} has a line break or control character; "
            "expected plain text",
        )  # fmt: skip
    return value.strip()


def _written(value: Any) -> str:
    """A TOML value as the user wrote it: true, 2027-01-01, "text", 100."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return repr(value)
    if isinstance(value, list | dict):
        return "an array" if isinstance(value, list) else "a table"
    return repr(value)


def _date(where: str, name: str, value: Any) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date | str):
        raise _fail(where, f"{name} = {_written(value)} is not a date (YYYY-MM-DD)")
    try:
        return as_date(name, value)
    except PlannerError:
        raise _fail(
            where, f"{name} = {_written(value)} is not a real calendar date (YYYY-MM-DD)"
        ) from None


def _settings(where: str, table: Mapping[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """The settings of a plan table, checked by the one resolver's checks."""
    return dict(check_layer(Layer(where, {k: table[k] for k in keys if k in table}), keys).values)


def _event(where: str, raw: Mapping[str, Any]) -> Event:
    _unknown_keys(where, raw, EVENT_KEYS)
    for key in ("date", "region", "action", "count"):
        if key not in raw or raw[key] in ("", None):
            raise _fail(where, f"{key} is missing")
    action = _text(where, "action", raw["action"]).lower()
    if action not in ACTIONS:
        raise _fail(where, f"action = {_written(raw['action'])} is not one of {', '.join(ACTIONS)}")
    count = _number(where, "count", raw["count"], whole=True)
    if not 1 <= count <= limits.MAX_IPS:
        raise _fail(where, f"count = {count} must be 1 to {limits.MAX_IPS:,}")
    pool = raw.get("pool")
    return Event(
        date=_date(where, "date", raw["date"]),
        region=_text(where, "region", raw["region"]),
        action=action,
        count=count,
        pool=_text(where, "pool", pool) if pool not in (None, "") else None,
        note=str(raw.get("note", "") or ""),
        where=where,
    )


def read_events(path: str | Path) -> tuple[Event, ...]:
    """Read an event-log CSV: ``date,region,action,count`` and optional ``pool,note``."""
    label = str(path)
    events = []
    for line, cells in read_csv_rows(
        read_user_text(path), label, ("date", "region", "action", "count"), EVENT_KEYS
    ):
        where = f"{label}, line {line}"
        count_text = cells.get("count", "")
        try:
            typed: dict[str, Any] = {**cells, "count": int(count_text)}
        except ValueError:
            raise _fail(where, f"count = {count_text!r} is not a whole number") from None
        events.append(_event(where, typed))
    return tuple(events)


def _fleet_files(where: str, folder: Path, value: Any) -> list[str]:
    """``fleet_file``: one get-dedicated-ips output, or its pages in order, relative to the plan."""
    names = value if isinstance(value, list) else [value]
    return [str(folder / _text(where, "fleet_file", name)) for name in names]


def _fleet_ips(where: str, files: list[str], pool: Any) -> int:
    """The standard IPs the account holds in ``pool`` (no pool: SES's default pool)."""
    from planner.files.aws import SES_DEFAULT_POOL, read_aws

    name = _text(where, "pool", pool) if pool is not None else SES_DEFAULT_POOL
    account = read_aws(files)
    members = [ip for ip in account.ips if ip.pool == name]
    if not members:
        pools = sorted({ip.pool for ip in account.ips})
        raise _fail(
            where, f"fleet_file has no IPs in pool {name!r}; it has {', '.join(pools) or 'none'}"
        )
    if account.scaling.get(name) == "MANAGED" or any(ip.warmup_percentage == -1 for ip in members):
        raise _fail(
            where, f"pool {name!r} is managed: priced by volume, not per IP (ipcost compare)"
        )
    return len(members)


def _tables(label: str, raw: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    """``[[key]]`` entries, each a table; anything else is an error naming the entry."""
    entries = raw.get(key, [])
    if not isinstance(entries, list):
        raise _fail(
            label, f"{key} = {_written(entries)} is not an array of tables; write [[{key}]]"
        )
    for i, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise _fail(
                f"{label}, [[{key}]] #{i}", f"{_written(entry)} is not a table; write [[{key}]]"
            )
    return entries


def read_plan(path: str | Path, events_file: str | Path | None = None) -> Plan:
    """Read a TOML plan (and its event log); ``events_file`` replaces the plan's own."""
    label = str(path)
    try:
        raw = tomllib.loads(read_user_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(label, f"malformed TOML: {exc}") from None
    _unknown_keys(label, raw, PLAN_KEYS)
    start, months = _horizon(label, raw)
    defaults_raw = raw.get("defaults", {})
    if not isinstance(defaults_raw, dict):
        raise _fail(label, "defaults must be a table ([defaults])")
    _unknown_keys(f"{label}, [defaults]", defaults_raw, SIZING_KEYS + BILLING_KEYS)
    defaults = _settings(f"{label}, [defaults]", defaults_raw, SIZING_KEYS + BILLING_KEYS)
    fleet_files: list[str] = []
    regions = [
        _region_line(f"{label}, [[regions]] #{i}", entry, Path(path).parent, fleet_files)
        for i, entry in enumerate(_tables(label, raw, "regions"), start=1)
    ]
    events = [
        _event(f"{label}, [[events]] #{i}", e)
        for i, e in enumerate(_tables(label, raw, "events"), start=1)
    ]
    chosen = events_file
    if chosen is None and "events_file" in raw:
        chosen = Path(path).parent / _text(label, "events_file", raw["events_file"])
    files = [str(path), *fleet_files]
    zones = None
    if "zones_file" in raw:
        zones = str(Path(path).parent / _text(label, "zones_file", raw["zones_file"]))
        files.append(zones)
    if chosen is not None:
        events.extend(read_events(chosen))
        files.append(str(chosen))
    return Plan(
        start=start,
        months=months,
        defaults=defaults,
        regions=tuple(regions),
        events=tuple(events),
        name=_text(label, "name", raw["name"]) if "name" in raw else "",
        source=label,
        files=tuple(files),
        zones_file=zones,
        pricing_plan=_pricing_plan(label, raw),
        volumes=_volumes(label, raw, regions, events, (start, months)),
        events_file=None if chosen is None else str(chosen),
    )


def _pricing_plan(label: str, raw: Mapping[str, Any]) -> str:
    """The plan's SES pricing plan (none, essentials, pro, enterprise; default none)."""
    if "pricing_plan" not in raw:
        return "none"
    name = _text(label, "pricing_plan", raw["pricing_plan"]).lower()
    if name not in PRICING_PLANS:
        raise _fail(label, f"pricing_plan = {_written(raw['pricing_plan'])} is not one of "
                    f"{', '.join(PRICING_PLANS)}")  # fmt: skip
    return name


def _volumes(
    label: str,
    raw: Mapping[str, Any],
    regions: Sequence[RegionLine],
    events: Sequence[Event],
    horizon: tuple[str, int],
) -> dict[tuple[str, str, str], int]:
    """``[[volumes]]``: messages sent in a month by Region and pool; each names a Region
    line or event of the plan and a month inside it, once."""
    out: dict[tuple[str, str, str], int] = {}
    lines = {(r.region, r.pool) for r in regions}
    lines |= {(e.region, e.pool or DEFAULT_POOL) for e in events}
    year, month0 = (int(part) for part in horizon[0].split("-"))
    inside = [f"{year + (month0 - 1 + i) // 12:04d}-{(month0 - 1 + i) % 12 + 1:02d}"
              for i in range(horizon[1])]  # fmt: skip
    for i, entry in enumerate(_tables(label, raw, "volumes"), start=1):
        where = f"{label}, [[volumes]] #{i}"
        _unknown_keys(where, entry, VOLUME_KEYS)
        for key in ("month", "region", "messages"):
            if key not in entry:
                raise _fail(where, f"{key} is missing")
        month = _text(where, "month", entry["month"])
        try:
            as_month("month", month)
        except PlannerError:
            raise _fail(
                where, f"month = {_written(entry['month'])} is not a calendar month (YYYY-MM)"
            ) from None
        messages = _number(where, "messages", entry["messages"], whole=True)
        if not 0 <= messages <= 31 * limits.MAX_DAILY_VOLUME:
            raise _fail(
                where, f"messages = {messages} must be 0 to {31 * limits.MAX_DAILY_VOLUME:,}"
            )
        pool = _text(where, "pool", entry["pool"]) if "pool" in entry else DEFAULT_POOL
        region = _text(where, "region", entry["region"])
        if (region, pool) not in lines:
            raise _fail(where, f"region = {_written(region)}, pool = {_written(pool)} is not "
                        "a Region line or event of the plan; add it under [[regions]]")  # fmt: skip
        if month not in inside:
            raise _fail(where, f"month = {_written(month)} is outside the plan "
                        f"({inside[0]} to {inside[-1]})")  # fmt: skip
        if (region, pool, month) in out:
            raise _fail(where, f"a second volume for {region}, pool {pool}, {month}; "
                        "give each month once")  # fmt: skip
        out[(region, pool, month)] = int(messages)
    return out


def _horizon(label: str, raw: Mapping[str, Any]) -> tuple[str, int]:
    """The plan's first month (YYYY-MM) and its months (1 to the limit, default 12)."""
    if "start" not in raw:
        raise _fail(label, "start is missing (the first budget month, YYYY-MM)")
    start = str(raw["start"])
    try:
        as_month("start", start)
    except PlannerError:
        raise _fail(
            label, f"start = {_written(raw['start'])} is not a calendar month (YYYY-MM)"
        ) from None
    months = _number(label, "months", raw.get("months", 12), whole=True)
    if not 1 <= months <= limits.MAX_MONTHS:
        raise _fail(label, f"months = {months} must be 1 to {limits.MAX_MONTHS}")
    return start, months


def _region_line(
    where: str, entry: Mapping[str, Any], folder: Path, fleet_files: list[str]
) -> RegionLine:
    """One ``[[regions]]`` entry: a Region and pool with a rate, a daily volume, an IP
    count, or the standard IPs of ``fleet_file`` (whose paths are added to ``fleet_files``)."""
    _unknown_keys(where, entry, REGION_KEYS)
    if "region" not in entry:
        raise _fail(where, "region is missing")
    given = [k for k in ("rate", "daily_volume", "ips", "fleet_file") if k in entry]
    if len(given) != 1:
        raise _fail(where, "give exactly one of rate, daily_volume, ips or fleet_file")
    if given[0] == "fleet_file":
        files_here = _fleet_files(where, folder, entry["fleet_file"])
        fleet_files.extend(files_here)
        entry = {**entry, "ips": _fleet_ips(where, files_here, entry.get("pool"))}
        given = ["ips"]
    amount = _number(where, given[0], entry[given[0]], whole=given[0] == "ips")
    return RegionLine(
        region=_text(where, "region", entry["region"]),
        pool=_text(where, "pool", entry["pool"]) if "pool" in entry else DEFAULT_POOL,
        since=_date(where, "since", entry["since"]) if "since" in entry else None,
        settings=_settings(where, entry, SIZING_KEYS),
        where=where,
        **{given[0]: amount},
    )


def _toml_value(value: Any) -> Any:
    """A plan value as tomli-w writes it: an exact per-IP rate as its decimal where it has
    one (``40``, ``12.5``), else its text (``"625/18"``), as :func:`read_plan` reads both."""
    if isinstance(value, Fraction):
        from decimal import Decimal

        from planner.model.sizing import exact_text

        text = exact_text(value)
        return text if "/" in text else (int(value) if value.denominator == 1 else Decimal(text))
    return value


def plan_toml(plan: Plan) -> str:
    """A plan as TOML that :func:`planner.read_plan` reads back to the same plan, written
    by tomli-w (dates as ISO texts, as plans give them)."""
    import tomli_w

    def present(**values: Any) -> dict[str, Any]:
        return {k: _toml_value(v) for k, v in values.items() if v is not None}

    doc: dict[str, Any] = present(
        name=plan.name or None, start=plan.start, months=plan.months,
        zones_file=str(plan.zones_file) if plan.zones_file else None,
        pricing_plan=plan.pricing_plan if plan.pricing_plan != "none" else None,
    )  # fmt: skip
    doc["defaults"] = {k: _toml_value(v) for k, v in plan.defaults.items()}
    if plan.regions:
        doc["regions"] = [present(region=line.region, pool=line.pool, rate=line.rate,
                                  daily_volume=line.daily_volume, ips=line.ips,
                                  since=line.since.isoformat() if line.since else None,
                                  **line.settings)
                          for line in plan.regions]  # fmt: skip
    if plan.events:
        doc["events"] = [present(date=e.date.isoformat(), region=e.region, pool=e.pool,
                                 action=e.action, count=e.count, note=e.note)
                         for e in plan.events]  # fmt: skip
    if plan.volumes:
        doc["volumes"] = [present(month=month, region=region, pool=pool, messages=messages)
                          for (region, pool, month), messages in plan.volumes.items()]  # fmt: skip
    return "# Written by ipcost: a plan that ipcost budget reads.\n" + tomli_w.dumps(doc)
