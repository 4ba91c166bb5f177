"""--decimal-comma: CSV as comma-decimal locales read it (';' between cells, 349,30).

LibreOffice in a German locale reading these files is tests/spreadsheet_check.py's job
(run by .ci/run); here the text itself is checked against the ordinary CSV.
"""

import csv
import io
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from planner.edges.cli import app

runner = CliRunner()
PLAN = Path(__file__).resolve().parents[1] / "data" / "plan-2027.toml"


def _rows(text, delimiter):
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def test_the_budget_is_the_same_cells_with_semicolons_and_decimal_commas():
    plain = runner.invoke(app, ["budget", str(PLAN), "-f", "csv"])
    comma = runner.invoke(app, ["budget", str(PLAN), "-f", "csv", "--decimal-comma"])
    assert comma.exit_code == 0
    a, b = _rows(plain.stdout, ","), _rows(comma.stdout, ";")
    assert a[0] == b[0]
    assert len(a) == len(b)
    # The first row of data/plan-2027.toml: 14 IPs held all January, 14 x 24.95 = 349.30.
    assert b[1] == ["2027-01", "us-east-1", "transactional", "14", "0", "0", "14", "434",
                    "349,30", "0,00", "USD"]  # fmt: skip
    for x, y in zip(a[1:], b[1:], strict=True):
        assert [c.replace(".", ",") for c in x] == y
    charge = a[0].index("charge")
    assert sum(Decimal(r[charge].replace(",", ".")) for r in b[1:]) == sum(
        Decimal(r[charge]) for r in a[1:]
    )


def test_text_is_untouched_and_quoted_when_it_holds_a_semicolon(tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_text('start = "2027-01"\nmonths = 1\n[[regions]]\nregion = "us-east-1"\n'
                    'pool = "a;b 1.5"\nips = 2\n[[regions]]\nregion = "eu-west-1"\n'
                    'pool = "=1+1"\nips = 2\n')  # fmt: skip
    out = tmp_path / "budget.csv"
    result = runner.invoke(app, ["budget", str(plan), "-o", str(out), "--decimal-comma"])
    assert result.exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert '"a;b 1.5"' in text  # the pool's own dot is text, kept
    assert _rows(text, ";")[1][2] == "a;b 1.5"
    assert _rows(text, ";")[2][2] == "'=1+1"  # still neutralised


def test_small_tables_too_and_only_csv():
    est = runner.invoke(app, ["estimate", "--rate", "300", "-f", "csv", "--decimal-comma"])
    assert est.exit_code == 0
    row = _rows(est.stdout, ";")[1]
    # 11 IPs x 24.95 = 274.45 a month.
    assert row[_rows(est.stdout, ";")[0].index("monthly_fee")] == "274,45"
    table = runner.invoke(app, ["estimate", "--rate", "300", "--decimal-comma"])
    assert table.exit_code == 1
    assert "Error: --decimal-comma: " in table.output
    assert "expected --format csv or -o FILE.csv" in table.output


def test_the_library_writes_the_commands_files(tmp_path):
    import planner

    volumes = PLAN.with_name("plan-volumes-2027.toml")
    for plan in (PLAN, volumes):
        frame = planner.budget(planner.read_plan(plan))
        for extra in ([], ["--decimal-comma"]):
            path = tmp_path / "lib.csv"
            planner.write_budget_csv(frame, path, decimal_comma=bool(extra))
            cli = runner.invoke(app, ["budget", str(plan), "-f", "csv", *extra])
            assert path.read_text(encoding="utf-8") == cli.stdout, (plan.name, extra)
    # The volume plan's CSV carries the mail and the plan fee, as the command's does.
    assert "mail" in _rows(path.read_text(encoding="utf-8"), ";")[0]
