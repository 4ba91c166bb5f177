"""Reference tables shipped with ipcost: Regions, prices, capacity profiles, defaults.

The tables live in ``planner/data`` and are read with :mod:`importlib.resources`,
so they are there in an installed wheel. Every loader takes an optional path to a
user's own table in the same format. Tables are checked on load: a bad row is a
:class:`~planner.errors.DataFileError` naming the file, the line and the field.

This module reads CSV with the standard library only, so that ``ipcost estimate``
starts without pandas; each table has ``to_frame()`` for notebooks.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from planner.errors import (
    DataFileError,
    InputError,
    PlannerError,
    UnknownNameError,
)
from planner.model import limits
from planner.model.money import format_cents, parse_cents
from planner.model.pricebook import PRICE_COLUMNS, Price, PriceBook
from planner.model.warmup import WARMUP_UNITS, WarmupCurve

if TYPE_CHECKING:
    import pandas as pd

PathLike = str | Path
Row = TypeVar("Row")
Table = TypeVar("Table")

SECONDS_PER_DAY = 86_400


# --------------------------------------------------------------------------- reading


def read_user_text(path: PathLike) -> str:
    """The text of a user's file (UTF-8, with or without a BOM), or a one-line DataFileError."""
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataFileError(path, "no such file") from None
    except IsADirectoryError:
        raise DataFileError(path, "is a directory, not a file") from None
    except UnicodeDecodeError:
        raise DataFileError(path, "is not UTF-8 text (save it as UTF-8)") from None
    except OSError as exc:
        raise DataFileError(path, f"cannot be read ({exc.strerror})") from None


_SHIPPED: dict[Callable[[PathLike | None], Any], Any] = {}


def _load(path: Any, kind: type[Table], read: Callable[[PathLike | None], Table]) -> Table:
    """A table: ``path`` as it is when already loaded, the shipped one (read once) for
    ``None``, else ``read(path)``."""
    if isinstance(path, kind):
        return path
    if path is not None:
        return read(path)
    if read not in _SHIPPED:
        _SHIPPED[read] = read(None)
    return _SHIPPED[read]  # type: ignore[no-any-return]


def _shipped_text(name: str) -> str:
    """A shipped table's text: ``planner/data/`` read directly (the fast path, with no
    importlib.resources import at start-up), else through importlib.resources (a package
    not on a file system)."""
    try:
        return (Path(__file__).parents[1] / "data" / name).read_text(encoding="utf-8")
    except OSError:
        from importlib import resources

        return (resources.files("planner") / "data" / name).read_text(encoding="utf-8")


