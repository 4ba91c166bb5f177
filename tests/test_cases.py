"""The Support Center case as the form asks for it, and the account's files read strictly.

Expected figures are worked by hand beside each test (FACTS.md for the form's fields,
DESIGN.md for the relinquish worked example).
"""

import itertools
import json
import re
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

import planner
from planner.edges.cli import app
from planner.edges.reports import render_request

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
AWS = ROOT / "data" / "aws"
PAGES = [AWS / "get-dedicated-ips-1.json", AWS / "get-dedicated-ips-2.json"]


# The issue's example, as a new user types it.
EXAMPLE = ["request", "--rate", "450", "--region", "us-east-1", "--rate", "120", "--region",
           "eu-west-1", "--az-failures", "1", "--mail-type", "transactional", "--website",
           "https://example.com", "--aup", "yes", "--contact-language", "english",
           "--date", "2027-01-01"]  # fmt: skip

# The JSON contract of `ipcost request -f json`, written here from the issue's shape (not
# generated from the code): a list of cases, each with exactly these keys.
TEXT_OR_NULL = {"type": ["string", "null"]}
CASE_SCHEMA = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["kind", "file_by", "case_type", "limit_type", "mail_type", "website_url",
                     "opt_in", "bounce_process", "aup", "requests", "use_case_description",
                     "contact_language", "notes_for_you"],
        "properties": {
            "kind": {"enum": ["request", "relinquish"]},
            "file_by": {"anyOf": [{"type": "null"},
                                  {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}]},
            "case_type": {"const": "Service quota increase"},
            "limit_type": {"const": "SES Sending Limits"},
            "mail_type": TEXT_OR_NULL, "website_url": TEXT_OR_NULL, "opt_in": TEXT_OR_NULL,
            "bounce_process": TEXT_OR_NULL, "aup": TEXT_OR_NULL,
            "requests": {
                "type": "array", "minItems": 1,
                "items": {
                    "type": "object", "additionalProperties": False,
                    "required": ["region", "limit", "new_limit_value"],
                    "properties": {
                        "region": {"type": "string", "pattern": "^[a-z]{2}(-[a-z]+)+-\\d$"},
                        "limit": {"const": "Desired Maximum Send Rate"},
                        "new_limit_value": {"anyOf": [
                            {"type": "integer", "minimum": 1},
                            {"type": "string", "pattern": r"^\[to fill in: .*\]$"}]},
                    },
                },
            },
            "use_case_description": {"type": "string", "minLength": 1},
            "contact_language": {"type": "string"},
            "notes_for_you": {"type": "array", "items": {"type": "string"}},
        },
    },
}  # fmt: skip


def _boxes(text: str) -> dict[str, list[str]]:
    """Each box of the text case (a line ending ':' followed by its value) and its values."""
    lines = text.splitlines()
    out: dict[str, list[str]] = {}
    for label, value in itertools.pairwise(lines):
        if label.endswith(":") and value:
            out.setdefault(label[:-1], []).append(value)
    return out


