"""The Support Center case as the form asks for it, and the account's files read strictly.

Expected figures are worked by hand beside each test (FACTS.md for the form's fields,
DESIGN.md for the relinquish worked example).
"""

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

import planner
from planner.edges.cli import app
from planner.edges.reports import render_request

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
AWS = ROOT / "data" / "aws"
PAGES = [AWS / "get-dedicated-ips-1.json", AWS / "get-dedicated-ips-2.json"]


def test_a_case_invents_nothing_and_shows_what_to_fill_in():
    cases = planner.request("us-east-1", rate=300, date="2027-01-01")
    text = render_request(cases, "markdown")
    # No volume the user did not give, no claim about their traffic.
    assert "messages a day" not in text
    assert "steady" not in text
    # Each question only the user can answer is a visible placeholder naming its option.
    for option in ("--mail-type", "--website", "--opt-in", "--bounce-process", "--aup",
                   "--contact-language", "--usage", "--why-dedicated"):  # fmt: skip
        assert re.search(r"\[to fill in: [^]]*\(" + option + r"\)\]", text), option
    # The form's fixed fields.
    assert "- **Limit type:** SES Sending Limits" in text
    assert "- **Limit:** Desired Maximum Send Rate" in text
    # 300 / (625/18 x 0.8) = 10.8 -> 11 IPs (FACTS: sendgrid profile, 80 % utilization).
    assert "- **Dedicated IPs wanted:** 11" in text


def test_the_users_answers_appear_as_given():
    answers = {"mail_type": "transactional", "website": "https://example.com", "aup": "YES",
               "contact_language": "japanese", "opt_in": "double opt-in",
               "bounce_process": "SNS to our suppression list", "usage": "receipts",
               "why_dedicated": "our own reputation"}  # fmt: skip
    text = render_request(planner.request(rate=300, answers=answers, date="2027-01-01"), "markdown")
    assert "[to fill in" not in text
    assert "- **Mail Type:** transactional" in text
    assert "- **Complies with the AWS Service Terms and AUP:** YES" in text
    assert "- **Contact language:** Japanese" in text
    assert "How we will use them: receipts" in text
    assert "Why dedicated rather than shared IPs: our own reputation" in text


def test_a_regions_case_totals_its_pools(tmp_path):
    # Two pools in us-east-1 at 200 msg/s each, 40 msg/s per IP at 80 %: 200 / 32 = 6.25 ->
    # 7 IPs each, 14 in all, for a new limit of 400 msg/s (not the busiest pool's 200).
    forecast = tmp_path / "two-pools.csv"
    forecast.write_text("month,region,pool,peak_rate\n2027-03,us-east-1,a,200\n"
                        "2027-03,us-east-1,b,200\n", encoding="utf-8")  # fmt: skip
    cases = planner.request(forecast=forecast, per_ip_rate=40, today="2026-01-01")
    (case,) = cases.requests
    assert (case.ips, case.new_limit_value, str(case.request_by)) == (14, 400.0, "2027-01-16")
    # 2027-03-01 less 44 days of warm-up (linear, the lease day being day 1) is 2027-01-16.


def test_a_late_wave_is_a_warning_naming_the_warm_date_still_possible(tmp_path):
    forecast = tmp_path / "f.csv"
    forecast.write_text("month,region,peak_rate\n2027-03,us-east-1,100\n", encoding="utf-8")
    result = runner.invoke(app, ["request", "--forecast", str(forecast), "--today", "2027-02-01"])
    assert result.exit_code == 0, result.stderr
    # Due 2027-01-16; opened on 2027-02-01 the IPs arrive then and are warm 44 days later,
    # on 2027-03-17.
    assert "had to be opened by 2027-01-16" in result.stderr
    assert "warm on 2027-03-17" in result.stderr


