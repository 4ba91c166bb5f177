"""Readers for the AWS CLI's own JSON output: what an account already has.

Each reader takes the files as the AWS CLI printed them and is strict about their
shape and enums (FACTS: the sesv2 2019-09-27 and ec2 service models): a truncated
file, another command's output, an unknown ``WarmupStatus`` or ``ScalingMode`` is one
:class:`~planner.errors.DataFileError` naming the file and what was expected.
:func:`read_aws` tells the commands apart by their top-level keys:

- ``aws sesv2 get-dedicated-ips`` (``DedicatedIps``; several pages as several files,
  each but the last with a ``NextToken``): IPs by pool, warm-up status and percentage;
  an IP without ``PoolName`` is in ``ses-default-dedicated-pool``;
- ``aws sesv2 get-dedicated-ip-pool`` (``DedicatedIpPool``): a pool's scaling mode;
- ``aws sesv2 list-dedicated-ip-pools`` (``DedicatedIpPools``): the pools' names;
- ``aws sesv2 get-account`` (``SendQuota``): the maximum send rate and 24-hour quota,
  -1 meaning unlimited;
- ``aws ec2 describe-availability-zones`` (``AvailabilityZones``): the AZ IDs the
  account can use per Region (``State`` available, ``ZoneType`` availability-zone;
  Local and Wavelength Zones are ignored).

No AWS call is made: this module reads files only.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np

from planner._checks import as_date, today_utc
from planner.errors import DataFileError
from planner.fees import monthly_fee
from planner.money import amount
from planner.reference import (
    PathLike,
    PriceBook,
    RegionCatalog,
    default_value,
    load_prices,
    load_regions,
    read_user_text,
)

DEFAULT_POOL = "ses-default-dedicated-pool"
WARMUP_STATUSES = ("IN_PROGRESS", "DONE", "NOT_APPLICABLE")
SCALING_MODES = ("STANDARD", "MANAGED")
COMMANDS = {
    "DedicatedIps": "aws sesv2 get-dedicated-ips",
    "DedicatedIpPool": "aws sesv2 get-dedicated-ip-pool",
    "DedicatedIpPools": "aws sesv2 list-dedicated-ip-pools",
    "SendQuota": "aws sesv2 get-account",
    "AvailabilityZones": "aws ec2 describe-availability-zones",
}


@dataclass(frozen=True)
class DedicatedIp:
    ip: str
    pool: str
    warmup_status: str
    warmup_percentage: int
    """0-100 for a standard IP; -1 for a managed one."""


@dataclass(frozen=True)
class AwsAccount:
    """What the files given say about the account (one Region's view for SES)."""

    ips: tuple[DedicatedIp, ...] = ()
    scaling: Mapping[str, str] = field(default_factory=dict)
    """Pool name -> ``STANDARD`` or ``MANAGED``, from get-dedicated-ip-pool."""
    pools: tuple[str, ...] = ()
    """From list-dedicated-ip-pools."""
    max_send_rate: float | None = None
    """From get-account [msg/s]; None if unlimited or not given."""
    max_24_hour_send: float | None = None
    zones: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Region -> the AZ IDs the account can use, as describe-availability-zones lists them."""
    files: tuple[str, ...] = ()


def _load(path: PathLike) -> Any:
    text = read_user_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFileError(
            path, f"is not complete JSON ({exc.msg}, line {exc.lineno}); expected the AWS CLI's "
            "JSON output, as printed (--output json)",
        ) from None  # fmt: skip


def _expect(path: PathLike, ok: bool, what: str) -> None:
    if not ok:
        raise DataFileError(path, what)


def _text(path: PathLike, where: str, value: Any, name: str) -> str:
    _expect(
        path,
        isinstance(value, str) and bool(value.strip()),
        f"{where}: {name} {value!r} is not a name",
    )
    return str(value)


def _choice(path: PathLike, where: str, value: Any, name: str, allowed: tuple[str, ...]) -> str:
    _expect(path, value in allowed, f"{where}: {name} {value!r} is not one of {', '.join(allowed)}")
    return str(value)


def _ips(path: PathLike, data: Mapping[str, Any]) -> list[DedicatedIp]:
    entries = data["DedicatedIps"]
    _expect(
        path,
        isinstance(entries, list),
        "DedicatedIps is not a list; expected get-dedicated-ips output",
    )
    out = []
    for i, entry in enumerate(entries, start=1):
        if not _sound_ip(entry):  # the common case costs one test; a fault gets its message
            _ip_fault(path, f"DedicatedIps #{i}", entry)
        pool = entry.get("PoolName", DEFAULT_POOL)
        out.append(DedicatedIp(entry["Ip"], pool, entry["WarmupStatus"], entry["WarmupPercentage"]))
    return out


def _sound_ip(entry: Any) -> bool:
    """An entry of get-dedicated-ips that :func:`_ip_fault` would pass."""
    if not isinstance(entry, dict):
        return False
    ip, status, percent = entry.get("Ip"), entry.get("WarmupStatus"), entry.get("WarmupPercentage")
    pool = entry.get("PoolName", DEFAULT_POOL)
    return (
        isinstance(ip, str) and bool(ip.strip()) and isinstance(pool, str) and bool(pool.strip())
        and isinstance(status, str) and status in WARMUP_STATUSES
        and type(percent) is int and (percent == -1 or 0 <= percent <= 100)
    )  # fmt: skip


def _ip_fault(path: PathLike, where: str, entry: Any) -> None:
    """Raise the error that names what is wrong with one get-dedicated-ips entry."""
    _expect(path, isinstance(entry, dict), f"{where} is not an object")
    missing = [k for k in ("Ip", "WarmupStatus", "WarmupPercentage") if k not in entry]
    _expect(path, not missing, f"{where}: {', '.join(missing)} missing")
    _choice(path, where, entry["WarmupStatus"], "WarmupStatus", WARMUP_STATUSES)
    percent = entry["WarmupPercentage"]
    _expect(path, isinstance(percent, int) and not isinstance(percent, bool)
            and (percent == -1 or 0 <= percent <= 100),
            f"{where}: WarmupPercentage {percent!r} is not -1 or 0 to 100")  # fmt: skip
    if "PoolName" in entry:
        _text(path, where, entry["PoolName"], "PoolName")
    _text(path, where, entry["Ip"], "Ip")
    raise DataFileError(path, f"{where} is not a get-dedicated-ips entry")


def _account(path: PathLike, data: Mapping[str, Any]) -> tuple[float | None, float | None]:
    quota = data["SendQuota"]
    _expect(
        path, isinstance(quota, dict), "SendQuota is not an object; expected get-account output"
    )
    values = []
    for key in ("MaxSendRate", "Max24HourSend"):
        value = quota.get(key)
        _expect(path, isinstance(value, int | float) and not isinstance(value, bool)
                and (value == -1 or value >= 0), f"SendQuota.{key} {value!r} is not -1 or a number of 0 or more")  # fmt: skip
        values.append(None if value == -1 else float(value))
    return values[0], values[1]


def _zones(path: PathLike, data: Mapping[str, Any]) -> dict[str, list[str]]:
    entries = data["AvailabilityZones"]
    _expect(path, isinstance(entries, list), "AvailabilityZones is not a list")
    out: dict[str, list[str]] = {}
    for i, entry in enumerate(entries, start=1):
        where = f"AvailabilityZones #{i}"
        _expect(path, isinstance(entry, dict), f"{where} is not an object")
        missing = [k for k in ("ZoneId", "RegionName", "State") if k not in entry]
        _expect(path, not missing, f"{where}: {', '.join(missing)} missing")
        kind = entry.get("ZoneType", "availability-zone")
        _choice(
            path, where, kind, "ZoneType", ("availability-zone", "local-zone", "wavelength-zone")
        )
        state = _choice(path, where, entry["State"], "State",
                        ("available", "information", "impaired", "unavailable", "constrained"))  # fmt: skip
        region = _text(path, where, entry["RegionName"], "RegionName")
        if kind == "availability-zone" and state == "available":
            out.setdefault(region, []).append(_text(path, where, entry["ZoneId"], "ZoneId"))
    return out


def read_aws(paths: Sequence[PathLike]) -> AwsAccount:
    """Everything the files say, each file recognised by its top-level keys.

    get-dedicated-ips pages must be given in order: every page but the last carries a
    ``NextToken`` and the last does not; an IP in two pages is an error.
    """
    ips: list[DedicatedIp] = []
    pages: list[tuple[PathLike, bool]] = []
    scaling: dict[str, str] = {}
    pools: list[str] = []
    quota: tuple[float | None, float | None] = (None, None)
    zones: dict[str, list[str]] = {}
    for path in paths:
        data = _load(path)
        found = [k for k in COMMANDS if isinstance(data, dict) and k in data]
        _expect(path, len(found) == 1,
                "is not the output of a command ipcost reads; expected one of "
                + ", ".join(COMMANDS.values()))  # fmt: skip
        kind = found[0]
        if kind == "DedicatedIps":
            ips.extend(_ips(path, data))
            pages.append((path, "NextToken" in data))
        elif kind == "DedicatedIpPool":
            pool = data["DedicatedIpPool"]
            _expect(path, isinstance(pool, dict) and "PoolName" in pool and "ScalingMode" in pool,
                    "DedicatedIpPool: expected PoolName and ScalingMode")  # fmt: skip
            name = _text(path, "DedicatedIpPool", pool["PoolName"], "PoolName")
            scaling[name] = _choice(
                path, "DedicatedIpPool", pool["ScalingMode"], "ScalingMode", SCALING_MODES
            )
        elif kind == "DedicatedIpPools":
            names = data["DedicatedIpPools"]
            _expect(path, isinstance(names, list), "DedicatedIpPools is not a list")
            pools.extend(_text(path, "DedicatedIpPools", n, "pool") for n in names)
        elif kind == "SendQuota":
            quota = _account(path, data)
        else:
            for region, ids in _zones(path, data).items():
                zones.setdefault(region, []).extend(ids)
    for i, (path, more) in enumerate(pages):
        last = i == len(pages) - 1
        if more and last:
            raise DataFileError(path, "has a NextToken but no later page was given; run "
                                "get-dedicated-ips --next-token with it and add that output")  # fmt: skip
        if not more and not last:
            raise DataFileError(path, "has no NextToken, yet more get-dedicated-ips pages follow it; "
                                "give the pages in the order the CLI printed them")  # fmt: skip
    seen: set[str] = set()
    for ip in ips:
        if ip.ip in seen:
            raise DataFileError(pages[-1][0], f"IP {ip.ip} appears in two pages")
        seen.add(ip.ip)
    return AwsAccount(
        ips=tuple(ips),
        scaling=scaling,
        pools=tuple(pools),
        max_send_rate=quota[0],
        max_24_hour_send=quota[1],
        zones={k: tuple(v) for k, v in zones.items()},
        files=tuple(str(p) for p in paths),
    )


@dataclass(frozen=True)
class FleetPool:
    pool: str
    scaling: str
    scaling_from: str
    """``get-dedicated-ip-pool``, or how it was inferred when no pool file was given."""
    ips: int
    warming: tuple[int, ...]
    """The warm-up percentages of the IPs still warming (standard pools)."""
    monthly_fee: Decimal | None
    """Standard pools: IPs x the fee; managed pools are priced by volume (None)."""


@dataclass(frozen=True)
class Fleet:
    """The result of :func:`fleet`: an account's dedicated IPs by pool, and their fees."""

    region: str
    currency: str
    price_date: dt.date
    pools: tuple[FleetPool, ...]
    max_send_rate: float | None

    @property
    def ips(self) -> int:
        return sum(p.ips for p in self.pools)

    @property
    def monthly_fee(self) -> Decimal:
        return sum(
            (p.monthly_fee for p in self.pools if p.monthly_fee is not None), Decimal("0.00")
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of ``ipcost fleet --format json``."""
        return {
            "region": self.region,
            "currency": self.currency,
            "price_date": self.price_date.isoformat(),
            "pools": [
                {
                    "pool": p.pool,
                    "scaling": p.scaling,
                    "ips": p.ips,
                    "warming": len(p.warming),
                    "warming_percentages": list(p.warming),
                    "monthly_fee": None if p.monthly_fee is None else str(p.monthly_fee),
                }
                for p in self.pools
            ],
            "total": {"ips": self.ips, "monthly_fee": str(self.monthly_fee)},
        }


def fleet(
    files: Sequence[PathLike],
    region: str = "us-east-1",
    *,
    date: dt.date | str | None = None,
    prices: PathLike | PriceBook | None = None,
    regions_file: PathLike | RegionCatalog | None = None,
) -> Fleet:
    """An account's current fleet in ``region`` from AWS CLI output files, by pool.

    A pool's scaling mode comes from its ``get-dedicated-ip-pool`` output; without one,
    a pool whose IPs report ``WarmupPercentage`` -1 is managed and any other standard.
    Standard pools cost their IPs x the dedicated-IP fee in force on ``date``.

    Examples
    --------
    >>> f = fleet(["data/aws/get-dedicated-ips-1.json", "data/aws/get-dedicated-ips-2.json"],
    ...           date="2027-01-01")
    >>> [(p.pool, p.scaling, p.ips, p.warming) for p in f.pools]  # doctest: +NORMALIZE_WHITESPACE
    [('transactional', 'STANDARD', 5, (40, 15)), ('ses-default-dedicated-pool', 'STANDARD', 2, ()),
     ('marketing', 'MANAGED', 2, ())]
    >>> f.monthly_fee
    Decimal('174.65')
    """
    name = load_regions(regions_file)[region].region
    book = load_prices(prices)
    day = today_utc() if date is None else as_date("date", date)
    account = read_aws(files)
    if not account.ips and not account.scaling and not account.pools:
        raise DataFileError(
            ", ".join(account.files), "has no dedicated IPs or pools; expected aws sesv2 "
            "get-dedicated-ips (and get-dedicated-ip-pool) output",
        )  # fmt: skip
    fee = int(book.fee_cents(default_value("sku"), name, np.datetime64(day, "D")))
    by_pool: dict[str, list[DedicatedIp]] = {}  # one pass over the IPs, pools in order
    for ip in account.ips:
        by_pool.setdefault(ip.pool, []).append(ip)
    for pool in [*account.scaling, *account.pools]:
        by_pool.setdefault(pool, [])
    pools = []
    counts = np.array([len(members) for members in by_pool.values()], dtype=np.int64)
    fees = monthly_fee(counts, fee)  # every pool's fee at once, in cents
    for i, (pool, members) in enumerate(by_pool.items()):
        if pool in account.scaling:
            scaling, how = account.scaling[pool], "get-dedicated-ip-pool"
        elif any(ip.warmup_percentage == -1 for ip in members):
            scaling, how = "MANAGED", "inferred: its IPs report WarmupPercentage -1"
        else:
            scaling, how = "STANDARD", "assumed: no get-dedicated-ip-pool output for it"
        warming = tuple(ip.warmup_percentage for ip in members if ip.warmup_status == "IN_PROGRESS")
        standard = scaling == "STANDARD"
        pools.append(FleetPool(pool, scaling, how, len(members), warming,
                               amount(int(fees[i])) if standard else None))  # fmt: skip
    return Fleet(name, book.currency, day, tuple(pools), account.max_send_rate)


def account_view(catalog: RegionCatalog, zones_file: PathLike | None) -> RegionCatalog:
    """The Region table as the account sees it, from describe-availability-zones output."""
    if zones_file is None:
        return catalog
    zones = read_aws([zones_file]).zones
    if not zones:
        raise DataFileError(zones_file, "lists no available Availability Zone; expected "
                            "aws ec2 describe-availability-zones output")  # fmt: skip
    return catalog.with_zones(zones, str(zones_file))
