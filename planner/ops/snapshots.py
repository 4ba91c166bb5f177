"""``snapshot``: read, read-only, everything the planner needs from an AWS account.

In each Region: ``sesv2 get-account``, every page of ``get-dedicated-ips`` and
``list-dedicated-ip-pools``, ``get-dedicated-ip-pool`` per pool (its scaling mode),
``ec2 describe-availability-zones``, and CloudWatch's ``AWS/SES`` ``Send`` Sum through
``get-metric-data``: per hour for the last 455 days and per minute for the last 15 (what
CloudWatch keeps), one query each (a call returns up to 100,800 points, so one page
usually holds them); once, ``pricing get-products --service-code AmazonSES`` (every page,
from us-east-1, where the Price List API answers) and ``sts get-caller-identity`` for the
account ID. Each response is written as the AWS CLI prints it (see
:mod:`planner.files.snapshot`); a history kept from an earlier snapshot in the same folder
is extended, never shortened. Nothing is written until every call has answered, and then
the folder is replaced whole.

boto3 is imported only here, and only when a snapshot is taken: ``pip install
'ipcost[aws]'``. Calls use botocore's standard retry mode (throttling is retried with
backoff) and a timeout per call.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.errors import AwsError, InputError
from planner.files import snapshot as names
from planner.files.tables import load_regions

if TYPE_CHECKING:
    import pandas as pd

#: Every call a snapshot makes: (service, operation, the IAM action it needs). STS's
#: GetCallerIdentity needs no permission; it is not in the policy.
CALLS = (
    ("sts", "GetCallerIdentity", None),
    ("sesv2", "GetAccount", "ses:GetAccount"),
    ("sesv2", "GetDedicatedIps", "ses:GetDedicatedIps"),
    ("sesv2", "ListDedicatedIpPools", "ses:ListDedicatedIpPools"),
    ("sesv2", "GetDedicatedIpPool", "ses:GetDedicatedIpPool"),
    ("ec2", "DescribeAvailabilityZones", "ec2:DescribeAvailabilityZones"),
    ("cloudwatch", "GetMetricData", "cloudwatch:GetMetricData"),
    ("pricing", "GetProducts", "pricing:GetProducts"),
)
#: How far back CloudWatch keeps each resolution (CloudWatch's metric retention).
KEPT = {names.HOURLY: (3600, dt.timedelta(days=455)), names.MINUTE: (60, dt.timedelta(days=15))}
PRICING_REGION = "us-east-1"
#: botocore's settings for every client: standard retries, a timeout per call.
RETRIES, CONNECT_TIMEOUT, READ_TIMEOUT = 10, 10, 60
#: Error codes AWS gives for a denied call, an expired session, throttling.
DENIED = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedAccess"}
EXPIRED = {"ExpiredToken", "ExpiredTokenException", "RequestExpired", "InvalidClientTokenId",
           "UnrecognizedClientException", "InvalidSignatureException"}  # fmt: skip
THROTTLED = {"Throttling", "ThrottlingException", "TooManyRequestsException",
             "RequestLimitExceeded", "LimitExceededException"}  # fmt: skip

Clients = Callable[[str, str], Any]
"""Makes the client of a service in a Region: ``clients("sesv2", "us-east-1")``."""


def policy() -> dict[str, Any]:
    """The least-privilege IAM policy of a snapshot: the read actions it calls, no other."""
    actions = sorted({action for _, _, action in CALLS if action})
    return {"Version": "2012-10-17", "Statement": [{
        "Sid": "IpcostSnapshotReadOnly", "Effect": "Allow", "Action": actions, "Resource": "*",
    }]}  # fmt: skip


@dataclass(frozen=True)
class RegionRead:
    """What one Region's calls found."""

    region: str
    ips: int
    pools: int
    zones: int
    hours: int
    minutes: int
    hours_added: int
    """Hourly buckets new to the folder's history (all of them in a first snapshot)."""

    def to_dict(self) -> dict[str, Any]:
        return dict(vars(self))