def read_csv_rows(
    text: str,
    label: str,
    required: Sequence[str],
    allowed: Sequence[str] | None = None,
) -> list[tuple[int, dict[str, str]]]:
    """The rows of a user's CSV as (line number, {column: stripped cell}), blank rows skipped.

    The header must name each ``required`` column, no column twice and (when
    ``allowed`` is given) no other; quoting must be well formed (an unterminated
    quote is an error, not a cell that swallows the rest of the file), and no row may
    have more cells than the header. Every error names the file and the line.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader, [])]
        doubled = sorted({h for h in header if header.count(h) > 1})
        if doubled:
            raise DataFileError(label, f"column {doubled[0]!r} appears twice in the header", 1)
        missing = [name for name in required if name not in header]
        if missing:
            raise DataFileError(
                label,
                f"missing column(s) {', '.join(missing)}; expected {','.join(allowed or required)}",
                1,
            )
        extra = [h for h in header if allowed is not None and h not in allowed]
        if extra:
            raise DataFileError(
                label,
                f"unknown column(s) {', '.join(extra)}; allowed: {','.join(allowed or ())}",
                1,
            )
        rows: list[tuple[int, dict[str, str]]] = []
        wide = len(header)
        for cells in reader:
            if len(cells) > wide:
                raise DataFileError(label, "more cells than header columns", reader.line_num)
            stripped = [c.strip() for c in cells]
            if not any(stripped):
                continue
            if len(stripped) < wide:
                stripped += [""] * (wide - len(stripped))
            rows.append((reader.line_num, dict(zip(header, stripped, strict=True))))
    except csv.Error as exc:
        raise DataFileError(label, f"malformed CSV ({exc})", reader.line_num) from None
    return rows


def read_rows(
    path: PathLike | None,
    default_name: str,
    required: Sequence[str],
    allowed: Sequence[str] | None = None,
) -> tuple[str, list[tuple[int, dict[str, str]]]]:
    """Read a reference table into (line number, row) pairs, checking its header (and,
    with ``allowed``, that it names no other column)."""
    if path is None:
        label = f"planner/data/{default_name}"
        text = _shipped_text(default_name)
    else:
        label = str(path)
        text = read_user_text(path)
    rows = read_csv_rows(text, label, required, allowed)
    if not rows:
        raise DataFileError(label, "has a header but no rows")
    return label, rows


def _int_cell(
    label: str, line: int, row: dict[str, str], name: str, minimum: int, maximum: int
) -> int:
    text = row[name]
    try:
        value = int(text)
    except ValueError:
        raise DataFileError(label, f"{name} {text!r} is not a whole number", line) from None
    if value > maximum:
        raise DataFileError(label, f"{name} {text} is more than the limit of {maximum:,}", line)
    if value < minimum:
        raise DataFileError(label, f"{name} {value} must be at least {minimum}", line)
    return value


def _date_cell(label: str, line: int, row: dict[str, str], name: str) -> dt.date | None:
    text = row[name]
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise DataFileError(
            label, f"{name} {text!r} is not a date (expected YYYY-MM-DD)", line
        ) from None


def _frame(records: Iterable[Any]) -> pd.DataFrame:
    import pandas as pd

    rows = list(records)
    columns = [f.name for f in fields(rows[0])] if rows else []
    data = [
        {k: (" ".join(v) if isinstance(v, tuple) else v) for k, v in vars(r).items()} for r in rows
    ]
    return pd.DataFrame(data, columns=columns)


# --------------------------------------------------------------------------- regions


@dataclass(frozen=True)
class Region:
    """One SES Region and its Availability Zones."""

    region: str
    name: str
    partition: str
    az_count: int
    """Availability Zones in AWS's Region table."""
    usable_azs: int
    """How many of them the planner spreads over by default (what many accounts can use)."""
    az_ids: tuple[str, ...]
    """AZ IDs in the catalogue's order; the first ``usable_azs`` are used by default."""
    notes: str
    source: str
    as_of: str

    def zone_ids(self, azs: int | None = None) -> tuple[str, ...]:
        """The AZ IDs of the first ``azs`` zones (default: the usable ones)."""
        k = self.usable_azs if azs is None else azs
        if self.az_ids:
            return self.az_ids[:k]
        return tuple(f"az{i + 1}" for i in range(k))


