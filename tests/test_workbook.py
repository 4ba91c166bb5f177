"""Budgets as .xlsx workbooks, read back with openpyxl as a user's spreadsheet would."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from planner.edges.cli import app
from planner.edges.formats import header_words
from planner.edges.workbook import workbook_bytes
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
    assert book.sheetnames == ["budget", "totals", "events", "assumptions"]
    sheet = book["budget"]
    assert sheet.freeze_panes == "A2"
    # Headers in words (the CSV keeps its keys: ips_start, ip_days, ...).
    assert [c.value for c in sheet[1]] == ["month", "region", "pool", "IPs at start", "leased",
                                           "relinquished", "IPs at end", "IP-days", "charge [USD]",
                                           "refund [USD]"]  # fmt: skip
    # It prints one page wide, landscape, the header on every page.
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth in (None, 1)  # 1 page wide: the default, may be left out
    assert sheet.page_setup.fitToHeight == 0  # as many pages tall as it takes
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows.replace("$", "") == "1:1"
    month, region, pool, ips_start, *_, ip_days, charge, refund = sheet[2]
    # data/plan-2027.toml's first row: 14 IPs all January 2027, 14 x 24.95 = 349.30.
    assert (month.value, month.number_format) == (dt.datetime(2027, 1, 1), "yyyy-mm")
    assert (region.value, pool.value) == ("us-east-1", "transactional")
    assert (ips_start.value, ip_days.value) == (14, 434)
    assert ip_days.number_format == "#,##0"  # counts with thousands separators
    assert (charge.value, charge.number_format) == (349.3, "#,##0.00")
    assert refund.value == 0


def test_totals_are_formulas_cached_at_ipcosts_totals(written):
    frame = budget(PLAN).to_frame()
    formulas = openpyxl.load_workbook(written)["totals"]
    cached = openpyxl.load_workbook(written, data_only=True)["totals"]
    rows = {r[0].value: r for r in cached.iter_rows(min_row=2)}
    assert list(rows) == ["us-east-1", "eu-west-1", "ap-southeast-2", "total"]
    # The cached totals against the cells the budget sheet actually holds, summed here
    # from the file (not from the frame the totals were made from).
    sheet = openpyxl.load_workbook(written)["budget"]
    head = [c.value for c in sheet[1]]
    cells = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    column = {name: head.index(name) for name in ("region", "charge [USD]", "refund [USD]")}

    def summed(name, region=None):
        return sum((_cents(r[column[name]]) for r in cells
                    if region is None or r[column["region"]] == region), Decimal(0))  # fmt: skip

    assert len(cells) == len(frame) == 3 * 12 + 10  # three pools all year, one from March
    assert _cents(rows["total"][2].value) == summed("charge [USD]")
    assert _cents(rows["total"][3].value) == summed("refund [USD]") == Decimal("45.73")
    # 45.73: June's 2 x 12.47 and November's 20.79 refunds, worked by hand in test_plot.py.
    assert _cents(rows["us-east-1"][2].value) == summed("charge [USD]", "us-east-1")
    assert formulas["B5"].value == "=SUM('budget'!$H$2:$H$47)"
    # The Region criterion is the cell beside the formula, never text inside it.
    assert formulas["C2"].value == (
        "=SUMPRODUCT(EXACT('budget'!$B$2:$B$47,$A2)*'budget'!$I$2:$I$47)"
    )


def test_events_and_assumptions_sheets(written):
    book = openpyxl.load_workbook(written)
    events = [[c.value for c in r] for r in book["events"].iter_rows(min_row=2)]
    plan = read_plan(PLAN)
    assert len(events) == len(plan.events)
    first = min(plan.events, key=lambda e: e.date)  # the sheet lists them in date order
    assert events[0][:5] == [dt.datetime.combine(first.date, dt.time()), first.region,
                             first.pool or "", first.action, first.count]  # fmt: skip
    rows = {r[0].value: [c.value for c in r[1:]] for r in book["assumptions"].iter_rows(min_row=2)}
    # data/plan-2027.toml's [defaults] say utilization 0.8, az_failures 1, day_count
    # inclusive; the rest are ipcost's defaults with their sources; the price its book row.
    # A number's value is a number, a choice its text.
    assert rows["utilization"][:2] == [0.8, f"{PLAN}, [defaults]"]
    assert rows["az_failures"][:2] == [1, f"{PLAN}, [defaults]"]
    assert rows["day_count"][:2] == ["inclusive", f"{PLAN}, [defaults]"]
    assert rows["min_per_region"][:2] == [2, "default"]
    assert "AWS SES docs" in rows["min_per_region"][2]
    assert rows["azs in us-east-1"][0] == 6
    assert rows["price of dedicated-ip"][0].startswith("24.95 USD per IP-month")
    assert "Price List" in rows["price of dedicated-ip"][2]


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_text('start = "2027-01"\nmonths = 1\n[[regions]]\nregion = "us-east-1"\n'
                    'pool = "=SUM(A1)"\nips = 2\n')  # fmt: skip
    out = tmp_path / "b.xlsx"
    assert runner.invoke(app, ["budget", str(plan), "-o", str(out)]).exit_code == 0
    cell = openpyxl.load_workbook(out)["budget"]["C2"]
    assert (cell.value, cell.data_type) == ("=SUM(A1)", "s")


def test_a_long_budget_continues_on_further_sheets_and_the_totals_follow(tmp_path):
    path = tmp_path / "split.xlsx"
    path.write_bytes(workbook_bytes(budget(PLAN), sheet_rows=20))  # 46 rows: 20 + 20 + 6
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:3] == ["budget", "budget 2", "budget 3"]
    assert [book[n].max_row - 1 for n in book.sheetnames[:3]] == [20, 20, 6]
    total = book["totals"]["C5"].value
    assert total == ("=SUM('budget'!$I$2:$I$21)+SUM('budget 2'!$I$2:$I$21)"
                     "+SUM('budget 3'!$I$2:$I$7)")  # fmt: skip
    cached = openpyxl.load_workbook(path, data_only=True)["totals"]["C5"].value
    # The cached total against the charge cells the three sheets hold, summed from the file.
    charges = [
        _cents(r[8].value) for n in book.sheetnames[:3] for r in book[n].iter_rows(min_row=2)
    ]
    assert _cents(cached) == sum(charges, Decimal(0))


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


# ------------------------------------------------------------ every table as a workbook

DATA = Path(__file__).resolve().parents[1] / "data"
AWS = DATA / "aws"
HISTORY = sorted(str(p) for p in (DATA / "history").glob("*.json"))
TABLES = {
    "estimate": ["estimate", "--rate", "250", "--date", "2026-12-01"],
    "regions": ["regions"],
    "prices": ["prices"],
    "relinquish": ["relinquish", "--region", "us-east-1", "--count", "2", "--date", "2026-11-15"],
    "compare": ["compare", "--monthly-volume", "20000000", "--region", "us-east-1",
                "--monthly-volume", "20000000", "--region", "eu-west-1", "--date", "2026-12-01"],
    "fleet": ["fleet", str(AWS / "get-dedicated-ips-1.json"), str(AWS / "get-dedicated-ips-2.json"),
              str(AWS / "get-dedicated-ip-pool-marketing.json"), "--region", "us-east-1",
              "--date", "2026-12-01"],
    "warmup": ["warmup", "--ips", "4", "--rate", "64", "--start", "2026-12-01",
               "--per-ip-rate", "40"],
    "forecast": ["forecast", *HISTORY, "--today", "2026-11-30"],
}  # fmt: skip
MONTHS = {"month", "for_month"}
DATES = {"date", "effective_from", "effective_to", "as_of"}


def _invoke(args, *more):
    result = runner.invoke(app, [*args, *more])
    assert result.exit_code == 0, result.output
    return result.stdout


def _matches_csv(sheet, csv_text):
    """Each cell of ``sheet`` is the CSV's cell typed: a number equal to the text, a month
    or date a real date, a text the text typed (without the CSV's neutralising quote); the
    currency column folded into the money headers."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(csv_text)))
    header, body = rows[0], rows[1:]
    currency = {r[header.index("currency")] for r in body} if "currency" in header else set()
    keep = [i for i, h in enumerate(header) if not (h == "currency" and len(currency) == 1)]
    got = [[c.value for c in r] for r in sheet.iter_rows()]
    names = [header[i] for i in keep]
    assert [str(h).split(" [")[0] for h in got[0]] == [header_words(n) for n in names]
    assert len(got) - 1 == len(body)
    for row, cells in zip(body, got[1:], strict=True):
        for name, text, value in zip(names, [row[i] for i in keep], cells, strict=True):
            if text == "":
                assert value in (None, ""), (name, value)
            elif name in MONTHS:
                assert value == dt.datetime.strptime(text, "%Y-%m"), (name, text, value)
            elif name in DATES:
                assert value == dt.datetime.strptime(text, "%Y-%m-%d"), (name, text, value)
            elif text in ("true", "false"):
                assert value is (text == "true")
            else:
                try:
                    number = Decimal(text)
                except ArithmeticError:
                    number = None
                if isinstance(value, float):  # the CSV shows 2 decimals, the cell all
                    places = -number.as_tuple().exponent
                    assert f"{value:.{places}f}" == text, (name, text, value)
                elif number is not None and not isinstance(value, str):
                    assert Decimal(value) == number, (name, text, value)
                else:
                    typed = text[1:] if text.startswith("'") else text
                    assert value == typed, (name, text, value)


@pytest.mark.parametrize("name", list(TABLES))
def test_every_table_is_its_csv_typed(tmp_path, name):
    out = tmp_path / f"{name}.xlsx"
    _invoke(TABLES[name], "-o", str(out))
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == name
    assert book[name].freeze_panes == "A2"
    _matches_csv(book[name], _invoke(TABLES[name], "-f", "csv"))
    money = [c for c in book[name][1] if str(c.value).endswith("[USD]")]
    for column in money:
        for cell in book[name][column.column_letter][1:]:
            assert cell.value is None or cell.number_format == "#,##0.00"


def test_a_schedules_budget_sheet_is_the_budget_of_its_plan(tmp_path):
    args = ["schedule", str(DATA / "forecast-2027.csv"), "--today", "2026-10-01"]
    _invoke(args, "-o", str(tmp_path / "plan.toml"))
    _invoke(args, "-o", str(tmp_path / "s.xlsx"))
    book = openpyxl.load_workbook(tmp_path / "s.xlsx")
    assert book.sheetnames == ["budget", "totals", "events", "months", "assumptions"]
    _matches_csv(book["budget"], _invoke(["budget", str(tmp_path / "plan.toml"), "-f", "csv"]))
    events = [[c.value for c in r] for r in book["events"].iter_rows()]
    assert events[0] == ["date", "region", "pool", "action", "count", "for month", "warm from",
                         "request by"]  # fmt: skip
    assert all(isinstance(r[0], dt.datetime) and isinstance(r[4], int) for r in events[1:])


def _totals(path):
    cached = openpyxl.load_workbook(path, data_only=True)["totals"]
    formulas = openpyxl.load_workbook(path)["totals"]
    heads = [c.value for c in cached[1]]
    last = {h: (c.value, f.value) for h, c, f in zip(heads, cached[cached.max_row],
                                                      formulas[formulas.max_row], strict=True)}  # fmt: skip
    assert all(str(f).startswith("=SUM(") for h, (_, f) in last.items() if h)
    return {h: _cents(v) if "[" in h else v for h, (v, _) in last.items() if h}


def test_totals_by_hand(tmp_path):
    for name in ("estimate", "compare", "relinquish", "fleet"):
        _invoke(TABLES[name], "-o", str(tmp_path / f"{name}.xlsx"))
    # 9 IPs for 250 msg/s (ipcost estimate --rate 250): 9 x 24.95 = 224.55 a month, x 12.
    assert _totals(tmp_path / "estimate.xlsx") == {
        "IPs": 9,
        "monthly fee [USD]": Decimal("224.55"),
        "annual fee [USD]": Decimal("2694.60"),
    }
    # 20M messages: 2 standard IPs (the minimum) in each Region, 2 x 24.95 = 49.90; managed
    # 15 + 10M x 0.08 + 10M x 0.04 per 1,000 = 1,215.00 in each.
    assert _totals(tmp_path / "compare.xlsx") == {
        "standard IPs": 4, "standard monthly fee [USD]": Decimal("99.80"),
        "managed monthly fee [USD]": Decimal("2430.00")}  # fmt: skip
    # 2 IPs on 2026-11-15, days 1-15 of 30 billed: 24.95 x 15 / 30 = 12.475 -> 12.48 each,
    # refund 24.95 - 12.48 = 12.47 each.
    totals = _totals(tmp_path / "relinquish.xlsx")
    assert (totals["charge [USD]"], totals["refund [USD]"]) == (Decimal("24.96"), Decimal("24.94"))
    # 9 IPs, 2 warming; the 7 standard at 24.95 = 174.65 (the managed pool bills by volume).
    assert _totals(tmp_path / "fleet.xlsx") == {
        "IPs": 9,
        "warming": 2,
        "monthly fee [USD]": Decimal("174.65"),
    }


def test_write_xlsx_is_the_commands_workbook(tmp_path):
    import planner

    _invoke(TABLES["estimate"], "-o", str(tmp_path / "cli.xlsx"))
    written = planner.write_xlsx(planner.estimate("us-east-1", rate=250, date="2026-12-01"),
                                 tmp_path / "lib.xlsx")  # fmt: skip
    assert written == tmp_path / "lib.xlsx"

    def cells(path):
        book = openpyxl.load_workbook(path)
        return {s.title: [[c.value for c in r] for r in s.iter_rows()] for s in book}

    assert cells(tmp_path / "lib.xlsx") == cells(tmp_path / "cli.xlsx")
    planner.write_xlsx(budget(PLAN), tmp_path / "b.xlsx")
    assert openpyxl.load_workbook(tmp_path / "b.xlsx").sheetnames == [
        "budget", "totals", "events", "assumptions"]  # fmt: skip
    with pytest.raises(TypeError, match="no workbook for a dict"):
        planner.write_xlsx({}, tmp_path / "x.xlsx")
    with pytest.raises(TypeError, match="no workbook for a DataFrame"):
        planner.write_xlsx(planner.load_regions().to_frame(), tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


def test_quantile_plans_side_by_side(tmp_path):
    forecast = tmp_path / "f.csv"
    _invoke(TABLES["forecast"], "-o", str(forecast))
    out = tmp_path / "q.xlsx"
    _invoke(["schedule", str(forecast), "--quantile", "0.5", "--quantile", "0.9", "--today",
             "2026-11-30", "-o", str(out)])  # fmt: skip
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["plans", "assumptions"]
    rows = [[c.value for c in r] for r in book["plans"].iter_rows()]
    assert rows[0] == ["plan", "IPs leased", "IPs relinquished", "charge [USD]", "refund [USD]"]
    assert [r[0] for r in rows[1:]] == ["p50", "p90"]


def test_an_empty_budget_has_zero_totals(tmp_path):
    out = tmp_path / "b.xlsx"
    plan = tmp_path / "empty.toml"
    plan.write_text('start = "2027-01"\nmonths = 2\n', encoding="utf-8")  # no IPs held
    out.write_bytes(workbook_bytes(budget(plan)))
    book = openpyxl.load_workbook(out)
    assert book["budget"].max_row == 1  # the header alone
    assert book["totals"]["C2"].value == "=0"


def test_the_support_case_is_no_workbook(tmp_path):
    out = tmp_path / "case.xlsx"
    result = runner.invoke(app, ["request", "--rate", "100", "-o", str(out)])
    assert result.exit_code == 1
    assert f"Error: --output: '{out}'" in result.stderr
    assert "expected a file name ending .txt, .md or .json" in result.stderr
    assert not out.exists()


def test_warnings_are_kept_beside_the_numbers(tmp_path):
    # The plan's events run to 2027-12; a 6-month budget leaves some out, and says so.
    out = tmp_path / "b.xlsx"
    result = runner.invoke(app, ["budget", str(PLAN), "--months", "6", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Warning:" in result.stderr
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[-2:] == ["warnings", "assumptions"]
    rows = [r[0].value for r in book["warnings"].iter_rows(min_row=2)]
    assert rows
    said = " ".join(result.stderr.split())  # a long warning wraps on the terminal
    assert all(" ".join(w.split()) in said for w in rows)


def test_a_volume_budget_lists_its_pricing_plan_and_mail_prices(tmp_path):
    plan = PLAN.with_name("plan-volumes-2027.toml")
    out = tmp_path / "v.xlsx"
    _invoke(["budget", str(plan), "-o", str(out)])
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(out)["assumptions"].iter_rows()]
    assert ["pricing_plan", "essentials", str(plan), ""] in rows
    # The shipped book's Essentials mail tiers (data file prices.csv): 0.16, 0.14, 0.11.
    mail = [r[1] for r in rows if r[0] == "price of essentials:outbound-email"]
    assert mail == [
        "0.16 USD per 1000 recipients in every Region, from 2026-07-21, 0 to 10,000,000 "
        "recipients a month",
        "0.14 USD per 1000 recipients in every Region, from 2026-07-21, 10,000,000 to "
        "100,000,000 recipients a month",
        "0.11 USD per 1000 recipients in every Region, from 2026-07-21, 100,000,000 and more "
        "recipients a month",
    ]
    header = [c.value for c in openpyxl.load_workbook(out)["budget"][1]]
    assert header[-2:] == ["mail [USD]", "plan fee [USD]"]


def test_a_volume_budgets_totals_give_the_whole_bill_as_a_live_formula(tmp_path):
    out = tmp_path / "bill.xlsx"
    plan = Path(__file__).resolve().parents[1] / "data" / "plan-volumes-2027.toml"
    result = runner.invoke(app, ["budget", str(plan), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    formulas = openpyxl.load_workbook(out)["totals"]
    cached = openpyxl.load_workbook(out, data_only=True)["totals"]
    assert formulas["G1"].value == "whole bill [USD]"
    # charge (C) + mail (E) + plan fee (F) of the same row; 299.40 + 8,160.00 + 0.00.
    assert formulas["G3"].value == "=C3+E3+F3"
    assert cached["G3"].value == 8459.40