def test_the_example_is_one_case_with_two_request_blocks_pasteable_box_by_box():
    result = runner.invoke(app, EXAMPLE)
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.count("Case 1 of 1: request dedicated IPs") == 1
    assert "Case 2" not in text
    assert "**" not in text
    assert "##" not in text
    boxes = _boxes(text)
    # The classification once, the form's fixed answers as its drop-downs show them.
    assert boxes["Case type"] == ["Service quota increase"]
    assert boxes["Limit type"] == ["SES Sending Limits"]
    assert boxes["Mail Type"] == ["Transactional"]
    assert boxes["Website URL"] == ["https://example.com"]
    assert boxes["Will you comply with AWS Service Terms and AUP"] == ["Yes"]
    assert boxes["Preferred contact language"] == ["English"]
    # A block per Region in the order given, a whole number of msg/s alone in the box.
    assert boxes["Region"] == ["US East (N. Virginia), us-east-1", "Europe (Ireland), eu-west-1"]
    assert boxes["Limit"] == ["Desired Maximum Send Rate"] * 2
    assert boxes["New limit value"] == ["450", "120"]
    assert text.count("Add another request") == 1
    assert "Dedicated IPs wanted" not in text  # not a box of the form
    # The counts stated plainly: 450 / (3,000,000 / 86,400 x 0.8 = 27.78) = 16.2 -> 17 for
    # the rate; surviving 1 of 6 AZs, n - (n // 6 + min(1, n % 6)) >= 17 first at n = 21
    # (20 leaves 16). eu-west-1: 120 / 27.78 = 4.3 -> 5; 1 of 3 AZs: 8 leaves 5 (7 leaves 4).
    flat = " ".join(text.split())
    assert "21 IPs in us-east-1 and 8 IPs in eu-west-1" in flat
    assert "17 in us-east-1 and 5 in eu-west-1" in flat
    assert "1 Availability Zone is lost" in flat


def test_the_json_is_a_list_of_cases_in_the_contracts_shape():
    for args in (
        EXAMPLE,
        ["request", "--forecast", str(ROOT / "data" / "forecast-2027.csv"), "--az-failures", "1",
         "--today", "2026-10-01", "--date", "2027-01-01"],
        ["request", "--relinquish", "2", "--held", "4", "--date", "2026-11-15"],
        ["request", "--ips", "4", "--date", "2027-01-01"],
        ["request", "--daily-volume", "20000000", "--date", "2027-01-01"],
    ):  # fmt: skip
        result = runner.invoke(app, [*args, "-f", "json"])
        assert result.exit_code == 0, result.stderr
        jsonschema.validate(json.loads(result.stdout), CASE_SCHEMA)
    data = json.loads(runner.invoke(app, [*EXAMPLE, "-f", "json"]).stdout)
    assert [r["new_limit_value"] for r in data[0]["requests"]] == [450, 120]
    assert (data[0]["kind"], data[0]["file_by"], data[0]["mail_type"]) == (
        "request",
        None,
        "Transactional",
    )


def test_a_case_invents_nothing_and_shows_what_to_fill_in():
    cases = planner.request("us-east-1", rate=300, date="2027-01-01")
    text = render_request(cases, "text")
    # No claim about warm-up, traffic or intent the user did not make; no source markers.
    for claim in ("warm up automatically", "messages a day in", "steady", "[P]", "[S]",
                  "ipcost", "FACTS", "Sized with"):  # fmt: skip
        assert claim not in text, claim
    # Each question only the user can answer is a visible placeholder naming its option.
    flat = " ".join(text.split())
    for option in ("--mail-type", "--website", "--opt-in", "--bounce-process", "--aup",
                   "--contact-language", "--usage", "--why-dedicated"):  # fmt: skip
        assert re.search(r"\[to fill in: [^]]*\(" + option + r"\)\]", flat), option
    # 300 / 27.78 = 10.8 -> 11 IPs, not raised by the minimum of 2: the count is the
    # sizing's, stated as such.
    assert "By our sizing this needs 11 IPs in us-east-1." in flat


def test_the_users_answers_appear_as_given_and_the_form_shows_its_choices():
    answers = {"mail_type": "MARKETING", "website": "https://example.com/mail", "aup": "YES",
               "contact_language": "japanese", "opt_in": "double opt-in",
               "bounce_process": "SNS to our suppression list", "usage": "receipts",
               "why_dedicated": "our own reputation"}  # fmt: skip
    cases = planner.request(rate=300, answers=answers, date="2027-01-01")
    text = render_request(cases, "text")
    assert "[to fill in" not in text
    boxes = _boxes(text)
    assert boxes["Mail Type"] == ["Marketing"]
    assert boxes["Will you comply with AWS Service Terms and AUP"] == ["Yes"]
    assert boxes["Preferred contact language"] == ["Japanese"]
    assert boxes["Website URL"] == ["https://example.com/mail"]
    assert "How we will use the dedicated IPs: receipts" in text
    assert "Why dedicated rather than shared IPs: our own reputation" in text
    no = planner.request(rate=300, answers={"aup": "no"}, date="2027-01-01")
    assert no.cases[0].answers.aup == "No"
    assert any("answers No" in w for w in no.warnings)
    with pytest.raises(TypeError, match="unknown question 'colour'"):
        planner.request(rate=300, answers={"colour": "red"})


