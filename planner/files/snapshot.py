"""A snapshot folder: the account's AWS CLI output under fixed names, read and written.

``ipcost snapshot -o DIR`` (:mod:`planner.ops.snapshots`) writes, for each Region R::

    DIR/manifest.json                      when, which account, Regions, calls, ipcost's version
    DIR/get-products-AmazonSES.json        aws pricing get-products --service-code AmazonSES
    DIR/R/get-account.json                 aws sesv2 get-account
    DIR/R/get-dedicated-ips.json           aws sesv2 get-dedicated-ips (every page, merged)
    DIR/R/list-dedicated-ip-pools.json     aws sesv2 list-dedicated-ip-pools
    DIR/R/get-dedicated-ip-pool-NAME.json  aws sesv2 get-dedicated-ip-pool, one per pool
    DIR/R/describe-availability-zones.json aws ec2 describe-availability-zones
    DIR/R/send-hourly.json                 aws cloudwatch get-metric-data, Send Sum per hour
    DIR/R/send-minute.json                 the same per minute

each in exactly the JSON the AWS CLI prints (four-space indent, times in ISO 8601 with
their offset), so the readers that take hand-run CLI files read these too. :class:`Account`
is the reading side; :func:`write_folder` replaces the folder whole or not at all, and
:func:`merge_metric` extends a history kept from an earlier snapshot.

No AWS call is made here: this module reads and writes files only.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.errors import DataFileError, InputError

MANIFEST = "manifest.json"
PRICES = "get-products-AmazonSES.json"
ACCOUNT = "get-account.json"
IPS = "get-dedicated-ips.json"
POOLS = "list-dedicated-ip-pools.json"
ZONES = "describe-availability-zones.json"
HOURLY, MINUTE = "send-hourly.json", "send-minute.json"
#: SES pool names: letters, digits, hyphens and underscores, 1 to 64 (sesv2 model).
POOL_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
#: What a manifest says it is.
KIND = "ipcost snapshot"
#: A Region's name: its shape, checked before it names a folder.
REGION_NAME = re.compile(r"^[a-z]{2}(-[a-z]+)+-[0-9]+$")


def pool_file(name: str) -> str:
    """The file of one pool's ``get-dedicated-ip-pool`` output."""
    if not POOL_NAME.match(name):
        raise InputError("pool", name, "expected a pool name of letters, digits, - and _")
    return f"get-dedicated-ip-pool-{name}.json"


def cli_json(data: Any) -> str:
    """``data`` as the AWS CLI prints a response: four-space indent, non-ASCII kept, a
    time as ISO 8601 with its offset (``2026-11-29T23:00:00+00:00``), a newline at the end."""

    def encode(value: Any) -> Any:
        if isinstance(value, dt.datetime | dt.date):
            return value.isoformat()
        raise TypeError(f"{type(value).__name__} is not in the AWS CLI's JSON")

    return json.dumps(data, indent=4, ensure_ascii=False, default=encode) + "\n"


def merge_metric(
    kept: Mapping[str, Any], new: Mapping[str, Any]
) -> tuple[dict[str, Any], int, int]:
    """A get-metric-data history ``kept`` from an earlier snapshot, extended by ``new``:
    every bucket of either, newest first (as ``ScanBy TimestampDescending`` prints them);
    a bucket in both keeps the kept count. Returns the merged output, the buckets added
    and the buckets whose counts differ (kept as they were)."""
    old_result, new_result = kept["MetricDataResults"][0], new["MetricDataResults"][0]
    counts = dict(zip(old_result["Timestamps"], old_result["Values"], strict=True))
    stamps = {dt.datetime.fromisoformat(t): t for t in counts}
    added = differ = 0
    for stamp, value in zip(new_result["Timestamps"], new_result["Values"], strict=True):
        moment = dt.datetime.fromisoformat(stamp) if isinstance(stamp, str) else stamp
        if moment in stamps:
            differ += counts[stamps[moment]] != value
            continue
        text = moment.isoformat()
        stamps[moment], counts[text] = text, value
        added += 1
    order = sorted(stamps, reverse=True)
    result = {**old_result, "Timestamps": [stamps[m] for m in order],
              "Values": [counts[stamps[m]] for m in order]}  # fmt: skip
    return {**new, "MetricDataResults": [result]}, added, differ