@dataclass(frozen=True)
class Snapshot:
    """The result of :func:`snapshot`: the folder written and what each Region held."""

    folder: Path
    account_id: str
    taken: dt.datetime
    regions: tuple[RegionRead, ...]
    prices: int
    """Products in the price list."""
    warnings: tuple[str, ...] = ()
    calls: tuple[str, ...] = field(default=(), repr=False)
    """Every call made, ``service:Operation Region``, in order."""

    def to_dict(self) -> dict[str, Any]:
        return {"folder": str(self.folder), "account": self.account_id,
                "taken": self.taken.isoformat(), "regions": [r.to_dict() for r in self.regions],
                "prices": self.prices, "warnings": list(self.warnings)}  # fmt: skip

    def to_frame(self) -> pd.DataFrame:
        """A row per Region: what the snapshot found there."""
        import pandas as pd

        return pd.DataFrame([r.to_dict() for r in self.regions])


def snapshot(
    regions: str | Sequence[str],
    folder: str | Path,
    *,
    profile: str | None = None,
    now: dt.datetime | None = None,
    clients: Clients | None = None,
    progress: Callable[[str], None] | None = None,
) -> Snapshot:
    """Read the account in ``regions`` into ``folder`` (see the module), read-only.

    ``profile`` names an AWS CLI profile (else boto3's usual chain: environment, config,
    instance role). ``now`` (UTC) is when the snapshot is taken [default: now]; history
    runs to the start of its hour, so every bucket written is whole. ``clients`` makes
    each service's client (a test passes stubbed ones); ``progress`` gets a line per
    Region as it is read.
    """
    wanted = _check_regions([regions] if isinstance(regions, str) else list(regions))
    folder = Path(folder)
    names.check_folder(folder)
    if (folder / names.MANIFEST).is_file():  # a snapshot's history is extended, never lost
        left = [r for r in names.Account(folder).regions if r not in wanted]
        if left:
            raise InputError("region", ", ".join(wanted), f"the snapshot in {folder} holds "
                             f"{', '.join(left)} too, whose kept history this run would drop; "
                             "expected every Region it holds, or another folder")  # fmt: skip
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    end = moment.replace(minute=0, second=0, microsecond=0)
    reader = _Reader(clients or _boto3_clients(profile), profile)
    account = reader.call("sts", PRICING_REGION, "GetCallerIdentity")["Account"]
    files: dict[str, str] = {}
    found, warnings = [], []
    for region in wanted:
        read, notes = _region(reader, region, end, folder, files)
        found.append(read)
        warnings.extend(notes)
        if progress is not None:
            progress(f"{region}: {read.ips} dedicated IPs in {read.pools} pools, {read.zones} "
                     f"AZs, {read.hours:,} hours and {read.minutes:,} minutes of sends")  # fmt: skip
    prices = reader.pages("pricing", PRICING_REGION, "GetProducts", "PriceList",
                          ServiceCode="AmazonSES", FormatVersion="aws_v1", MaxResults=100)  # fmt: skip
    files[names.PRICES] = names.cli_json({"FormatVersion": "aws_v1", "PriceList": prices})
    files[names.MANIFEST] = json.dumps({
        "kind": names.KIND, "version": _version(), "taken": moment.isoformat(),
        "history_to": end.isoformat(), "account": account, "regions": wanted,
        "calls": reader.made, "warnings": warnings,
    }, indent=2) + "\n"  # fmt: skip
    names.write_folder(folder, files)
    return Snapshot(folder, account, moment, tuple(found), len(prices), tuple(warnings),
                    tuple(reader.made))  # fmt: skip


def _check_regions(regions: Sequence[str]) -> list[str]:
    """The Regions as the Region table names them: one where SES offers dedicated IPs
    (else the table's error, with the names closest), each once."""
    if not regions:
        raise InputError("region", "none", "expected --region R at least once", missing=True)
    known = load_regions()
    named = [known[r].region for r in regions]
    twice = [r for r in named if named.count(r) > 1]
    if twice:
        raise InputError("region", twice[0], "expected each Region once")
    return named