class RegionCatalog:
    """The SES Regions ipcost knows, by name."""

    def __init__(self, regions: Iterable[Region], label: str = "regions") -> None:
        self._by_name = {r.region: r for r in regions}
        self._by_folded = {name.casefold(): r for name, r in self._by_name.items()}
        self.label = label

    def __getitem__(self, name: str) -> Region:
        """The Region named ``name``, matched without regard to case (``US-EAST-1``)."""
        found = self._by_name.get(name) or self._by_folded.get(str(name).strip().casefold())
        if found is None:
            raise UnknownNameError("region", name, self._by_name)
        return found

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and (
            name in self._by_name or name.strip().casefold() in self._by_folded
        )

    def __iter__(self) -> Iterator[Region]:
        return iter(self._by_name.values())

    def __len__(self) -> int:
        return len(self._by_name)

    @property
    def names(self) -> list[str]:
        return list(self._by_name)

    def with_zones(self, zones: Mapping[str, Sequence[str]], label: str = "zones") -> RegionCatalog:
        """The table with each Region of ``zones`` seeing exactly the AZ IDs listed (an
        account's own view, from ``describe-availability-zones``), in that order."""
        regions = []
        for region in self:
            ids = next(
                (tuple(v) for k, v in zones.items() if k in self and self[k] is region), None
            )
            if ids is None:
                regions.append(region)
                continue
            if not 1 <= len(ids) <= limits.MAX_AZS:
                raise DataFileError(
                    label, f"{region.region}: {len(ids)} usable AZs; expected 1 to {limits.MAX_AZS}"
                )
            regions.append(replace(region, az_count=len(ids), usable_azs=len(ids), az_ids=ids,
                                   notes=f"AZ IDs from {label}", source=f"{label} (the account's own view)"))  # fmt: skip
        return RegionCatalog(regions, self.label)

    def to_frame(self) -> pd.DataFrame:
        """The table as a DataFrame (``az_ids`` space separated, as in the CSV)."""
        return _frame(self)


REGION_COLUMNS = (
    "region",
    "name",
    "partition",
    "az_count",
    "usable_azs",
    "az_ids",
    "notes",
    "source",
    "as_of",
)


def load_regions(path: PathLike | RegionCatalog | None = None) -> RegionCatalog:
    """Load the Region table: the shipped one, or a user's CSV in the same format.

    A table already loaded is returned as it is, so callers can pass either.
    """
    return _load(path, RegionCatalog, _load_regions)


def _load_regions(path: PathLike | None) -> RegionCatalog:
    label, rows = read_rows(path, "regions.csv", REGION_COLUMNS)
    regions: list[Region] = []
    seen: set[str] = set()
    for line, row in rows:
        name = row["region"]
        if not name:
            raise DataFileError(label, "region is empty", line)
        if name in seen:
            raise DataFileError(label, f"region {name!r} appears twice", line)
        seen.add(name)
        az_count = _int_cell(label, line, row, "az_count", 1, limits.MAX_AZS)
        usable = _int_cell(label, line, row, "usable_azs", 1, limits.MAX_AZS)
        if usable > az_count:
            raise DataFileError(
                label, f"usable_azs {usable} is more than az_count {az_count}", line
            )
        az_ids = tuple(row["az_ids"].split())
        if az_ids and len(az_ids) != az_count:
            raise DataFileError(
                label,
                f"az_ids lists {len(az_ids)} AZ IDs but az_count is {az_count}",
                line,
            )
        if len(set(az_ids)) != len(az_ids):
            raise DataFileError(label, "az_ids lists an AZ ID twice", line)
        regions.append(
            Region(
                region=name,
                name=row["name"],
                partition=row["partition"],
                az_count=az_count,
                usable_azs=usable,
                az_ids=az_ids,
                notes=row["notes"],
                source=row["source"],
                as_of=row["as_of"],
            )
        )
    return RegionCatalog(regions, label)


# --------------------------------------------------------------------------- profiles


@dataclass(frozen=True)
class CapacityProfile:
    """A provider's published guidance on how much one dedicated IP sends."""

    profile: str
    messages_per_ip_per_day: int
    note: str
    source: str

    @property
    def per_ip_rate(self) -> float:
        """The same capacity as a rate. [msg/s]"""
        return self.messages_per_ip_per_day / SECONDS_PER_DAY


class ByName(Generic[Row]):
    """Rows of a reference table by name; an unknown name is an error listing the closest."""

    #: The field that names a row, and what a name is called in a message.
    field = "name"

    def __init__(self, rows: Iterable[Row], label: str) -> None:
        self._by_name = {getattr(r, self.field): r for r in rows}
        self.label = label

    def __getitem__(self, name: str) -> Row:
        try:
            return self._by_name[name]
        except KeyError:
            raise UnknownNameError(self.field, name, self._by_name) from None

    def __iter__(self) -> Iterator[Row]:
        return iter(self._by_name.values())

    @property
    def names(self) -> list[str]:
        return list(self._by_name)


