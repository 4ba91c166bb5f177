"""AWS CLI inputs: the fixtures are valid service responses, the readers are strict, and
the fleet, the account's AZs and the support-case text come out right."""

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import botocore.session
import pytest
from botocore.stub import Stubber
from typer.testing import CliRunner

import planner
from planner.edges.cli import app
from planner.errors import DataFileError
from planner.files.aws import read_aws

runner = CliRunner()
AWS = Path(__file__).resolve().parents[1] / "data" / "aws"
IPS = [AWS / "get-dedicated-ips-1.json", AWS / "get-dedicated-ips-2.json"]


def client(service):
    session = botocore.session.get_session()
    return session.create_client(service, region_name="us-west-1", aws_access_key_id="test",
                                 aws_secret_access_key="test")  # fmt: skip


@pytest.mark.parametrize(
    ("service", "operation", "name"),
    [
        ("sesv2", "get_dedicated_ips", "get-dedicated-ips-1.json"),
        ("sesv2", "get_dedicated_ips", "get-dedicated-ips-2.json"),
        ("sesv2", "get_dedicated_ip_pool", "get-dedicated-ip-pool-marketing.json"),
        ("sesv2", "get_dedicated_ip_pool", "get-dedicated-ip-pool-transactional.json"),
        ("sesv2", "list_dedicated_ip_pools", "list-dedicated-ip-pools.json"),
        ("sesv2", "get_account", "get-account.json"),
        ("ec2", "describe_availability_zones", "describe-availability-zones-us-west-1.json"),
    ],
)
def test_fixtures_are_valid_responses_of_the_real_service_models(service, operation, name):
    # botocore's Stubber checks a response against the service model: a field it does
    # not define, or a value of the wrong type, fails here.
    c = client(service)
    response = json.loads((AWS / name).read_text(encoding="utf-8"))
    params = {"PoolName": name.removeprefix("get-dedicated-ip-pool-").removesuffix(".json")} \
        if operation == "get_dedicated_ip_pool" else {}  # fmt: skip
    with Stubber(c) as stub:
        stub.add_response(operation, response, params or None)
        assert getattr(c, operation)(**params)


