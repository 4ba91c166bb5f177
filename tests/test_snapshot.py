"""ipcost snapshot: every call through botocore's Stubber (parameters and shapes checked
against the service models botocore ships), one run over HTTP against moto's server on
127.0.0.1, the folder read back by the readers that take hand-run CLI files."""

import datetime as dt
import itertools
import json
import os
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import planner
from planner.edges.cli import app
from planner.errors import AwsError, InputError, UnknownNameError
from planner.files.aws import account_view, read_one
from planner.files.history import read_history
from planner.files.snapshot import Account, merge_metric
from planner.ops.snapshots import CALLS, policy, snapshot
from tests import aws_stubs as stubs

DATA = Path(__file__).resolve().parents[1] / "data"
SHIPPED = DATA / "snapshot"
runner = CliRunner()


def files_of(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip


def test_the_shipped_example_is_what_the_snapshot_writes(tmp_path):
    answers = stubs.whole()
    done = snapshot("us-east-1", tmp_path / "snap", now=stubs.TAKEN, clients=answers)
    answers.assert_done()  # every stubbed answer was asked for, in order, with its parameters
    written, shipped = files_of(tmp_path / "snap"), files_of(SHIPPED)
    assert sorted(written) == sorted(shipped)
    for name in written:
        if name == "manifest.json":
            ours, theirs = json.loads(written[name]), json.loads(shipped[name])
            ours.pop("version"), theirs.pop("version")
            assert ours == theirs
        else:
            assert written[name] == shipped[name], name
    # data/aws's two get-dedicated-ips pages hold 9 IPs; the pools are marketing and
    # transactional; the us-east-1 file lists 6 AZs; the hourly file runs 2025-09-01 to
    # 2026-11-29, 365 + 90 = 455 days x 24 = 10,920 hours; the minute file 15 days x 1,440
    # = 21,600 minutes.
    (read,) = done.regions
    assert (read.ips, read.pools, read.zones, read.hours, read.minutes) == (9, 2, 6, 10_920, 21_600)
    assert done.account_id == "123456789012"
    pages = json.loads((tmp_path / "snap" / "us-east-1" / "get-dedicated-ips.json").read_text())
    assert "NextToken" not in pages
    assert len(pages["DedicatedIps"]) == 9


def test_no_credential_token_or_key_is_written(tmp_path):
    snapshot("us-east-1", tmp_path / "snap", now=stubs.TAKEN, clients=stubs.whole())
    text = "".join(files_of(tmp_path / "snap").values())
    for secret in (
        "testing",
        "aws_secret_access_key",
        "SessionToken",
        "AIDAEXAMPLE",
        "arn:aws:iam",
    ):
        assert secret not in text


def test_a_snapshot_reads_back_as_the_hand_run_files():
    account = planner.Account(SHIPPED)
    # Fleet: the same IPs and pools as the two hand-run pages and the pool files.
    by_hand = [DATA / "aws" / n for n in ("get-dedicated-ips-1.json", "get-dedicated-ips-2.json",
               "list-dedicated-ip-pools.json", "get-dedicated-ip-pool-marketing.json",
               "get-dedicated-ip-pool-transactional.json")]  # fmt: skip
    ours = planner.fleet(account.fleet_files("us-east-1"), "us-east-1", date="2026-12-01")
    theirs = planner.fleet(by_hand, "us-east-1", date="2026-12-01")
    assert ours.to_dict()["pools"] == theirs.to_dict()["pools"]
    # Zones and quota.
    catalog = planner.load_regions()
    zones = account_view(catalog, account.zones_files())[0]["us-east-1"].az_ids
    assert (
        zones
        == account_view(catalog, DATA / "aws" / "describe-availability-zones-us-east-1.json")[0][
            "us-east-1"
        ].az_ids
    )
    assert read_one(account.account_file("us-east-1"), "SendQuota", "x").max_send_rate == 500.0
    # History: the same buckets and counts as data/history's downloads.
    a = read_history(account.history_files("us-east-1"))
    b = read_history([DATA / "history" / "send-hourly-2025-09-to-2026-11.json",
                      DATA / "history" / "send-minute-2026-11-15-to-2026-11-29.json"])  # fmt: skip
    assert np.array_equal(a.start, b.start)
    assert np.array_equal(a.sent, b.sent)
    assert np.array_equal(a.period, b.period)


def test_the_account_dir_gives_each_command_the_files_it_names(tmp_path):
    # The forecast from the snapshot is the forecast from the same files named by hand.
    out = tmp_path / "a.csv"
    by_dir = runner.invoke(app, ["forecast", "--account-dir", str(SHIPPED), "--today",
                                 "2026-11-30", "-o", str(out)])  # fmt: skip
    assert by_dir.exit_code == 0, by_dir.output
    named = runner.invoke(app, ["forecast", *map(str, Account(SHIPPED).history_files()),
                                "--region", "us-east-1", "--today", "2026-11-30", "-f", "csv"])  # fmt: skip
    assert out.read_text(encoding="utf-8") == named.stdout
    # The schedule starts from the account's fleet and warns against its quota (500 msg/s).
    plan = runner.invoke(app, ["schedule", str(out), "--account-dir", str(SHIPPED), "--today",
                               "2026-11-30", "--quantile", "0.9", "-f", "json"])  # fmt: skip
    assert plan.exit_code == 0, plan.output
    assert "above the account's maximum send rate of 500.00 msg/s" in plan.stderr
    months = json.loads(plan.stdout)["months"]
    assert months[0]["ips_held"] > 0  # the account's IPs in the default pool, held from today
    # The fleet, from the folder alone.
    fleet = runner.invoke(app, ["fleet", "--account-dir", str(SHIPPED), "-f", "json", "--date",
                                "2026-12-01"])  # fmt: skip
    assert fleet.exit_code == 0, fleet.output
    assert sum(p["ips"] for p in json.loads(fleet.stdout)["pools"]) == 9


def test_a_region_the_snapshot_does_not_hold_is_named(tmp_path):
    result = runner.invoke(app, ["fleet", "--account-dir", str(SHIPPED), "--region", "eu-west-1"])
    assert result.exit_code == 1
    assert "Error: --region: 'eu-west-1' is not allowed; the snapshot in" in result.stderr
    missing = runner.invoke(app, ["forecast", "--account-dir", str(tmp_path)])
    assert "Error: --account-dir: " in missing.stderr
    assert "has no manifest.json" in missing.stderr


def test_the_policy_is_the_read_actions_the_snapshot_calls_and_no_other(tmp_path):
    done = snapshot("us-east-1", tmp_path / "snap", now=stubs.TAKEN, clients=stubs.whole())
    action = {(s, o): a for s, o, a in CALLS}
    called = {action[tuple(c.split()[0].split(":"))] for c in done.calls} - {None}
    (statement,) = policy()["Statement"]
    assert set(statement["Action"]) == called
    assert all(a.split(":")[1].startswith(("Get", "List", "Describe")) for a in called)
    assert statement["Effect"] == "Allow"
    assert statement["Resource"] == "*"
    printed = runner.invoke(app, ["snapshot", "--policy"])
    assert json.loads(printed.stdout) == policy()


def earlier_snapshot(folder: Path) -> dict[str, str]:
    snapshot("us-east-1", folder, now=stubs.TAKEN, clients=stubs.whole())
    return files_of(folder)


@pytest.mark.parametrize(
    ("service", "method", "code", "message"),
    [
        ("sesv2", "get_dedicated_ips", "AccessDeniedException",
         "AccessDenied: ses:GetDedicatedIps in us-east-1 is not allowed for these credentials; "
         "attach the read-only policy that 'ipcost snapshot --policy' prints"),
        ("cloudwatch", "get_metric_data", "AccessDenied",
         "AccessDenied: cloudwatch:GetMetricData in us-east-1 is not allowed"),
        ("sesv2", "get_account", "ExpiredTokenException",
         "ExpiredTokenException: the AWS credentials were refused (sesv2:GetAccount in us-east-1)"),
        ("sesv2", "get_account", "TooManyRequestsException",
         "TooManyRequestsException: AWS throttled sesv2:GetAccount in us-east-1 after 10 attempts"),
    ],
)  # fmt: skip
def test_a_refused_call_is_one_line_and_leaves_the_folder_as_it_was(
    tmp_path, service, method, code, message
):
    before = earlier_snapshot(tmp_path / "snap")
    answers = stubs.Stubs()
    stubs.identity(answers)
    if service == "cloudwatch":
        stubs.account(answers)
    elif method == "get_dedicated_ips":
        answers.add(
            "sesv2", "us-east-1", "get_account", stubs.load(DATA / "aws" / "get-account.json")
        )
    answers.error(service, "us-east-1", method, code)
    with pytest.raises(AwsError) as caught:
        snapshot("us-east-1", tmp_path / "snap", now=stubs.TAKEN, clients=answers)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert files_of(tmp_path / "snap") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["snap"]  # nothing left beside it


def test_interrupted_leaves_the_folder_as_it_was(tmp_path):
    before = earlier_snapshot(tmp_path / "snap")
    answers = stubs.Stubs()
    stubs.identity(answers)
    stubs.account(answers)
    client = answers("cloudwatch", "us-east-1")

    def interrupt(**_):
        raise KeyboardInterrupt

    client.get_metric_data = interrupt
    with pytest.raises(KeyboardInterrupt):
        snapshot("us-east-1", tmp_path / "snap", now=stubs.TAKEN, clients=answers)
    assert files_of(tmp_path / "snap") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["snap"]


def test_missing_credentials_and_profile_are_one_line(tmp_path, monkeypatch):
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # never ask 169.254.169.254
    result = runner.invoke(app, ["snapshot", "-r", "us-east-1", "-o", str(tmp_path / "s")])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no AWS credentials found; set them up")
    result = runner.invoke(app, ["snapshot", "-r", "us-east-1", "-o", str(tmp_path / "s"),
                                 "--profile", "nobody"])  # fmt: skip
    assert result.stderr.startswith("Error: --profile: 'nobody' is not allowed; expected a profile")
    assert not (tmp_path / "s").exists()


def test_a_region_without_ses_or_unreachable_is_named(tmp_path):
    with pytest.raises(UnknownNameError, match="region: unknown 'mars-1'"):
        snapshot("mars-1", tmp_path / "s", clients=stubs.Stubs())
    import botocore.session

    def closed(service, region):  # a port nothing listens on: connection refused
        return botocore.session.get_session().create_client(
            service, region_name=region, endpoint_url="http://127.0.0.1:9",
            aws_access_key_id="testing", aws_secret_access_key="testing",
            config=__import__("botocore.config").config.Config(retries={"max_attempts": 0}))  # fmt: skip

    with pytest.raises(AwsError, match=r"^cannot reach sts:GetCallerIdentity in us-east-1"):
        snapshot("us-east-1", tmp_path / "s", clients=closed)


def test_an_account_without_dedicated_ips_is_said_and_still_snapshotted(tmp_path):
    answers = stubs.Stubs()
    stubs.identity(answers)
    stubs.account(answers, ips=False)
    stubs.history(answers)
    stubs.prices(answers)
    done = snapshot("us-east-1", tmp_path / "s", now=stubs.TAKEN, clients=answers)
    assert done.warnings == ("us-east-1: the account holds no dedicated IPs there; the snapshot "
                             "has its quota, zones, history and prices to plan the first ones",)  # fmt: skip
    account = Account(tmp_path / "s")
    assert not account.holds_ips("us-east-1")
    with pytest.raises(planner.DataFileError, match="has no dedicated IPs or pools"):
        planner.fleet(account.fleet_files(), "us-east-1", date="2026-12-01")


def test_a_folder_that_is_not_a_snapshot_is_refused_before_any_call(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(InputError, match="holds other files and no manifest.json"):
        snapshot("us-east-1", tmp_path / "mine", clients=stubs.Stubs())  # no answer is asked
    (tmp_path / "link").symlink_to(tmp_path / "mine")
    with pytest.raises(InputError, match="it is a link"):
        snapshot("us-east-1", tmp_path / "link", clients=stubs.Stubs())
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"


def hours(first: str, count: int, value: float = 10.0) -> dict:
    start = dt.datetime.fromisoformat(first)
    stamps = [(start + dt.timedelta(hours=h)).isoformat() for h in range(count)][::-1]
    return {"MetricDataResults": [{"Id": "send", "Label": "Send", "Timestamps": stamps,
                                   "Values": [value] * count, "StatusCode": "Complete"}],
            "Messages": []}  # fmt: skip


def test_running_again_extends_the_history_and_keeps_what_was_kept(tmp_path):
    minute = hours("2026-11-29T00:00:00+00:00", 1)
    first = stubs.Stubs()
    stubs.identity(first)
    stubs.account(first)
    stubs.history(first, hourly=hours("2026-01-01T00:00:00+00:00", 48), minute=minute)
    stubs.prices(first)
    snapshot("us-east-1", tmp_path / "s", now=stubs.TAKEN, clients=first)
    # A month later CloudWatch has dropped 2026-01-01 but has 2026-01-02 (one hour's count
    # now differs) and 24 new hours.
    later = stubs.TAKEN + dt.timedelta(days=31)
    newer = hours("2026-01-02T00:00:00+00:00", 48)
    newer["MetricDataResults"][0]["Values"][-1] = 11.0  # 2026-01-02T00:00 is the oldest, last
    second = stubs.Stubs()
    stubs.identity(second)
    stubs.account(second)
    stubs.history(second, now=later, hourly=newer, minute=minute)
    stubs.prices(second)
    done = snapshot("us-east-1", tmp_path / "s", now=later, clients=second)
    kept = read_history([tmp_path / "s" / "us-east-1" / "send-hourly.json"])
    # 2026-01-01 00:00 to 2026-01-03 23:00: 72 hours, one count each, the kept 10 at 01-02.
    assert len(kept.start) == 72
    assert str(kept.start[0]) == "2026-01-01T00:00:00"
    assert str(kept.start[-1]) == "2026-01-03T23:00:00"
    assert kept.sent[24] == 10.0
    assert done.regions[0].hours_added == 24
    assert done.warnings == ("us-east-1/send-hourly.json: 1 bucket already kept differ from "
                             "CloudWatch's counts now; the kept counts stay",)  # fmt: skip


def test_merge_keeps_every_bucket_newest_first():
    merged, added, differ = merge_metric(hours("2026-01-01T00:00:00+00:00", 3),
                                         hours("2026-01-01T02:00:00+00:00", 3, 10.0))  # fmt: skip
    stamps = merged["MetricDataResults"][0]["Timestamps"]
    assert stamps == [f"2026-01-01T0{h}:00:00+00:00" for h in (4, 3, 2, 1, 0)]
    assert (added, differ) == (2, 0)


def test_without_boto3_the_command_says_how_to_install_it(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "boto3", None)  # import boto3 raises ImportError
    result = runner.invoke(app, ["snapshot", "-r", "us-east-1", "-o", str(tmp_path / "s")])
    assert result.exit_code == 1
    assert "install it with: pip install 'ipcost[aws]'" in result.stderr


def test_the_clients_retry_throttling_with_a_timeout():
    from planner.ops.snapshots import _boto3_clients

    client = _boto3_clients(None)("sesv2", "us-east-1")
    config = client.meta.config
    assert config.retries == {"mode": "standard", "total_max_attempts": 10}
    assert (config.connect_timeout, config.read_timeout) == (10, 60)


def test_over_http_against_motos_server_on_localhost(tmp_path):
    # moto's server serves CloudWatch, EC2 and STS; SES v2's account calls and the Price
    # List are not in it, so those two services answer through the Stubber.
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        url = f"http://{host}:{port}"
        assert host == "127.0.0.1"
        keys = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
        end = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
        watch = boto3.client("cloudwatch", region_name="us-east-1", endpoint_url=url, **keys)
        sent = [(end - dt.timedelta(hours=h), 100.0 * h) for h in range(1, 7)]
        watch.put_metric_data(Namespace="AWS/SES", MetricData=[
            {"MetricName": "Send", "Timestamp": t, "Value": v, "Unit": "Count"} for t, v in sent])  # fmt: skip
        answers = stubs.Stubs()
        stubs.account(answers)
        # The Stubber's account order puts DescribeAvailabilityZones on ec2: moto answers
        # that instead, so the stubbed ec2 client is not used.
        stubs.prices(answers)

        def clients(service, region):
            if service in ("cloudwatch", "ec2", "sts"):
                return boto3.client(service, region_name=region, endpoint_url=url, **keys)
            return answers(service, region)

        done = snapshot("us-east-1", tmp_path / "s", now=end, clients=clients)
    finally:
        server.stop()
    history = read_history([tmp_path / "s" / "us-east-1" / "send-hourly.json"])
    assert sorted(history.sent.tolist()) == [100.0, 200.0, 300.0, 400.0, 500.0, 600.0]
    assert done.account_id == "123456789012"  # moto's default account
    zones = read_one(tmp_path / "s" / "us-east-1" / "describe-availability-zones.json",
                     "AvailabilityZones", "zones_file").zones  # fmt: skip
    assert len(zones["us-east-1"]) == done.regions[0].zones > 0


def test_estimate_and_compare_take_the_accounts_quota_zones_history_and_prices():
    # 600 msg/s against get-account's MaxSendRate of 500 (data/aws/get-account.json).
    est = runner.invoke(app, ["estimate", "--account-dir", str(SHIPPED), "--rate", "600",
                              "--date", "2026-12-01", "-f", "json"])  # fmt: skip
    assert est.exit_code == 0, est.output
    assert "600.00 msg/s is above the account's maximum send rate of 500.00 msg/s" in est.stderr
    # The spread is keyed by the snapshot's own AZ IDs (data/aws's us-east-1 file).
    spread = json.loads(est.stdout)["regions"][0]["spread"]
    assert set(spread) == {"use1-az1", "use1-az2", "use1-az3", "use1-az4", "use1-az5", "use1-az6"}
    # compare weighs the snapshot's send history: its fit verdict quotes the days' variation.
    cmp = runner.invoke(app, ["compare", "--account-dir", str(SHIPPED), "--monthly-volume",
                              "20000000", "--date", "2026-12-01"])  # fmt: skip
    assert cmp.exit_code == 0, cmp.output
    assert "the history's days vary by" in " ".join(cmp.stdout.split())
    # The price book is the snapshot's price list imported over the shipped book.
    book = planner.Scenario.build(account_dir=SHIPPED).book
    assert str(SHIPPED / "get-products-AmazonSES.json") in book.label


def test_metric_pages_are_one_result(tmp_path):
    # CloudWatch pages a long query with NextToken: the pages' points make one result, as
    # the hand-run file's.
    whole = stubs.load(DATA / "history" / "send-minute-2026-11-15-to-2026-11-29.json")
    result = whole["MetricDataResults"][0]
    half = len(result["Timestamps"]) // 2
    pages = [{"MetricDataResults": [{**result, "Timestamps": result["Timestamps"][:half],
                                     "Values": result["Values"][:half]}], "NextToken": "more"},
             {"MetricDataResults": [{**result, "Timestamps": result["Timestamps"][half:],
                                     "Values": result["Values"][half:]}]}]  # fmt: skip
    answers = stubs.Stubs()
    stubs.identity(answers)
    stubs.account(answers)
    end = stubs.TAKEN
    hourly = stubs.load(DATA / "history" / "send-hourly-2025-09-to-2026-11.json")
    params = {
        "StartTime": end - dt.timedelta(days=455),
        "EndTime": end,
        "ScanBy": "TimestampDescending",
    }
    answers.add("cloudwatch", "us-east-1", "get_metric_data", stubs.timed(hourly),
                {"MetricDataQueries": stubs.query(3600), **params})  # fmt: skip
    minute = {"MetricDataQueries": stubs.query(60), **params,
              "StartTime": end - dt.timedelta(days=15)}  # fmt: skip
    answers.add("cloudwatch", "us-east-1", "get_metric_data", stubs.timed(pages[0]), minute)
    answers.add("cloudwatch", "us-east-1", "get_metric_data", stubs.timed(pages[1]),
                {**minute, "NextToken": "more"})  # fmt: skip
    stubs.prices(answers)
    snapshot("us-east-1", tmp_path / "s", now=end, clients=answers)
    answers.assert_done()
    name = "us-east-1/send-minute.json"
    assert (tmp_path / "s" / name).read_text() == (SHIPPED / name).read_text()


def test_a_forecasts_cases_never_ask_to_lower_the_limit(tmp_path):
    forecast = tmp_path / "f.csv"
    made = runner.invoke(app, ["forecast", "--account-dir", str(SHIPPED), "--pool",
                               "transactional", "--today", "2026-11-30", "-o", str(forecast)])  # fmt: skip
    assert made.exit_code == 0, made.output
    rows = __import__("csv").DictReader(forecast.read_text(encoding="utf-8").splitlines())
    p90 = {r["month"]: float(r["p90"]) for r in rows}
    account = planner.Account(SHIPPED)
    cases = planner.request(forecast=forecast, quantile=0.9, fleet_files=account.fleet_files(),
                            scenario=planner.Scenario.build(account_dir=account,
                                                            today="2026-11-30")).cases  # fmt: skip
    first = cases[0]
    # Asked today, December's and January's leases come in one wave: its limit is the
    # busier month's peak, January's p90, rounded up (1,362.58 -> 1,363), so the 5 IPs held
    # plus the 45 leased are January's 50 (1,362.58 / 27.78 msg/s per IP, rounded up).
    (block,) = first.requests
    assert block.new_limit_value == -(-p90["2027-01"] // 1) == 1363
    assert block.ips == 45
    # Later cases, requests or relinquishes, never ask for less than an earlier one did.
    values = [c.requests[0].new_limit_value for c in cases]
    assert all(b >= a for a, b in itertools.pairwise(values))
    # June's own peak (p90 1,188.07 -> 1,189) would lower 1,363: the case keeps 1,363.
    june = next(c for c in cases if c.file_by == dt.date(2027, 4, 11))
    assert -(-p90["2027-06"] // 1) == 1189 < june.requests[0].new_limit_value == 1363
    relinquish = next(c for c in cases if c.kind == "relinquish")
    assert relinquish.requests[0].new_limit_value == 1363  # not the 500 of get-account


def test_a_damaged_snapshot_is_named_not_guessed(tmp_path):
    import shutil

    copy = tmp_path / "snap"
    shutil.copytree(SHIPPED, copy)
    # A pool list-dedicated-ip-pools names without its scaling mode's file is missing, not
    # taken as standard.
    (copy / "us-east-1" / "get-dedicated-ip-pool-transactional.json").unlink()
    result = runner.invoke(app, ["fleet", "--account-dir", str(copy)])
    assert result.exit_code == 1
    assert "get-dedicated-ip-pool-transactional.json: is missing from the snapshot" in result.stderr
    # A Region in the manifest is a folder name: only a Region's shape is taken.
    manifest = json.loads((copy / "manifest.json").read_text())
    (copy / "manifest.json").write_text(json.dumps({**manifest, "regions": ["../../etc"]}))
    with pytest.raises(planner.DataFileError, match="Region '../../etc' is not a Region name"):
        Account(copy)
    with pytest.raises(InputError, match="it does not exist"):
        Account(tmp_path / "nowhere")
    # A Region the snapshot lacks, asked of estimate, says how to get it.
    est = runner.invoke(app, ["estimate", "--account-dir", str(SHIPPED), "--rate", "300", "-r",
                              "eu-west-1", "--date", "2026-12-01"])  # fmt: skip
    assert "take eu-west-1 too (ipcost snapshot --region eu-west-1)" in est.stderr


def test_the_clis_merged_pages_of_a_query_read_as_one(tmp_path):
    # The AWS CLI merges get-metric-data's pages by joining their MetricDataResults: one
    # result per page, all with the query's Id, each but the last PartialData.
    whole = stubs.load(SHIPPED / "us-east-1" / "send-minute.json")
    result = whole["MetricDataResults"][0]
    half = len(result["Timestamps"]) // 2
    merged = {"MetricDataResults": [
        {**result, "Timestamps": result["Timestamps"][:half], "Values": result["Values"][:half],
         "StatusCode": "PartialData"},
        {**result, "Timestamps": result["Timestamps"][half:], "Values": result["Values"][half:]},
    ], "Messages": []}  # fmt: skip
    path = tmp_path / "merged.json"
    path.write_text(json.dumps(merged))
    a, b = read_history([path]), read_history([SHIPPED / "us-east-1" / "send-minute.json"])
    assert np.array_equal(a.start, b.start)
    assert np.array_equal(a.sent, b.sent)
    assert a.warnings == ()  # the last page is Complete: nothing is missing


def test_a_region_left_out_of_a_second_run_is_refused_not_dropped(tmp_path):
    earlier_snapshot(tmp_path / "snap")
    manifest = json.loads((tmp_path / "snap" / "manifest.json").read_text())
    manifest["regions"].append("eu-west-1")  # as if the first run had read it too
    (tmp_path / "snap" / "manifest.json").write_text(json.dumps(manifest))
    before = files_of(tmp_path / "snap")
    with pytest.raises(InputError, match="holds eu-west-1 too, whose kept history"):
        snapshot("us-east-1", tmp_path / "snap", clients=stubs.Stubs())  # before any call
    assert files_of(tmp_path / "snap") == before


def test_a_damaged_kept_history_is_named_and_the_folder_kept(tmp_path):
    earlier_snapshot(tmp_path / "snap")
    (tmp_path / "snap" / "us-east-1" / "send-hourly.json").write_text('{"MetricDataResults": [')
    before = files_of(tmp_path / "snap")
    with pytest.raises(planner.DataFileError, match="send-hourly.json"):
        snapshot("us-east-1", tmp_path / "snap", now=stubs.TAKEN, clients=stubs.whole())
    assert files_of(tmp_path / "snap") == before