def test_a_daily_volume_is_a_peak_only_when_a_peak_factor_was_given():
    # 20,000,000 / 86,400 = 231.48 msg/s: the day's average, not a peak.
    average = planner.request(daily_volume=20_000_000, date="2027-01-01")
    (block,) = average.cases[0].requests
    assert isinstance(block.new_limit_value, str)
    assert block.new_limit_value.startswith("[to fill in: your peak send rate")
    assert "231.48 is the day's average" in block.new_limit_value
    text = " ".join(render_request(average, "text").split())
    assert "peak send rate is" not in text
    assert "sized from the day's average rate, not from a peak" in text
    # With --peak-factor 2: 462.96 msg/s, rounded up to 463 for the box.
    peak = planner.request(daily_volume=20_000_000, peak_factor=2, date="2027-01-01")
    assert peak.cases[0].requests[0].new_limit_value == 463
    assert "2 times the day's average" in peak.cases[0].use_case_description


def test_an_ip_count_asks_for_its_rate_and_states_the_count():
    cases = planner.request(["us-east-1", "eu-west-1"], ips=[4, 2], date="2027-01-01")
    (case,) = cases.cases
    assert [r.new_limit_value for r in case.requests] == [
        "[to fill in: your peak send rate in messages per second (--rate)]"
    ] * 2
    assert "We need a specific number of IPs: 4 IPs in us-east-1 and 2 IPs in eu-west-1." in (
        case.use_case_description
    )


def test_every_region_of_the_table_is_one_block_in_the_order_given():
    names = planner.load_regions().names[::-1]
    (case,) = planner.request(names, rate=10, date="2027-01-01").cases
    assert [r.region for r in case.requests] == names
    assert {r.new_limit_value for r in case.requests} == {10}


def test_a_forecast_gives_one_case_per_filing_date_and_its_relinquishes():
    cases = planner.request(forecast=ROOT / "data" / "forecast-2027.csv", az_failures=1,
                            today="2026-10-01", date="2027-01-01")  # fmt: skip
    # Leases are warm on the first of the month that needs them: lease day = first - 44
    # days (45-day linear warm-up, the lease day being day 1), filed 7 lead days (the
    # default) before. Months needing more IPs: 2027-01 (both Regions start), 03
    # (ap-southeast-2 starts), 04, 05, 09, 10, 11: first days less 51 days are these filing
    # dates.
    assert [str(c.file_by) for c in cases.requests] == [
        "2026-11-11", "2027-01-09", "2027-02-09", "2027-03-11", "2027-07-12", "2027-08-11",
        "2027-09-11"]  # fmt: skip
    first = cases.requests[0]
    # 2027-01: us-east-1 240 msg/s -> 9 for the rate, 11 surviving 1 of 6 AZs; eu-west-1 95
    # -> 4 for the rate, 6 surviving 1 of 3 AZs (5 leaves 3).
    assert [(r.region, r.new_limit_value, r.ips) for r in first.requests] == [
        ("us-east-1", 240, 11),
        ("eu-west-1", 95, 6),
    ]
    # The schedule relinquishes on 2027-11-30 (a month's last day, day count inclusive): a
    # relinquish case, dated, after that day's requests. The dip of 2027-07 and 08 is held
    # through (re-leased 19 days after 2027-06-30, within the default 45 keep days).
    assert [str(c.file_by) for c in cases.relinquishes] == ["2027-11-30"]
    assert [c.kind for c in cases.cases].count("relinquish") == 1
    dates = [c.file_by for c in cases.cases]
    assert dates == sorted(dates)
    # Together the cases lease and relinquish what the schedule does.
    plan = planner.schedule(ROOT / "data" / "forecast-2027.csv", az_failures=1,
                            today="2026-10-01")  # fmt: skip
    for kind, action in (("request", "lease"), ("relinquish", "relinquish")):
        asked = sum(c.ips for c in cases.cases if c.kind == kind)
        assert asked == sum(e.count for e in plan.events if e.action == action)