def test_the_fleet_by_pool():
    # Page 1: 3 transactional IPs done, 1 at 40 %; page 2: 1 transactional at 15 %, 2 with no
    # pool (the default pool), 2 managed. Standard pools: 7 IPs x 24.95 = 174.65 a month.
    f = planner.fleet([*IPS, AWS / "get-dedicated-ip-pool-marketing.json",
                       AWS / "get-dedicated-ip-pool-transactional.json"], date="2027-01-01")  # fmt: skip
    assert [(p.pool, p.scaling, p.ips, p.warming) for p in f.pools] == [
        ("transactional", "STANDARD", 5, (40, 15)),
        ("ses-default-dedicated-pool", "STANDARD", 2, ()),
        ("marketing", "MANAGED", 2, ()),
    ]
    assert str(f.monthly_fee) == "174.65"
    result = runner.invoke(app, ["fleet", *map(str, IPS), "--date", "2027-01-01", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["total"] == {"ips": 9, "monthly_fee": "174.65"}
    assert data["pools"][0] == {"pool": "transactional", "scaling": "STANDARD", "ips": 5, "warming": 2,
                                "warming_percentages": [40, 15], "monthly_fee": "124.75"}  # fmt: skip
    assert data["pools"][2]["monthly_fee"] is None  # managed: priced by volume


def test_the_accounts_zones_set_the_spread():
    # us-west-1 as the account sees it: 2 available AZs (usw1-az3, usw1-az1) and a Local
    # Zone that does not count. Surviving 1 AZ loss over 2 AZs doubles the IPs:
    # 300 / 27.78 -> 11 IPs for the rate, 22 spread 11 and 11 over the account's AZ IDs.
    e = planner.estimate("us-west-1", rate=300, az_failures=1, date="2027-01-01",
                         zones_file=AWS / "describe-availability-zones-us-west-1.json")  # fmt: skip
    row = e.regions[0]
    assert (row.availability_zones, row.ips_for_rate, row.ips) == (2, 11, 22)
    assert row.spread == {"usw1-az3": 11, "usw1-az1": 11}


def test_the_support_case_has_every_field_for_each_region():
    result = runner.invoke(app, ["request", "--rate", "450", "--region", "us-east-1", "--rate",
                                 "120", "--region", "eu-west-1", "-f", "json",
                                 "--date", "2027-01-01"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    (case,) = json.loads(result.stdout)  # one case, a request block per Region
    # The form's boxes (FACTS.md: the Support Center's request form), per Region.
    assert [b["region"] for b in case["requests"]] == ["us-east-1", "eu-west-1"]
    assert [b["new_limit_value"] for b in case["requests"]] == [450, 120]
    assert {b["limit"] for b in case["requests"]} == {"Desired Maximum Send Rate"}
    assert case["limit_type"] == "SES Sending Limits"
    # 450 / 27.78 -> 17 IPs and 120 / 27.78 -> 5, neither raised: the sizing's counts.
    assert "By our sizing this needs 17 IPs in us-east-1 and 5 IPs in eu-west-1." in " ".join(
        case["use_case_description"].split()
    )
    assert "shared" in case["use_case_description"]  # why dedicated rather than shared
    text = runner.invoke(app, ["request", "--relinquish", "2", "--region", "us-east-1"]).stdout
    assert "relinquish 2 dedicated IP addresses" in text
    assert "cannot be reversed" in text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"DedicatedIps": [', "is not complete JSON"),
        ('{"Reservations": []}', "is not the output of a command ipcost reads"),
        ('{"DedicatedIps": [{"Ip": "1.2.3.4", "WarmupStatus": "WARM", "WarmupPercentage": 5}]}',
         "DedicatedIps #1: WarmupStatus 'WARM' is not one of IN_PROGRESS, DONE, NOT_APPLICABLE"),
        ('{"DedicatedIps": [{"Ip": "1.2.3.4", "WarmupStatus": "DONE", "WarmupPercentage": 101}]}',
         "WarmupPercentage 101 is not -1 or 0 to 100"),
        ('{"DedicatedIps": [{"Ip": "1.2.3.4", "WarmupStatus": "DONE"}]}', "WarmupPercentage missing"),
        ('{"DedicatedIpPool": {"PoolName": "p", "ScalingMode": "AUTO"}}',
         "ScalingMode 'AUTO' is not one of STANDARD, MANAGED"),
        ('{"SendQuota": {"MaxSendRate": "fast", "Max24HourSend": 1}}', "SendQuota.MaxSendRate 'fast'"),
        ('{"DedicatedIps": [], "NextToken": "x"}', "has a NextToken but no later page was given"),
        ("[1, 2]", "is not the output of a command ipcost reads"),
    ],
)  # fmt: skip
def test_readers_are_strict(tmp_path, text, message):
    path = tmp_path / "out.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match=message):
        read_aws([path])
    result = runner.invoke(app, ["fleet", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {path}")
    assert result.stderr.count("\n") == 1


def test_pages_out_of_order_and_repeated():
    with pytest.raises(
        DataFileError, match="has no NextToken, yet more get-dedicated-ips pages follow"
    ):
        read_aws([IPS[1], IPS[0]])
    with pytest.raises(DataFileError, match="has no NextToken, yet more"):
        read_aws([IPS[1], IPS[1]])


def test_plans_and_schedules_take_the_accounts_zones(tmp_path):
    zones = AWS / "describe-availability-zones-us-west-1.json"
    # A plan: 300 msg/s, surviving 1 AZ loss over the account's 2 AZs: 22 IPs.
    plan = tmp_path / "plan.toml"
    plan.write_text(f'start = "2027-01"\nmonths = 1\nzones_file = "{zones}"\n[defaults]\n'
                    'az_failures = 1\n[[regions]]\nregion = "us-west-1"\nrate = 300\n',
                    encoding="utf-8")  # fmt: skip
    assert planner.budget(plan).to_frame()["ips_start"].tolist() == [22]
    # The same forecast month in a schedule.
    forecast = tmp_path / "f.csv"
    forecast.write_text("month,region,peak_rate\n2027-01,us-west-1,300\n", encoding="utf-8")
    s = planner.schedule(forecast, az_failures=1, zones_file=zones, today="2020-01-01")
    assert s.months["ips_needed"].tolist() == [22]


def test_a_plan_holds_a_pool_from_fleet_files(tmp_path):
    plan = tmp_path / "plan.toml"
    pages = ", ".join(f'"{p}"' for p in IPS)
    plan.write_text(f'start = "2027-01"\nmonths = 1\n[[regions]]\nregion = "us-east-1"\n'
                    f'pool = "transactional"\nfleet_file = [{pages}]\n'
                    f'[[regions]]\nregion = "us-east-1"\nfleet_file = [{pages}]\n',
                    encoding="utf-8")  # fmt: skip
    frame = planner.budget(plan).to_frame()
    # 5 IPs in transactional, 2 in SES's default pool (IPs without PoolName).
    assert frame["ips_start"].tolist() == [5, 2]
    assert [str(c) for c in frame["charge"]] == ["124.75", "49.90"]
    managed = tmp_path / "managed.toml"
    managed.write_text(f'start = "2027-01"\n[[regions]]\nregion = "us-east-1"\npool = "marketing"\n'
                       f"fleet_file = [{pages}]\n", encoding="utf-8")  # fmt: skip
    with pytest.raises(planner.PlannerError, match="pool 'marketing' is managed: priced by volume"):
        planner.budget(managed)


def test_a_schedule_starts_from_the_accounts_fleet_and_its_warm_up(tmp_path):
    # transactional holds 5: 3 warm, 1 at 40 %, 1 at 15 % (read 2026-12-20). January needs
    # 130 / 27.78 -> 5, February 200 / 27.78 -> 8: 3 more, due on 2026-12-19 (44 days
    # before February), a day before today: requested today, they come 7 lead days on,
    # on 2026-12-27.
    forecast = tmp_path / "f.csv"
    forecast.write_text("month,region,pool,peak_rate\n2027-01,us-east-1,transactional,130\n"
                        "2027-02,us-east-1,transactional,200\n", encoding="utf-8")  # fmt: skip
    s = planner.schedule(forecast, fleet_files=IPS, today="2026-12-20")
    assert [(e.date, e.action, e.count) for e in s.events] == [(dt.date(2026, 12, 27), "lease", 3)]
    # On 2027-01-01 (12 days after the read): the 40 % IP continues from day 18 (18/45 is
    # the first share >= 0.40), so day 30: 30/45; the 15 % one from day 7 to day 19: 19/45;
    # the 3 new ones are on day 6 (2026-12-27 is day 1): 6/45 each. (3 + 30/45 + 19/45 +
    # 3 x 6/45) x 27.78.
    per_ip = 3_000_000 / 86_400 * 0.8
    expected = (3 + 30 / 45 + 19 / 45 + 3 * 6 / 45) * per_ip
    assert s.months["capacity"].iloc[0] == pytest.approx(expected)
    assert any(
        "ses-default-dedicated-pool' holds 2 IPs but has no forecast" in w for w in s.warnings
    )


def test_the_support_cases_from_a_schedule_lease_what_it_leases():
    # data/forecast-2027.csv at az_failures 1. By hand, us-east-1 in 2027-01: 240 msg/s over
    # 250/9 per IP = 8.64 -> 9 for the rate, 11 to survive 1 of 6 AZs (3,2,2,2,1,1 keeps 9),
    # leased 44 days before January 1st: 2026-11-18; requested 7 lead days (the default)
    # earlier, 2026-11-11, the first wave's request-by date.
    forecast = Path(__file__).resolve().parents[1] / "data" / "forecast-2027.csv"
    result = runner.invoke(app, ["request", "--forecast", str(forecast), "--az-failures", "1",
                                 "--today", "2026-01-01", "-f", "json"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    first = json.loads(result.stdout)[0]
    block = next(b for b in first["requests"] if b["region"] == "us-east-1")
    assert (block["new_limit_value"], first["file_by"]) == (240, "2026-11-11")
    assert "In us-east-1: 11 more IPs" in " ".join(first["use_case_description"].split())
    # Together the cases lease exactly what the schedule leases, on its request-by dates.
    s = planner.schedule(forecast, az_failures=1, today="2026-01-01")
    leases = Counter()
    for e in s.events:
        if e.action == "lease":
            leases[(e.region, e.request_by.isoformat())] += e.count
    cases = planner.request(forecast=forecast, az_failures=1, today="2026-01-01").requests
    asked = Counter({(b.region, c.file_by.isoformat()): b.ips for c in cases for b in c.requests})
    assert asked == leases