def write_folder(folder: Path, files: Mapping[str, str]) -> None:
    """Replace ``folder`` with exactly ``files`` (relative name -> text), whole or not at
    all: everything is written in a folder beside it, then moved into place. A folder
    that is not a snapshot (no manifest, yet files in it), a file or a link is refused."""
    check_folder(folder)
    parent = folder.parent
    try:
        work = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=parent))
    except OSError as exc:
        raise DataFileError(folder, f"cannot write beside it ({exc.strerror})") from None
    old = None
    try:
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(work, 0o777 & ~mask)  # as a folder made with mkdir, not mkdtemp's 0700
        for name, text in files.items():
            path = work / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        if folder.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old.", dir=parent))
            os.replace(folder, old / folder.name)
        os.replace(work, folder)
    except BaseException:
        if old is not None and not folder.exists():
            os.replace(old / folder.name, folder)  # put the earlier snapshot back
        shutil.rmtree(work, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def check_folder(folder: Path) -> None:
    """``folder`` may become a snapshot: absent, or a snapshot already (to extend)."""
    if folder.is_symlink():
        raise InputError("output", str(folder), "it is a link; expected a folder of its own")
    if folder.exists() and not folder.is_dir():
        raise InputError("output", str(folder), "it is a file; expected a folder for the snapshot")
    if folder.is_dir() and any(folder.iterdir()) and not (folder / MANIFEST).is_file():
        raise InputError("output", str(folder), "it holds other files and no manifest.json; "
                         "expected a new folder or an earlier snapshot")  # fmt: skip
    if not folder.parent.is_dir():
        raise InputError("output", str(folder), "its parent folder does not exist; expected "
                         "a folder in one that does")  # fmt: skip


@dataclass(frozen=True)
class Account:
    """An account's snapshot folder (``ipcost snapshot -o DIR``): which file holds what.

    >>> a = Account("data/snapshot")
    >>> a.regions, a.account_id
    (('us-east-1',), '123456789012')
    >>> [p.name for p in a.history_files("us-east-1")]
    ['send-hourly.json', 'send-minute.json']
    """

    folder: Path
    manifest: Mapping[str, Any] = field(repr=False)

    def __init__(self, folder: str | Path) -> None:
        path = Path(folder)
        manifest_path = path / MANIFEST
        if not path.exists():
            raise InputError("account_dir", str(folder), "it does not exist; expected a folder "
                             "written by ipcost snapshot -o DIR")  # fmt: skip
        if not path.is_dir():
            raise InputError("account_dir", str(folder), "it is a file; expected a folder "
                             "written by ipcost snapshot -o DIR")  # fmt: skip
        if not manifest_path.is_file():
            raise InputError("account_dir", str(folder), f"it has no {MANIFEST}; expected a "
                             "folder written by ipcost snapshot -o DIR")  # fmt: skip
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise DataFileError(
                manifest_path, "is not JSON; expected ipcost snapshot's manifest"
            ) from None
        if not (isinstance(manifest, dict) and manifest.get("kind") == KIND
                and isinstance(manifest.get("regions"), list) and manifest["regions"]):  # fmt: skip
            raise DataFileError(manifest_path, f"is not an {KIND} manifest (kind, regions)")
        for region in manifest["regions"]:  # each becomes a folder name: a Region's shape only
            if not (isinstance(region, str) and REGION_NAME.match(region)):
                raise DataFileError(manifest_path, f"Region {region!r} is not a Region name "
                                    "(such as us-east-1)")  # fmt: skip
        object.__setattr__(self, "folder", path)
        object.__setattr__(self, "manifest", manifest)

    @property
    def regions(self) -> tuple[str, ...]:
        return tuple(str(r) for r in self.manifest["regions"])

    @property
    def account_id(self) -> str | None:
        return self.manifest.get("account")

    @property
    def taken(self) -> dt.datetime:
        """When the snapshot was taken (UTC)."""
        return dt.datetime.fromisoformat(str(self.manifest["taken"]))

    def region(self, region: str | None = None, option: str = "region") -> str:
        """``region`` if the snapshot has it; with ``None``, the snapshot's only Region."""
        held = f"the snapshot in {self.folder} holds {', '.join(self.regions)}"
        if region is None:
            if len(self.regions) == 1:
                return self.regions[0]
            raise InputError(option, "not given", f"{held}; expected one of them", missing=True)
        if region not in self.regions:
            raise InputError(option, region, f"{held}; take {region} too (ipcost snapshot "
                             f"--region {region}) or name {self.regions[0]}"
                             if len(self.regions) == 1 else f"{held}; expected one of them")  # fmt: skip
        return region

    def _file(self, *parts: str) -> Path:
        path = self.folder.joinpath(*parts)
        if not path.is_file():
            raise DataFileError(path, "is missing from the snapshot; take it again with "
                                "ipcost snapshot")  # fmt: skip
        return path

    def account_file(self, region: str) -> Path:
        """``get-account`` output: the Region's quota and pricing plan."""
        return self._file(self.region(region), ACCOUNT)

    def zones_files(self) -> list[Path]:
        """``describe-availability-zones`` output of every Region in the snapshot."""
        return [self._file(r, ZONES) for r in self.regions]

    def fleet_files(self, region: str | None = None) -> list[Path]:
        """The Region's dedicated IPs, pools and each pool's scaling mode, as ``ipcost
        fleet`` reads them."""
        name = self.region(region)
        listed = json.loads(self._file(name, POOLS).read_text(encoding="utf-8"))
        names = listed.get("DedicatedIpPools") if isinstance(listed, dict) else None
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise DataFileError(self.folder / name / POOLS, "is not list-dedicated-ip-pools "
                                "output (DedicatedIpPools, a list of names)")  # fmt: skip
        # Every pool listed has its scaling mode's file: none is taken as standard unsaid.
        pools = [self._file(name, pool_file(n)) for n in names]
        return [self._file(name, IPS), self._file(name, POOLS), *pools]

    def holds_ips(self, region: str | None = None) -> bool:
        """Whether the account held dedicated IPs in the Region when the snapshot was taken."""
        data = json.loads(self._file(self.region(region), IPS).read_text(encoding="utf-8"))
        return bool(data.get("DedicatedIps"))

    def history_files(self, region: str | None = None) -> list[Path]:
        """The Region's Send history: hourly, and per minute for the last 15 days."""
        name = self.region(region)
        return [self._file(name, HOURLY), self._file(name, MINUTE)]

    def price_list(self) -> Path:
        """``pricing get-products`` output for AmazonSES, every page."""
        return self._file(PRICES)
