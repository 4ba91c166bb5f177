"""Budgets as .xlsx workbooks, read back with openpyxl as a user's spreadsheet would."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from planner.edges.cli import app
from planner.edges.workbook import budget_workbook
from planner.files.plans import read_plan
from planner.ops.budgets import budget

runner = CliRunner()
PLAN = Path(__file__).resolve().parents[1] / "data" / "plan-2027.toml"


def _cents(x):
    return Decimal(str(x)).quantize(Decimal("0.01"))


@pytest.fixture
def written(tmp_path):
    out = tmp_path / "budget.xlsx"
    result = runner.invoke(app, ["budget", str(PLAN), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_cells_are_typed_and_formatted(written):
    book = openpyxl.load_workbook(written)
    assert book.sheetnames == ["budget", "totals", "events", "billing"]
    sheet = book["budget"]
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == ["month", "region", "pool", "ips_start", "leased",
                                           "relinquished", "ips_end", "ip_days", "charge [USD]",
                                           "refund [USD]"]  # fmt: skip
    month, region, pool, ips_start, *_, ip_days, charge, refund = sheet[2]
    # data/plan-2027.toml's first row: 14 IPs all January 2027, 14 x 24.95 = 349.30.
    assert (month.value, month.number_format) == (dt.datetime(2027, 1, 1), "yyyy-mm")
    assert (region.value, pool.value) == ("us-east-1", "transactional")
    assert (ips_start.value, ip_days.value) == (14, 434)
    assert (charge.value, charge.number_format) == (349.3, "#,##0.00")
    assert refund.value == 0


def test_totals_are_formulas_cached_at_ipcosts_totals(written):
    frame = budget(PLAN)
    formulas = openpyxl.load_workbook(written)["totals"]
    cached = openpyxl.load_workbook(written, data_only=True)["totals"]
    rows = {r[0].value: r for r in cached.iter_rows(min_row=2)}
    assert list(rows) == ["us-east-1", "eu-west-1", "ap-southeast-2", "total"]
    assert _cents(rows["total"][2].value) == sum(frame["charge"], Decimal(0))
    assert _cents(rows["total"][3].value) == sum(frame["refund"], Decimal(0))
    east = frame[frame["region"] == "us-east-1"]
    assert _cents(rows["us-east-1"][2].value) == sum(east["charge"], Decimal(0))
    assert formulas["B5"].value == "=SUM('budget'!$H$2:$H$47)"
    # The Region criterion is the cell beside the formula, never text inside it.
    assert formulas["C2"].value == "=SUMIF('budget'!$B$2:$B$47,$A2,'budget'!$I$2:$I$47)"


def test_events_and_billing_sheets(written):
    book = openpyxl.load_workbook(written)
    events = [[c.value for c in r] for r in book["events"].iter_rows(min_row=2)]
    plan = read_plan(PLAN)
    assert len(events) == len(plan.events)
    assert events[0][:5] == [dt.datetime.combine(plan.events[0].date, dt.time()),
                             plan.events[0].region, plan.events[0].pool or "",
                             plan.events[0].action, plan.events[0].count]  # fmt: skip
    settings = [r[0].value for r in book["billing"].iter_rows(min_row=2)]
    assert "day_count" in settings


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_text('start = "2027-01"\nmonths = 1\n[[regions]]\nregion = "us-east-1"\n'
                    'pool = "=SUM(A1)"\nips = 2\n')  # fmt: skip
    out = tmp_path / "b.xlsx"
    assert runner.invoke(app, ["budget", str(plan), "-o", str(out)]).exit_code == 0
    cell = openpyxl.load_workbook(out)["budget"]["C2"]
    assert (cell.value, cell.data_type) == ("=SUM(A1)", "s")


def test_a_long_budget_continues_on_further_sheets_and_the_totals_follow(tmp_path):
    frame = budget(PLAN)
    path = tmp_path / "split.xlsx"
    path.write_bytes(budget_workbook(frame, sheet_rows=20))  # 46 rows: 20 + 20 + 6
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:3] == ["budget", "budget 2", "budget 3"]
    assert [book[n].max_row - 1 for n in book.sheetnames[:3]] == [20, 20, 6]
    total = book["totals"]["C5"].value
    assert total == ("=SUM('budget'!$I$2:$I$21)+SUM('budget 2'!$I$2:$I$21)"
                     "+SUM('budget 3'!$I$2:$I$7)")  # fmt: skip
    cached = openpyxl.load_workbook(path, data_only=True)["totals"]["C5"].value
    assert _cents(cached) == sum(frame["charge"], Decimal(0))


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--decimal-comma"], "Error: --decimal-comma: "),
     (["-f", "json"], "Error: --output: ")],
)  # fmt: skip
def test_xlsx_errors(tmp_path, args, message):
    out = tmp_path / "b.xlsx"
    result = runner.invoke(app, ["budget", str(PLAN), "-o", str(out), *args])
    assert result.exit_code == 1
    assert message in result.output
    assert not out.exists()