def _region(
    reader: _Reader, region: str, end: dt.datetime, folder: Path, files: dict[str, str]
) -> tuple[RegionRead, list[str]]:
    """One Region's calls, as files under ``region/``; the history merged with the folder's."""
    account = reader.call("sesv2", region, "GetAccount")
    ips = reader.pages("sesv2", region, "GetDedicatedIps", "DedicatedIps", PageSize=100)
    pools = reader.pages("sesv2", region, "ListDedicatedIpPools", "DedicatedIpPools", PageSize=100)
    zones = reader.call("ec2", region, "DescribeAvailabilityZones")
    out = {names.ACCOUNT: account, names.IPS: {"DedicatedIps": ips},
           names.POOLS: {"DedicatedIpPools": pools}, names.ZONES: zones}  # fmt: skip
    for pool in pools:
        out[names.pool_file(pool)] = reader.call(
            "sesv2", region, "GetDedicatedIpPool", PoolName=pool
        )
    notes = [] if ips else [f"{region}: the account holds no dedicated IPs there; the snapshot "
                            "has its quota, zones, history and prices to plan the first ones"]  # fmt: skip
    sizes, added = {}, 0
    for name, (period, kept) in KEPT.items():
        new = _metric(reader, region, period, end - kept, end)
        earlier = folder / region / name
        if earlier.is_file():
            from planner.files.aws import load_json
            from planner.files.history import read_history

            read_history([earlier], period=period)  # sound, or one error naming it
            merged, new_buckets, differ = names.merge_metric(load_json(earlier), new)
            if differ:
                notes.append(f"{region}/{name}: {differ} bucket{'s' if differ != 1 else ''} "
                             "already kept differ from CloudWatch's counts now; the kept "
                             "counts stay")  # fmt: skip
            new, added = merged, added + (new_buckets if period == 3600 else 0)
        elif period == 3600:
            added += len(new["MetricDataResults"][0]["Timestamps"])
        out[name] = new
        sizes[name] = len(new["MetricDataResults"][0]["Timestamps"])
    for name, data in out.items():
        files[f"{region}/{name}"] = names.cli_json(data)
    zone_count = sum(1 for z in zones.get("AvailabilityZones", ())
                     if z.get("ZoneType", "availability-zone") == "availability-zone")  # fmt: skip
    return RegionRead(region, len(ips), len(pools), zone_count, sizes[names.HOURLY],
                      sizes[names.MINUTE], added), notes  # fmt: skip


def _metric(
    reader: _Reader, region: str, period: int, start: dt.datetime, end: dt.datetime
) -> dict[str, Any]:
    """get-metric-data for SES's Send Sum at ``period`` [s], its pages as one result."""
    query = [{"Id": "send", "Label": "Send", "ReturnData": True, "MetricStat": {
        "Metric": {"Namespace": "AWS/SES", "MetricName": "Send"}, "Period": period, "Stat": "Sum",
    }}]  # fmt: skip
    stamps: list[Any] = []
    values: list[Any] = []
    messages: list[Any] = []
    status = "Complete"  # the last page's: whether the query's data came whole
    for page in reader.each_page("cloudwatch", region, "GetMetricData", MetricDataQueries=query,
                                 StartTime=start, EndTime=end, ScanBy="TimestampDescending"):  # fmt: skip
        for result in page.get("MetricDataResults", ()):
            stamps.extend(result.get("Timestamps", ()))
            values.extend(result.get("Values", ()))
            status = result.get("StatusCode", status)  # a page but the last: PartialData
        messages.extend(page.get("Messages", ()))
    result = {"Id": "send", "Label": "Send", "Timestamps": stamps, "Values": values,
              "StatusCode": status}  # fmt: skip
    return {"MetricDataResults": [result], "Messages": messages}


class _Reader:
    """Calls AWS and records each call; every failure becomes one clear error."""

    def __init__(self, clients: Clients, profile: str | None) -> None:
        self.clients, self.profile = clients, profile
        self.made: list[str] = []
        self._made: dict[tuple[str, str], Any] = {}

    def client(self, service: str, region: str) -> Any:
        key = (service, region)
        if key not in self._made:
            self._made[key] = self.clients(service, region)
        return self._made[key]

    def call(self, service: str, region: str, operation: str, **params: Any) -> dict[str, Any]:
        """One call's response, without its ResponseMetadata (the CLI prints none)."""
        method = "".join(f"_{c.lower()}" if c.isupper() else c for c in operation).lstrip("_")
        self.made.append(f"{service}:{operation} {region}")
        try:
            response = getattr(self.client(service, region), method)(**params)
        except Exception as exc:  # botocore's errors, told apart by name: boto3 is optional
            raise _error(exc, service, operation, region, self.profile) from None
        return {k: v for k, v in response.items()
                if k != "ResponseMetadata" and (k != "NextToken" or v)}  # fmt: skip

    def each_page(
        self, service: str, region: str, operation: str, **params: Any
    ) -> Iterator[dict[str, Any]]:
        """Every page of a call, following NextToken."""
        token = None
        while True:
            page = self.call(
                service, region, operation, **params, **({"NextToken": token} if token else {})
            )
            yield page
            token = page.pop("NextToken", None)
            if not token:
                return

    def pages(
        self, service: str, region: str, operation: str, key: str, **params: Any
    ) -> list[Any]:
        """The list ``key`` of every page, in order, as the CLI merges pages."""
        return [item for page in self.each_page(service, region, operation, **params)
                for item in page.get(key, ())]  # fmt: skip