class ProfileTable(ByName[CapacityProfile]):
    """Capacity profiles by name."""

    field = "profile"

    def __init__(self, profiles: Iterable[CapacityProfile], label: str = "profiles") -> None:
        super().__init__(profiles, label)

    def to_frame(self) -> pd.DataFrame:
        """One row per profile, with its ``per_ip_rate`` [msg/s] beside the daily volume."""
        frame = _frame(self)
        frame.insert(2, "per_ip_rate", [p.per_ip_rate for p in self])
        return frame


def load_profiles(path: PathLike | None = None) -> ProfileTable:
    """Load the capacity profiles: the shipped ones, or a user's CSV."""
    return _load(path, ProfileTable, _load_profiles)


def _load_profiles(path: PathLike | None) -> ProfileTable:
    label, rows = read_rows(
        path, "capacity_profiles.csv", ("profile", "messages_per_ip_per_day", "source")
    )
    profiles = []
    for line, row in rows:
        if not row["profile"]:
            raise DataFileError(label, "profile is empty", line)
        profiles.append(
            CapacityProfile(
                profile=row["profile"],
                messages_per_ip_per_day=_int_cell(
                    label,
                    line,
                    row,
                    "messages_per_ip_per_day",
                    1,
                    int(limits.MAX_MESSAGES_PER_IP_PER_DAY),
                ),
                note=row.get("note", ""),
                source=row["source"],
            )
        )
    return ProfileTable(profiles, label)


# --------------------------------------------------------------------------- warm-up


class WarmupTable(ByName[WarmupCurve]):
    """Warm-up curves by name."""

    field = "curve"

    def __init__(self, curves: Iterable[WarmupCurve], label: str = "warmup") -> None:
        super().__init__(curves, label)

    def to_frame(self) -> pd.DataFrame:
        """One row per curve and day: ``curve``, ``day``, ``limit``, ``unit``, ``source``."""
        import pandas as pd

        return pd.DataFrame(
            [
                {"curve": c.curve, "day": d, "limit": float(x), "unit": c.unit, "source": c.source}
                for c in self
                for d, x in enumerate(c.limits, start=1)
            ]
        )


def load_warmup(path: PathLike | WarmupTable | None = None) -> WarmupTable:
    """Load the warm-up curves: the shipped ones, or a user's CSV in the same format
    (``curve,day,limit,unit,source``; days 1, 2, ... in order, limits never falling)."""
    return _load(path, WarmupTable, _load_warmup)


def _load_warmup(path: PathLike | None) -> WarmupTable:
    label, rows = read_rows(path, "warmup.csv", ("curve", "day", "limit", "unit", "source"))
    grouped: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for line, row in rows:
        if not row["curve"]:
            raise DataFileError(label, "curve is empty", line)
        grouped.setdefault(row["curve"], []).append((line, row))
    curves = []
    for name, entries in grouped.items():
        unit = entries[0][1]["unit"]
        limits: list[Fraction] = []
        for line, row in entries:
            if row["unit"] not in WARMUP_UNITS or row["unit"] != unit:
                raise DataFileError(
                    label, f"unit {row['unit']!r}: expected {unit!r} for all of curve {name!r} "
                    f"(one of {', '.join(WARMUP_UNITS)})", line,
                )  # fmt: skip
            day = _int_cell(label, line, row, "day", 1, 10_000)
            if day != len(limits) + 1:
                raise DataFileError(
                    label, f"day {day}: expected day {len(limits) + 1} of {name!r}", line
                )
            try:
                value = Fraction(row["limit"])
            except (ValueError, ZeroDivisionError):
                raise DataFileError(
                    label, f"limit {row['limit']!r} is not a number", line
                ) from None
            if value <= 0 or (unit == "share" and value > 1) or value > limits_cap(unit):
                raise DataFileError(label, f"limit {row['limit']} is out of range for {unit}", line)
            if limits and value < limits[-1]:
                raise DataFileError(label, f"limit {row['limit']} is below the day before's", line)
            limits.append(value)
        curves.append(WarmupCurve(name, unit, tuple(limits), entries[0][1]["source"]))
    return WarmupTable(curves, label)


