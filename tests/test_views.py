"""The reports: what each format shows, from known results."""

import csv
import io
import json
import re
from pathlib import Path

import planner
from planner.edges.reports import (
    render_budget,
    render_compare,
    render_estimate,
    render_prices,
    render_relinquish,
)

DATE = "2026-11-27"
DATA = Path(__file__).resolve().parents[1] / "data"
PLAN = DATA / "plan-2027.toml"


def test_estimate_table_names_every_assumption_and_its_origin():
    e = planner.estimate("us-east-1", rate=300, utilization=0.8, date=DATE)
    text = render_estimate(e, "table")
    assert "utilization     0.8  (given)" in text
    # Each default cites its source, a numbered note below (from defaults.csv, the profiles).
    cited = re.search(r"min per Region  2 IPs  \(default\) \[(\d)\]", text)
    assert cited
    assert f"\n  [{cited.group(1)}] AWS SES docs: lease more than one" in text
    # 3,000,000 / 86,400 = 625/18 msg/s, shown rounded and exactly (what --per-ip-rate reads)
    assert "per-IP rate     34.72 msg/s (exactly 625/18), profile sendgrid  (default) [" in text
    assert "] profile sendgrid: 3,000,000 messages per IP per day" in text
    assert "\n  [P] a primary source" in text
    assert "24.95 USD per IP-month (dedicated-ip, in force on 2026-11-27)" in text


def test_estimate_markdown_and_json():
    e = planner.estimate("us-east-1", rate=300, per_ip_rate=40, utilization=0.8, date=DATE)
    md = render_estimate(e, "markdown")
    # 10 IPs carry 10 x 40 x 0.8 = 320 msg/s, 8 after the fullest AZ (2) goes: 256.
    assert "| us-east-1 | 300.00 | 6 | 10 | 10 | 320.00 | 256.00 | 249.50 | 2994.00 |" in md
    data = json.loads(render_estimate(e, "json"))
    assert data["total"] == {"ips": 10, "monthly_fee": "249.50", "annual_fee": "2994.00"}
    assert data["assumptions"]["fee_per_ip"] == "24.95"


def test_relinquish_csv_has_numbers_and_the_json_keys():
    r = planner.relinquish("us-east-1", 2, "2026-11-15", held=10)
    rows = list(csv.DictReader(io.StringIO(render_relinquish(r, "csv"))))
    assert list(rows[0]) == list(r.to_dict())
    # 12.48 / 12.47 per IP (24.95 x 15 / 30 half up), x2; 10 IPs 249.50, 8 IPs 199.60.
    assert (rows[0]["charge"], rows[0]["refund"]) == ("24.96", "24.94")
    assert (rows[0]["monthly_fee_before"], rows[0]["monthly_fee_after"]) == ("249.50", "199.60")
    assert rows[0]["irreversible"] == "true"


def test_budget_table_json_and_totals():
    frame = planner.budget(Path(__file__).resolve().parents[1] / "data" / "plan-2027.toml")
    table = render_budget(frame, "table")
    assert table.splitlines()[0].startswith("Budget 2027-01 to 2027-12")
    total = next(line for line in table.splitlines() if line.startswith("total"))
    assert total.split()[-2:] == ["8,150.84", "45.73"]
    data = json.loads(render_budget(frame, "json"))
    assert (data["start"], data["end"], data["totals"]) == (
        "2027-01",
        "2027-12",
        {"charge": "8150.84", "refund": "45.73"},
    )
    assert data["rows"][0] == {
        "month": "2027-01",
        "region": "us-east-1",
        "pool": "transactional",
        "ips_start": 14,
        "leased": 0,
        "relinquished": 0,
        "ips_end": 14,
        "ip_days": 434,
        "charge": "349.30",
        "refund": "0.00",
        "currency": "USD",
    }  # fmt: skip  (300 msg/s, 0.8, survive 1 AZ: 14 IPs x 24.95 = 349.30; 14 x 31 days)


def test_prices_show_exact_decimals():
    text = render_prices(planner.load_prices(), "csv")
    assert "dedicated-ip,*,IP-month,24.95,USD,2025-01-01," in text


def test_a_budget_says_its_settings_and_splits_a_table_too_wide_for_the_screen():
    # What-if settings are named in the report, each with where it came from.
    what_if = render_budget(planner.budget(PLAN, utilization=0.7, day_count="exclusive"), "table")
    said = " ".join(what_if.split())
    assert "utilization 0.7 (given)" in said
    assert "day count exclusive (given)" in said
    assert f"AZ failures 1 ({PLAN}, [defaults])" in said
    # A whole bill's eleven columns do not fit 100: IPs and money become two tables, each
    # row on one line (January, transactional: 2 IPs, 49.90 charged, 2,370.00 of mail).
    text = render_budget(planner.budget(DATA / "plan-volumes-2027.toml"), "table")
    assert "\nIPs\n" in text
    assert "\nMoney\n" in text
    from planner.edges.formats import wrap_prose  # the CLI wraps the title's prose

    assert all(len(line) <= 100 for line in wrap_prose(text, 100).splitlines())
    rows = [line.split() for line in text.splitlines() if line.startswith("2027-01  us-east-1")]
    assert ["2027-01", "us-east-1", "transactional", "2", "0", "0", "2", "62"] in rows
    assert ["2027-01", "us-east-1", "transactional", "49.90", "0.00", "2,370.00", "0.00"] in rows


def test_a_months_average_day_reads_the_same_wherever_it_is_shown():
    # 5,000,000 / (365/12) = 164,383.56...: 164,384 a day, half up, in both lines.
    c = planner.compare(monthly_volume=5_000_000, date="2026-12-01")
    text = " ".join(render_compare(c, "table").split())
    assert "sized for 164,384 messages a day" in text
    assert "about 164,384 messages a day" in text
    assert "164,383" not in text