def test_the_relinquish_case_has_its_fields_addresses_and_refund():
    # DESIGN.md: a relinquish on 2026-11-15 refunds 12.47 per IP; two IPs, 24.94.
    cases = planner.request("us-east-1", relinquish=2, addresses=["198.51.100.10", "198.51.100.11"],
                            fleet_files=PAGES, date="2026-11-15")  # fmt: skip
    (case,) = cases.relinquish
    assert case.refund == Decimal("24.94")
    data = cases.to_dict()["relinquish"][0]
    assert data["addresses"] == ["198.51.100.10", "198.51.100.11"]
    assert data["new_limit_value"] is None
    assert (data["limit_type"], data["limit"], data["count"]) == (
        "SES Sending Limits",
        "Desired Maximum Send Rate",
        2,
    )
    text = render_request(cases, "markdown")
    assert "cannot be undone" in text
    assert "not used" in text
    assert "24.94 USD of it is refunded" in text


def test_a_region_is_spelled_as_the_table_spells_it():
    (case,) = planner.request("US-East-1", relinquish=1, date="2026-11-15").relinquish
    assert case.region == "us-east-1"


def test_a_new_limit_above_the_accounts_quota_is_a_warning():
    # get-account.json: MaxSendRate 500 msg/s; asking for 600 is above it, 400 is not.
    high = planner.request(rate=600, account_file=AWS / "get-account.json", date="2027-01-01")
    assert any("600.00 msg/s is above the account's maximum send rate of 500.00" in w
               for w in high.warnings)  # fmt: skip
    low = planner.request(rate=400, account_file=AWS / "get-account.json", date="2027-01-01")
    assert not [w for w in low.warnings if "maximum send rate" in w]


def test_a_schedules_plan_carries_its_zones(tmp_path):
    # us-west-1 with the account's 2 AZs, surviving 1: 300 / 27.78 -> 11 for the rate, 22
    # in all. The written plan keeps the zones file, so budget sizes the same 22.
    forecast = tmp_path / "f.csv"
    forecast.write_text("month,region,peak_rate\n2027-03,us-west-1,300\n", encoding="utf-8")
    zones = AWS / "describe-availability-zones-us-west-1.json"
    plan = tmp_path / "plan.toml"
    result = runner.invoke(app, ["schedule", str(forecast), "--az-failures", "1", "--zones-file",
                                 str(zones), "--today", "2026-01-01", "-o", str(plan)])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert f'zones_file = "{zones.resolve()}"' in plan.read_text(encoding="utf-8")
    frame = planner.budget(plan)
    assert frame["leased"].sum() == 22


def test_compare_prices_each_region_with_its_own_volume():
    # us-east-1 20M: managed 15.00 + 10M x 0.08 + 10M x 0.04 per 1,000 = 1,215.00;
    # eu-west-1 5M: 15.00 + 5M x 0.08 per 1,000 = 415.00; together 1,630.00. Standard: each
    # volume is an average day of 657,534 and 164,384 messages (under 8 msg/s), so each
    # Region holds its minimum of 2 IPs: 2 x 24.95 = 49.90, together 99.80.
    both = planner.compare(["us-east-1", "eu-west-1"], monthly_volume=[20_000_000, 5_000_000],
                           date="2027-01-01")  # fmt: skip
    assert [c.managed_fee for c in both.regions] == [Decimal("1215.00"), Decimal("415.00")]
    assert (both.managed_fee, both.standard_fee) == (Decimal("1630.00"), Decimal("99.80"))
    data = json.loads(runner.invoke(app, ["compare", "--monthly-volume", "20000000", "-r",
                                          "us-east-1", "--monthly-volume", "5000000", "-r",
                                          "eu-west-1", "--date", "2027-01-01", "-f",
                                          "json"]).stdout)  # fmt: skip
    assert data["total"] == {"standard_monthly_fee": "99.80", "managed_monthly_fee": "1630.00",
                             "currency": "USD"}  # fmt: skip


def test_a_scenario_and_settings_together_are_a_type_error():
    # A built scenario already holds the settings; giving both is a caller's mistake.
    with pytest.raises(TypeError, match="takes a scenario or its settings and files, not both"):
        planner.request(rate=300, per_ip_rate=40, scenario=planner.Scenario.build())
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        planner.estimate(rate=300, colour="red")