def test_a_regions_case_totals_its_pools(tmp_path):
    # Two pools in us-east-1 at 200 msg/s each, 40 msg/s per IP at 80 %: 200 / 32 = 6.25 ->
    # 7 IPs each, 14 in all, for a new limit of 400 msg/s (not the busiest pool's 200).
    forecast = tmp_path / "two-pools.csv"
    forecast.write_text("month,region,pool,peak_rate\n2027-03,us-east-1,a,200\n"
                        "2027-03,us-east-1,b,200\n", encoding="utf-8")  # fmt: skip
    cases = planner.request(forecast=forecast, per_ip_rate=40, today="2026-01-01")
    (case,) = cases.cases
    (block,) = case.requests
    assert (block.ips, block.new_limit_value, str(case.file_by)) == (14, 400, "2027-01-09")
    # 2027-03-01 less 44 days of warm-up (linear, the lease day being day 1) is 2027-01-16,
    # less 7 lead days (the default) to file: 2027-01-09.
    assert "each pool sends from IPs of its own" in case.use_case_description
    assert "by pool: a 200 and b 200" in case.use_case_description


def test_a_late_wave_is_a_warning_naming_the_warm_date_still_possible(tmp_path):
    forecast = tmp_path / "f.csv"
    forecast.write_text("month,region,peak_rate\n2027-03,us-east-1,100\n", encoding="utf-8")
    result = runner.invoke(app, ["request", "--forecast", str(forecast), "--today", "2027-02-01"])
    assert result.exit_code == 0, result.stderr
    # Due 2027-01-16 (filed by 2027-01-09); opened today, 2027-02-01, the IPs arrive 7 lead
    # days later, 2027-02-08, and are warm 44 days after that, on 2027-03-24: 23 days late.
    said = " ".join(result.stderr.split())
    assert ("4 IPs for 2027-03 are late: requested today (2027-02-01) with 7 lead days, leased "
            "2027-02-08 and warm 2027-03-24, 23 days after 2027-03-01") in said  # fmt: skip


def test_the_relinquish_case_is_the_forms_relinquish_path():
    # DESIGN.md: a relinquish on 2026-11-15 refunds 12.47 per IP; two IPs, 24.94.
    cases = planner.request("us-east-1", relinquish=2, addresses=["198.51.100.10", "198.51.100.11"],
                            fleet_files=PAGES, date="2026-11-15")  # fmt: skip
    (case,) = cases.relinquishes
    assert case.refund == Decimal("24.94")
    (data,) = cases.to_list()
    # Limit type only in the classification; the rest blank, and the text says so.
    assert [data[k] for k in ("mail_type", "website_url", "opt_in", "bounce_process", "aup")] == [
        None
    ] * 5
    assert (data["kind"], data["file_by"], data["limit_type"]) == (
        "relinquish",
        "2026-11-15",
        "SES Sending Limits",
    )
    (block,) = data["requests"]
    assert block["region"] == "us-east-1"
    assert block["limit"] == "Desired Maximum Send Rate"
    assert block["new_limit_value"].startswith("[to fill in: any whole number")
    description = " ".join(data["use_case_description"].split())
    assert (
        "Please relinquish 2 dedicated IP addresses in us-east-1: 198.51.100.10, 198.51.100.11."
        in (description)
    )
    assert "cannot be reversed" in description
    # The refund rests on ipcost's proration assumption: told to the user, not to AWS.
    assert "24.94" not in description
    assert "refund" not in description.lower()
    assert any("refund 24.94 USD" in n for n in data["notes_for_you"])
    text = " ".join(render_request(cases, "text").split())
    assert "leave them blank; a relinquish asks only the Limit type" in text


