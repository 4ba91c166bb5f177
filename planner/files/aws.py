"""Readers for the AWS CLI's own JSON output: what an account already has.

Each reader takes the files as the AWS CLI printed them and is strict about their
shape and enums (the sesv2 2019-09-27 and ec2 service models botocore ships): a truncated
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

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from planner.errors import DataFileError, InputError
from planner.files.tables import (
    PathLike,
    RegionCatalog,
    read_user_text,
)

#: The pool SES puts IPs in that have no pool of their own (plans call theirs "default").
SES_DEFAULT_POOL = "ses-default-dedicated-pool"
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
    zones_seen: frozenset[str] = frozenset()
    """Every Region describe-availability-zones mentions, its AZs available or not."""
    files: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    """What each file is, by its top-level key (``DedicatedIps``, ``SendQuota``, ...)."""
    plan: str | None = None
    """The SES pricing plan in force (get-account's ``PricingAttributes.CurrentPlan``), in
    lower case: ``none``, ``essentials``, ``pro`` or ``enterprise``."""


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def load_json(path: PathLike) -> Any:
    """A file's JSON, strictly: standard JSON only (no NaN or Infinity), nesting and
    whole numbers within Python's limits; anything else is one error naming the file."""
    text = read_user_text(path)
    try:
        return json.loads(text, parse_constant=_not_json)
    except json.JSONDecodeError as exc:
        raise DataFileError(
            path, f"is not complete JSON ({exc.msg}, line {exc.lineno}); expected the AWS CLI's "
            "JSON output, as printed (--output json)",
        ) from None  # fmt: skip
    except ValueError as exc:  # NaN, Infinity, or a whole number of thousands of digits
        raise DataFileError(path, f"is not standard JSON ({exc}); expected the AWS CLI's "
                            "JSON output, as printed (--output json)") from None  # fmt: skip
    except RecursionError:
        raise DataFileError(path, "nests deeper than any AWS CLI output; expected the AWS "
                            "CLI's JSON output, as printed (--output json)") from None  # fmt: skip


def expect(path: PathLike, ok: bool, what: str) -> None:
    if not ok:
        raise DataFileError(path, what)


def _text(path: PathLike, where: str, value: Any, name: str) -> str:
    expect(
        path,
        isinstance(value, str) and bool(value.strip()),
        f"{where}: {name} {value!r} is not a name",
    )
    return str(value)


def _choice(path: PathLike, where: str, value: Any, name: str, allowed: tuple[str, ...]) -> str:
    expect(path, value in allowed, f"{where}: {name} {value!r} is not one of {', '.join(allowed)}")
    return str(value)


def _ips(path: PathLike, data: Mapping[str, Any]) -> list[DedicatedIp]:
    entries = data["DedicatedIps"]
    expect(
        path,
        isinstance(entries, list),
        "DedicatedIps is not a list; expected get-dedicated-ips output",
    )
    out = []
    for i, entry in enumerate(entries, start=1):
        if not _sound_ip(entry):  # the common case costs one test; a fault gets its message
            _ip_fault(path, f"DedicatedIps #{i}", entry)
        pool = entry.get("PoolName", SES_DEFAULT_POOL)
        out.append(DedicatedIp(entry["Ip"], pool, entry["WarmupStatus"], entry["WarmupPercentage"]))
    return out


def _sound_ip(entry: Any) -> bool:
    """An entry of get-dedicated-ips that :func:`_ip_fault` would pass."""
    if not isinstance(entry, dict):
        return False
    ip, status, percent = entry.get("Ip"), entry.get("WarmupStatus"), entry.get("WarmupPercentage")
    pool = entry.get("PoolName", SES_DEFAULT_POOL)
    return (
        isinstance(ip, str) and bool(ip.strip()) and isinstance(pool, str) and bool(pool.strip())
        and isinstance(status, str) and status in WARMUP_STATUSES
        and type(percent) is int and (percent == -1 or 0 <= percent <= 100)
    )  # fmt: skip


def _ip_fault(path: PathLike, where: str, entry: Any) -> None:
    """Raise the error that names what is wrong with one get-dedicated-ips entry."""
    expect(path, isinstance(entry, dict), f"{where} is not an object")
    missing = [k for k in ("Ip", "WarmupStatus", "WarmupPercentage") if k not in entry]
    expect(path, not missing, f"{where}: {', '.join(missing)} missing")
    _choice(path, where, entry["WarmupStatus"], "WarmupStatus", WARMUP_STATUSES)
    percent = entry["WarmupPercentage"]
    expect(path, isinstance(percent, int) and not isinstance(percent, bool)
            and (percent == -1 or 0 <= percent <= 100),
            f"{where}: WarmupPercentage {percent!r} is not -1 or 0 to 100")  # fmt: skip
    if "PoolName" in entry:
        _text(path, where, entry["PoolName"], "PoolName")
    _text(path, where, entry["Ip"], "Ip")
    raise DataFileError(path, f"{where} is not a get-dedicated-ips entry")


def _account(path: PathLike, data: Mapping[str, Any]) -> tuple[float | None, float | None]:
    quota = data["SendQuota"]
    expect(path, isinstance(quota, dict), "SendQuota is not an object; expected get-account output")
    values = []
    for key in ("MaxSendRate", "Max24HourSend"):
        value = quota.get(key)
        expect(path, isinstance(value, int | float) and not isinstance(value, bool)
                and (value == -1 or value >= 0), f"SendQuota.{key} {value!r} is not -1 or a number of 0 or more")  # fmt: skip
        values.append(None if value == -1 else float(value))
    return values[0], values[1]


#: get-account's pricing plans (botocore sesv2: ``PricingAttributes.CurrentPlan``).
PLANS = ("NONE", "ESSENTIALS", "PRO", "ENTERPRISE")


def _plan(path: PathLike, data: Mapping[str, Any]) -> str | None:
    """The account's current pricing plan, when get-account reports one."""
    attributes = data.get("PricingAttributes")
    if attributes is None:
        return None
    expect(path, isinstance(attributes, dict), "PricingAttributes is not an object")
    if "CurrentPlan" not in attributes:
        return None
    return _choice(
        path, "PricingAttributes", attributes["CurrentPlan"], "CurrentPlan", PLANS
    ).lower()


def _zones(path: PathLike, data: Mapping[str, Any]) -> tuple[dict[str, list[str]], set[str]]:
    """The available AZ IDs per Region, and every Region the file mentions."""
    entries = data["AvailabilityZones"]
    expect(path, isinstance(entries, list), "AvailabilityZones is not a list")
    out: dict[str, list[str]] = {}
    seen: set[str] = set()
    for i, entry in enumerate(entries, start=1):
        where = f"AvailabilityZones #{i}"
        expect(path, isinstance(entry, dict), f"{where} is not an object")
        missing = [k for k in ("ZoneId", "RegionName", "State") if k not in entry]
        expect(path, not missing, f"{where}: {', '.join(missing)} missing")
        kind = entry.get("ZoneType", "availability-zone")
        _choice(
            path, where, kind, "ZoneType", ("availability-zone", "local-zone", "wavelength-zone")
        )
        state = _choice(path, where, entry["State"], "State",
                        ("available", "information", "impaired", "unavailable", "constrained"))  # fmt: skip
        region = _text(path, where, entry["RegionName"], "RegionName")
        seen.add(region)
        if kind == "availability-zone" and state == "available":
            zone = _text(path, where, entry["ZoneId"], "ZoneId")
            expect(path, zone not in out.get(region, []), f"{where}: ZoneId {zone} of {region} "
                    "is listed twice; expected each AZ once")  # fmt: skip
            out.setdefault(region, []).append(zone)
    return out, seen


def read_one(path: PathLike, key: str, option: str) -> AwsAccount:
    """One file that must be ``key``'s command output (``SendQuota``: get-account;
    ``AvailabilityZones``: describe-availability-zones); another command's output is an
    error naming ``option``, before anything else in it is checked."""
    data = load_json(path)
    found = [k for k in COMMANDS if isinstance(data, dict) and k in data]
    if found != [key]:
        what = (
            f"{COMMANDS[found[0]]} output" if len(found) == 1 else "not AWS CLI output ipcost reads"
        )
        raise InputError(option, str(path), f"expected {COMMANDS[key]} output, found {what}")
    return read_aws([path])


def read_aws(paths: Sequence[PathLike]) -> AwsAccount:
    """Everything the files say, each file recognised by its top-level keys.

    get-dedicated-ips pages must be given in order: every page but the last carries a
    ``NextToken`` and the last does not; an IP in two pages is an error.
    """
    found = _Found()
    for path in paths:
        data = load_json(path)
        keys = [k for k in COMMANDS if isinstance(data, dict) and k in data]
        expect(path, len(keys) == 1,
                "is not the output of a command ipcost reads; expected one of "
                + ", ".join(COMMANDS.values()))  # fmt: skip
        found.read(path, keys[0], data)
    _check_pages(found.pages, found.ips, found.page_of)
    return AwsAccount(
        ips=tuple(found.ips),
        scaling=found.scaling,
        pools=tuple(found.pools),
        max_send_rate=found.quota[0],
        max_24_hour_send=found.quota[1],
        zones={k: tuple(v) for k, v in found.zones.items()},
        zones_seen=frozenset(found.seen),
        files=tuple(str(p) for p in paths),
        kinds=tuple(found.kinds),
        plan=found.plan,
    )


@dataclass
class _Found:
    """What the files read so far say."""

    ips: list[DedicatedIp] = field(default_factory=list)
    page_of: list[str] = field(default_factory=list)  # the page each IP came from
    pages: list[tuple[PathLike, bool]] = field(default_factory=list)
    scaling: dict[str, str] = field(default_factory=dict)
    pool_files: dict[str, str] = field(default_factory=dict)
    pools: list[str] = field(default_factory=list)
    quota: tuple[float | None, float | None] = (None, None)
    zones: dict[str, list[str]] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    kinds: list[str] = field(default_factory=list)
    plan: str | None = None

    def read(self, path: PathLike, kind: str, data: Any) -> None:
        self.kinds.append(kind)
        if kind == "DedicatedIps":
            page = _ips(path, data)
            self.ips.extend(page)
            self.page_of.extend([str(path)] * len(page))
            self.pages.append((path, "NextToken" in data))
        elif kind == "DedicatedIpPool":
            self._pool(path, data["DedicatedIpPool"])
        elif kind == "DedicatedIpPools":
            names = data["DedicatedIpPools"]
            expect(path, isinstance(names, list), "DedicatedIpPools is not a list")
            self.pools.extend(_text(path, "DedicatedIpPools", n, "pool") for n in names)
        elif kind == "SendQuota":
            self.quota = _account(path, data)
            self.plan = _plan(path, data)
        else:
            available, mentioned = _zones(path, data)
            self.seen |= mentioned
            for region, ids in available.items():
                self.zones.setdefault(region, []).extend(ids)

    def _pool(self, path: PathLike, pool: Any) -> None:
        """A pool's scaling mode; two files that disagree about it are an error."""
        expect(path, isinstance(pool, dict) and "PoolName" in pool and "ScalingMode" in pool,
                "DedicatedIpPool: expected PoolName and ScalingMode")  # fmt: skip
        name = _text(path, "DedicatedIpPool", pool["PoolName"], "PoolName")
        mode = _choice(path, "DedicatedIpPool", pool["ScalingMode"], "ScalingMode", SCALING_MODES)
        known = self.scaling.get(name, mode)
        expect(path, known == mode, f"pool {name!r} is {mode} here but {known} in "
                f"{self.pool_files.get(name)}; expected one scaling mode per pool")  # fmt: skip
        self.scaling[name], self.pool_files[name] = mode, str(path)


def _check_pages(
    pages: Sequence[tuple[PathLike, bool]], ips: Sequence[DedicatedIp], page_of: Sequence[str]
) -> None:
    """get-dedicated-ips pages in the order printed (each but the last with a
    ``NextToken``), no IP in two of them."""
    for i, (path, more) in enumerate(pages):
        last = i == len(pages) - 1
        if more and last:
            raise DataFileError(path, "has a NextToken but no later page was given; run "
                                "get-dedicated-ips --next-token with it and add that output")  # fmt: skip
        if not more and not last:
            raise DataFileError(path, "has no NextToken, yet more get-dedicated-ips pages follow it; "
                                "give the pages in the order the CLI printed them")  # fmt: skip
    seen: dict[str, str] = {}
    for ip, page in zip(ips, page_of, strict=True):
        if ip.ip in seen:
            where = "twice in it" if seen[ip.ip] == page else f"also in {seen[ip.ip]}"
            raise DataFileError(page, f"IP {ip.ip} appears {where}; expected each IP once")
        seen[ip.ip] = page


def account_view(
    catalog: RegionCatalog, zones_file: PathLike | Sequence[PathLike]
) -> tuple[RegionCatalog, AwsAccount]:
    """The Region table as the account sees it, from describe-availability-zones output
    (one file, or one per Region as a snapshot holds them), and what the files say (which
    Regions they cover)."""
    files = [zones_file] if isinstance(zones_file, str | os.PathLike) else list(zones_file)
    for path in files:
        read_one(path, "AvailabilityZones", "zones_file")  # each file the right command's
    zones = read_aws(files)
    return catalog.with_zones(zones.zones, ", ".join(map(str, files))), zones