def limits_cap(unit: str) -> int:
    """The largest cap a warm-up table may give in ``unit`` (a share is at most 1)."""
    seconds = WARMUP_UNITS[unit]
    return 1 if seconds is None else int(10 * limits.MAX_PER_IP_RATE * seconds)


# --------------------------------------------------------------------------- defaults


@dataclass(frozen=True)
class Default:
    setting: str
    value: str
    unit: str
    source: str


def load_defaults() -> dict[str, Default]:
    """The planner's default settings, each with its source."""
    return dict(_shipped_defaults())


@functools.cache
def _shipped_defaults() -> tuple[tuple[str, Default], ...]:
    _, rows = read_rows(None, "defaults.csv", ("setting", "value", "unit", "source"))
    return tuple(
        (row["setting"], Default(row["setting"], row["value"], row["unit"], row["source"]))
        for _, row in rows
    )


def default_value(setting: str) -> str:
    """One default, as the string in ``defaults.csv``."""
    return load_defaults()[setting].value


# --------------------------------------------------------------------------- prices


def load_prices(path: PathLike | PriceBook | None = None) -> PriceBook:
    """Load the price book: the shipped one, or a user's CSV in the same format.

    A price book already loaded is returned as it is, so callers can pass either.
    """
    return _load(path, PriceBook, _load_prices)


def _load_prices(path: PathLike | None) -> PriceBook:
    label, rows = read_rows(path, "prices.csv", PRICE_COLUMNS)
    prices: list[Price] = []
    for line, row in rows:
        for name in ("sku", "region", "unit", "currency"):
            if not row[name]:
                raise DataFileError(label, f"{name} is empty", line)
        try:
            cents = parse_cents(row["price"])
        except InputError as exc:
            raise DataFileError(label, str(exc), line) from None
        if cents > limits.MAX_FEE_CENTS:
            raise DataFileError(
                label,
                f"price {row['price']} is more than the limit of "
                f"{format_cents(limits.MAX_FEE_CENTS)}",
                line,
            )
        start = _date_cell(label, line, row, "effective_from")
        if start is None:
            raise DataFileError(label, "effective_from is empty (expected YYYY-MM-DD)", line)
        end = _date_cell(label, line, row, "effective_to")
        if end is not None and end < start:
            raise DataFileError(label, f"effective_to {end} is before effective_from {start}", line)
        tier_from = (
            _int_cell(label, line, row, "tier_from", 0, limits.MAX_TIER)
            if row["tier_from"]
            else None
        )
        tier_to = (
            _int_cell(label, line, row, "tier_to", 1, limits.MAX_TIER) if row["tier_to"] else None
        )
        if tier_to is not None and (tier_from is None or tier_to <= tier_from):
            raise DataFileError(label, "tier_to must come with a smaller tier_from", line)
        price = Price(
            sku=row["sku"],
            region=row["region"],
            unit=row["unit"],
            price_cents=cents,
            currency=row["currency"],
            effective_from=start,
            effective_to=end,
            tier_from=tier_from,
            tier_to=tier_to,
            source=row["source"],
        )
        prices.append(price)
    return PriceBook(prices, label, lines=[line for line, _ in rows])


__all__ = [  # Price, PriceBook and WarmupCurve are model values these readers build
    "PRICE_COLUMNS",
    "CapacityProfile",
    "Default",
    "PlannerError",
    "Price",
    "PriceBook",
    "ProfileTable",
    "Region",
    "RegionCatalog",
    "WarmupCurve",
    "default_value",
    "load_defaults",
    "load_prices",
    "load_profiles",
    "load_regions",
    "load_warmup",
]