def test_the_relinquish_limit_is_the_accounts_current_rate_so_it_changes_nothing():
    # get-account.json: MaxSendRate 500.0 msg/s.
    cases = planner.request("us-east-1", relinquish=1, account_file=AWS / "get-account.json",
                            date="2026-11-15")  # fmt: skip
    (block,) = cases.cases[0].requests
    assert block.new_limit_value == 500
    assert "[to fill in: the 1 address to relinquish (--ip" in cases.cases[0].use_case_description


def test_a_region_is_spelled_as_the_table_spells_it():
    (case,) = planner.request("US-East-1", relinquish=1, date="2026-11-15").relinquishes
    assert case.requests[0].region == "us-east-1"


def test_a_new_limit_above_the_accounts_quota_is_a_warning():
    # get-account.json: MaxSendRate 500 msg/s; asking for 600 is above it, 400 is not.
    high = planner.request(rate=600, account_file=AWS / "get-account.json", date="2027-01-01")
    assert any("600.00 msg/s is above the account's maximum send rate of 500.00" in w
               for w in high.warnings)  # fmt: skip
    low = planner.request(rate=400, account_file=AWS / "get-account.json", date="2027-01-01")
    assert not [w for w in low.warnings if "maximum send rate" in w]


def test_markdown_and_the_help_offer_exactly_the_formats_taken():
    md = runner.invoke(app, [*EXAMPLE, "-f", "markdown"]).stdout
    assert "## Case 1 of 1: request dedicated IPs" in md
    assert "### Requests" in md
    assert "- **New limit value:** 450" in md
    help_text = runner.invoke(app, ["request", "--help"], env={"COLUMNS": "200"}).stdout
    assert "--format <text|markdown|json>" in help_text
    for other in ("csv", "xlsx", "--decimal-comma"):
        assert not re.search(r"(?<![\w-])" + re.escape(other) + r"\b", help_text), other
    assert runner.invoke(app, [*EXAMPLE, "-f", "csv"]).exit_code == 2


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
    frame = planner.budget(plan).to_frame()
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
    total = data["total"]
    assert (total["standard_monthly_fee"], total["managed_monthly_fee"], total["currency"]) == (
        "99.80",
        "1630.00",
        "USD",
    )
    # The whole bill of both Regions a la carte: mail 25M x 0.10 / 1,000 = 2,500.00; with
    # standard IPs + 99.80; with managed IPs + 1,630.00 (FACTS.md prices).
    bills = {(b["plan"], b["ip_mode"]): b["total"] for b in total["bill"]}
    assert (bills[("none", "shared")], bills[("none", "standard")],
            bills[("none", "managed")]) == ("2500.00", "2599.80", "4130.00")  # fmt: skip


def test_a_scenario_and_settings_together_are_a_type_error():
    # A built scenario already holds the settings; giving both is a caller's mistake.
    with pytest.raises(TypeError, match="takes a scenario or its settings and files, not both"):
        planner.request(rate=300, per_ip_rate=40, scenario=planner.Scenario.build())
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        planner.estimate(rate=300, colour="red")


def test_the_readmes_case_is_what_the_command_prints(monkeypatch):
    # README.md shows the example's text output verbatim: it must not rot.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"^```text\n(Case 1 of 1: request dedicated IPs\n.*?)^```", readme,
                      flags=re.S | re.M)  # fmt: skip
    assert shown is not None
    monkeypatch.setenv("COLUMNS", "100")
    result = runner.invoke(app, EXAMPLE)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.rstrip("\n") + "\n" == shown.group(1)
    assert max(len(line) for line in result.stdout.splitlines()) <= 100