def _version() -> str:
    """ipcost's installed version, as ``ipcost --version`` reads it."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ipcost")
    except PackageNotFoundError:  # run from a checkout that is not installed
        return "unknown"


def _boto3_clients(profile: str | None) -> Clients:
    try:
        import boto3
        from botocore.config import Config
    except ImportError:
        raise AwsError(
            "ipcost snapshot reads the account with boto3, which is not installed; "
            "install it with: pip install 'ipcost[aws]'"
        ) from None
    try:
        session = boto3.Session(profile_name=profile)
    except Exception as exc:  # ProfileNotFound
        raise _error(exc, "sts", "GetCallerIdentity", PRICING_REGION, profile) from None
    config = Config(retries={"mode": "standard", "total_max_attempts": RETRIES},
                    connect_timeout=CONNECT_TIMEOUT, read_timeout=READ_TIMEOUT,
                    user_agent_extra=f"ipcost/{_version()}")  # fmt: skip

    def make(service: str, region: str) -> Any:
        return session.client(service, region_name=region, config=config)

    return make


def _error(
    exc: Exception, service: str, operation: str, region: str, profile: str | None
) -> Exception:
    """One line for what went wrong, naming the call, the Region and what to do."""
    kind = type(exc).__name__
    what = f"{service}:{operation} in {region}"
    if any(c.__name__ == "ClientError" for c in type(exc).__mro__):  # a modeled error too
        error = getattr(exc, "response", {}).get("Error", {})
        code, message = str(error.get("Code", "")), str(error.get("Message", "")).rstrip(".")
        action = next((a for s, o, a in CALLS if s == service and o == operation), None)
        if code in DENIED:
            return AwsError(f"AccessDenied: {action or what} in {region} is not allowed for "
                            "these credentials; attach the read-only policy that "
                            "'ipcost snapshot --policy' prints")  # fmt: skip
        if code in EXPIRED:
            return AwsError(f"{code}: the AWS credentials were refused ({what}); sign in "
                            "again (aws sso login, or fresh keys) and run the snapshot again")  # fmt: skip
        if code in THROTTLED:
            return AwsError(f"{code}: AWS throttled {what} after {RETRIES} attempts; "
                            "run the snapshot again later")  # fmt: skip
        return AwsError(f"{code}: {what} failed: {message}")
    if kind in ("NoCredentialsError", "PartialCredentialsError", "NoAuthTokenError"):
        return AwsError(f"no AWS credentials found{f' for profile {profile}' if profile else ''}; "
                        "set them up (aws configure, aws sso login, AWS_PROFILE) or pass --profile NAME")  # fmt: skip
    if kind == "ProfileNotFound":
        return InputError("profile", profile, "expected a profile of the AWS config files "
                          "('aws configure list-profiles' lists them)")  # fmt: skip
    if kind in ("EndpointConnectionError", "UnknownEndpointError", "ConnectionClosedError"):
        return AwsError(f"cannot reach {what}: {service} may not be offered there, or the "
                        "network is down")  # fmt: skip
    if kind in ("ConnectTimeoutError", "ReadTimeoutError"):
        return AwsError(f"{what} timed out ({CONNECT_TIMEOUT} s to connect, {READ_TIMEOUT} s "
                        "to answer); run the snapshot again")  # fmt: skip
    if kind in ("SSOTokenLoadError", "UnauthorizedSSOTokenError", "TokenRetrievalError"):
        return AwsError(f"the SSO session has expired ({kind}); run aws sso login and try again")
    if isinstance(exc, KeyboardInterrupt):
        raise exc
    if "botocore" in type(exc).__module__:
        return AwsError(f"{what} failed: {kind}: {exc}")
    raise exc
