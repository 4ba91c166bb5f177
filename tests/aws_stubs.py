"""AWS answered from the hand-run CLI files of data/, through botocore's own Stubber.

Each client is a real botocore client whose calls the Stubber answers: the request
parameters are checked against what the snapshot is expected to send, and every request
and response against AWS's service models shipped in botocore (sesv2, cloudwatch, ec2,
pricing, sts). No network is touched.

``python tests/aws_stubs.py`` writes the shipped example snapshot, data/snapshot/, from
the same answers: the account of data/aws/ in us-east-1 on 2026-11-30, its send history
of data/history/ and the price list of data/pricelist/.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import botocore.session
from botocore.stub import Stubber

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
ACCOUNT_ID = "123456789012"
#: When the example snapshot is taken: the history files run to the end of 2026-11-29.
TAKEN = dt.datetime(2026, 11, 30, 0, 0, tzinfo=dt.UTC)
QUERY = [{"Id": "send", "Label": "Send", "ReturnData": True, "MetricStat": {
    "Metric": {"Namespace": "AWS/SES", "MetricName": "Send"}, "Period": 3600, "Stat": "Sum"}}]  # fmt: skip


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def query(period: int) -> list[dict[str, Any]]:
    return [{**QUERY[0], "MetricStat": {**QUERY[0]["MetricStat"], "Period": period}}]


def timed(data: dict[str, Any]) -> dict[str, Any]:
    """A get-metric-data file as botocore returns it: times as datetimes (UTC)."""
    results = [{**r, "Timestamps": [dt.datetime.fromisoformat(t) for t in r["Timestamps"]]}
               for r in data["MetricDataResults"]]  # fmt: skip
    return {**data, "MetricDataResults": results}


class Stubs:
    """A stubbed client per service and Region, made on first use; ``clients`` is what
    :func:`planner.ops.snapshots.snapshot` takes."""

    def __init__(self) -> None:
        self.session = botocore.session.get_session()
        self.stubbers: dict[tuple[str, str], Stubber] = {}

    def __call__(self, service: str, region: str) -> Any:
        return self.stubber(service, region).client

    def stubber(self, service: str, region: str) -> Stubber:
        key = (service, region)
        if key not in self.stubbers:
            client = self.session.create_client(
                service, region_name=region, aws_access_key_id="testing",
                aws_secret_access_key="testing",
            )  # fmt: skip
            self.stubbers[key] = Stubber(client)
            self.stubbers[key].activate()
        return self.stubbers[key]

    def add(
        self, service: str, region: str, method: str, response: Any, params: Any = None
    ) -> None:
        self.stubber(service, region).add_response(method, response, params)

    def error(self, service: str, region: str, method: str, code: str, status: int = 400) -> None:
        self.stubber(service, region).add_client_error(method, code, f"{code} (stubbed)", status)

    def assert_done(self) -> None:
        for stubber in self.stubbers.values():
            stubber.assert_no_pending_responses()


def account(stubs: Stubs, region: str = "us-east-1", *, ips: bool = True) -> None:
    """The account's calls in ``region``: data/aws's files, the IPs in two pages."""
    pages = [load(DATA / "aws" / f"get-dedicated-ips-{n}.json") for n in (1, 2)]
    stubs.add("sesv2", region, "get_account", load(DATA / "aws" / "get-account.json"), {})
    if ips:
        stubs.add("sesv2", region, "get_dedicated_ips", pages[0], {"PageSize": 100})
        stubs.add("sesv2", region, "get_dedicated_ips", pages[1],
                  {"PageSize": 100, "NextToken": pages[0]["NextToken"]})  # fmt: skip
        pools = load(DATA / "aws" / "list-dedicated-ip-pools.json")
    else:
        stubs.add("sesv2", region, "get_dedicated_ips", {"DedicatedIps": []}, {"PageSize": 100})
        pools = {"DedicatedIpPools": []}
    stubs.add("sesv2", region, "list_dedicated_ip_pools", pools, {"PageSize": 100})
    zones = DATA / "aws" / f"describe-availability-zones-{region}.json"
    stubs.add("ec2", region, "describe_availability_zones",
              load(zones if zones.exists() else DATA / "aws" / "describe-availability-zones-us-east-1.json"), {})  # fmt: skip
    for pool in pools["DedicatedIpPools"]:
        stubs.add("sesv2", region, "get_dedicated_ip_pool",
                  load(DATA / "aws" / f"get-dedicated-ip-pool-{pool}.json"), {"PoolName": pool})  # fmt: skip


def history(stubs: Stubs, region: str = "us-east-1", now: dt.datetime = TAKEN,
            hourly: dict[str, Any] | None = None, minute: dict[str, Any] | None = None) -> None:  # fmt: skip
    """The two get-metric-data calls: data/history's hourly and per-minute files."""
    end = now.replace(minute=0, second=0, microsecond=0)
    files = {3600: hourly or load(DATA / "history" / "send-hourly-2025-09-to-2026-11.json"),
             60: minute or load(DATA / "history" / "send-minute-2026-11-15-to-2026-11-29.json")}  # fmt: skip
    for period, kept in ((3600, 455), (60, 15)):
        stubs.add("cloudwatch", region, "get_metric_data", timed(files[period]), {
            "MetricDataQueries": query(period), "StartTime": end - dt.timedelta(days=kept),
            "EndTime": end, "ScanBy": "TimestampDescending"})  # fmt: skip


def prices(stubs: Stubs) -> None:
    """The price list in two pages, as get-products pages it."""
    items = load(DATA / "pricelist" / "get-products-AmazonSES.json")["PriceList"]
    half = len(items) // 2
    params = {"ServiceCode": "AmazonSES", "FormatVersion": "aws_v1", "MaxResults": 100}
    stubs.add("pricing", "us-east-1", "get_products",
              {"FormatVersion": "aws_v1", "PriceList": items[:half], "NextToken": "page-2"}, params)  # fmt: skip
    stubs.add("pricing", "us-east-1", "get_products",
              {"FormatVersion": "aws_v1", "PriceList": items[half:]}, {**params, "NextToken": "page-2"})  # fmt: skip


def identity(stubs: Stubs) -> None:
    stubs.add("sts", "us-east-1", "get_caller_identity", {
        "UserId": "AIDAEXAMPLEEXAMPLE", "Account": ACCOUNT_ID,
        "Arn": f"arn:aws:iam::{ACCOUNT_ID}:user/planner"}, {})  # fmt: skip


def whole(regions: tuple[str, ...] = ("us-east-1",), now: dt.datetime = TAKEN) -> Stubs:
    """Every answer of a snapshot of ``regions``, in the order it asks."""
    stubs = Stubs()
    identity(stubs)
    for region in regions:
        account(stubs, region)
        history(stubs, region, now)
    prices(stubs)
    return stubs


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(ROOT))
    from planner.ops.snapshots import snapshot

    done = snapshot("us-east-1", DATA / "snapshot", now=TAKEN, clients=whole())
    print(f"wrote {done.folder}: {done.to_dict()}")
