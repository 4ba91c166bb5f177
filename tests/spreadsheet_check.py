"""Open ipcost's budget CSV in a real spreadsheet: LibreOffice's headless converter.

    python tests/spreadsheet_check.py          (needs `soffice`: libreoffice-calc-nogui)

Run by .ci/run after the test suite (pytest does not collect it, so the README's test
command needs no LibreOffice). It writes a budget whose pool names look like formulas,
has LibreOffice import the CSV with formula evaluation switched on, and checks the
sheet it makes: every count and amount is a number equal to the CSV's text, every
typed text is text and no cell is a formula. A control file with a raw ``=1+1`` must
come out as a formula, so the check is known to catch one. Exit status 1 on a failure.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
}
# Comma separated, '"' quoted, UTF-8 (76), from line 1, ..., token 13: evaluate formulas.
CSV_FILTER = "CSV:44,34,76,1,,0,false,true,false,false,false,-1,true"
# --decimal-comma CSV as a German LibreOffice reads it: ';' (59), language 1031 (German).
CSV_FILTER_DE = "CSV:59,34,76,1,,1031,false,true,false,false,false,-1,true"
#: A Region of the user's own table named like a SUMIF pattern: its total must be its own
#: (a SUMIF criterion "eu-*" would add eu-west-1's to it).
WILD = "eu-*"
HOSTILE_POOLS = ["=1+1", "+SUM(1,2)", '-3 IPs, "quoted"', "@cmd", "-1", '=HYPERLINK("x")',
                 "a;b 1,5"]  # fmt: skip
NUMBER_COLUMNS = ["ips_start", "leased", "relinquished", "ips_end", "ip_days", "charge", "refund"]


def sheet(
    csv_path: Path, csv_filter: str = CSV_FILTER
) -> list[list[tuple[str | None, str | None, str | None, str]]]:
    """(value type, value, formula, text) of every cell, row by row, as LibreOffice reads it."""
    subprocess.run(
        ["soffice", "--headless", f"--infilter={csv_filter}", "--convert-to", "fods",
         "--outdir", str(csv_path.parent), str(csv_path)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    root = ET.parse(csv_path.with_suffix(".fods")).getroot()
    rows = []
    for row in root.iter(f"{{{NS['table']}}}table-row"):
        cells = []
        for cell in row.findall("table:table-cell", NS):
            repeat = int(cell.get(f"{{{NS['table']}}}number-columns-repeated") or 1)
            text = "".join(cell.itertext()).strip()
            entry = (
                cell.get(f"{{{NS['office']}}}value-type"),
                cell.get(f"{{{NS['office']}}}value"),
                cell.get(f"{{{NS['table']}}}formula"),
                text,
            )
            cells.extend([entry] * min(repeat, 64))
        rows.append(cells)
    return rows


def check(budget: Path, csv_filter: str, delimiter: str) -> list[str]:
    """Every count and amount of the budget CSV a number equal to its text, every text a
    text, no formula; the totals of the money columns equal the CSV's to the cent."""
    import csv

    failures = []
    with budget.open(encoding="utf-8", newline="") as handle:
        written = list(csv.reader(handle, delimiter=delimiter))
    read = sheet(budget, csv_filter)
    header = written[0]
    totals = {name: Decimal(0) for name in ("charge", "refund")}
    for r, (row, cells) in enumerate(zip(written[1:], read[1:], strict=False), start=2):
        for name, text, (kind, value, formula, _shown) in zip(header, row, cells, strict=False):
            where = f"{budget.name} row {r}, {name}"
            number = text.replace(",", ".") if delimiter == ";" else text
            if formula is not None:
                failures.append(f"{where}: {text!r} became the formula {formula!r}")
            elif name in NUMBER_COLUMNS:
                if kind != "float" or Decimal(value or "nan") != Decimal(number):
                    failures.append(f"{where}: {text!r} read as {kind} {value!r}")
                elif name in totals:
                    totals[name] += Decimal(value or "0")
            elif kind != "string":
                failures.append(f"{where}: text {text!r} read as {kind} {value!r}")
    for name, total in totals.items():
        column = header.index(name)
        expected = sum(Decimal(row[column].replace(",", ".")) for row in written[1:])
        if total != expected:
            failures.append(f"{budget.name}: the sheet's {name} sums to {total}, the CSV's to "
                            f"{expected}")  # fmt: skip
    pools = {row[2] for row in written[1:]}
    shown = {cells[2][3] for cells in read[1:] if len(cells) > 2}
    filled = [cells for cells in read if any(c[3] for c in cells)]
    if len(filled) != len(written):
        failures.append(f"{budget.name}: {len(written)} CSV lines became {len(filled)} rows")
    print(f"spreadsheet check: {budget.name}, {len(written) - 1} budget rows, pools "
          f"{sorted(pools)} shown as {sorted(shown)}, charge {totals['charge']}")  # fmt: skip
    return failures


#: A LibreOffice user profile in a locale, recalculating every workbook when it opens.
PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">
<value>{locale}</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse">
<value>{locale}</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode"
 oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""
#: (thousands separator, decimal separator) as each locale shows a number.
LOCALES = {"en-US": (",", "."), "de-DE": (".", ",")}


def shown(amount: Decimal, locale: str) -> str:
    """An amount as a spreadsheet in ``locale`` shows it in the format #,##0.00."""
    group, point = LOCALES[locale]
    return f"{amount:,.2f}".replace(",", "\0").replace(".", point).replace("\0", group)


def tables(path: Path, locale: str) -> dict[str, list[list[tuple[str | None, ...]]]]:
    """Every sheet of a workbook as LibreOffice in ``locale`` opens it (recalculating every
    formula): (value type, value or date, formula, text shown) of each cell, row by row."""
    home = path.parent / f"profile-{locale}"
    (home / "user").mkdir(parents=True, exist_ok=True)
    (home / "user" / "registrymodifications.xcu").write_text(PROFILE.format(locale=locale))
    out = path.parent / f"as-{locale}"
    subprocess.run(["soffice", f"-env:UserInstallation={home.as_uri()}", "--headless",
                    "--convert-to", "fods", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=300)  # fmt: skip
    root = ET.parse(out / path.with_suffix(".fods").name).getroot()
    found = {}
    for table in root.iter(f"{{{NS['table']}}}table"):
        rows = []
        for row in table.iter(f"{{{NS['table']}}}table-row"):
            cells = []
            for cell in row.findall("table:table-cell", NS):
                repeat = int(cell.get(f"{{{NS['table']}}}number-columns-repeated") or 1)
                entry = (
                    cell.get(f"{{{NS['office']}}}value-type"),
                    cell.get(f"{{{NS['office']}}}value")
                    or cell.get(f"{{{NS['office']}}}date-value"),
                    cell.get(f"{{{NS['table']}}}formula"),
                    "".join(cell.itertext()).strip(),
                )
                cells.extend([entry] * min(repeat, 64))
            rows.append(cells)
        found[str(table.get(f"{{{NS['table']}}}name"))] = rows
    return found


def check_workbook(xlsx: Path, written: list[list[str]], locale: str) -> list[str]:
    """The budget workbook as LibreOffice in ``locale`` opens it, against the budget CSV
    (``written``) of the same plan: every month a date, every count and amount a number
    equal to the CSV's, every text the text typed and no formula in the budget; the total
    charge a formula computing the CSV's sum, shown in the locale's way; and 1.00 more
    after 1.00 is added to a charge (saved by openpyxl, which drops the cached values)."""
    import openpyxl

    failures = []
    header = written[0]
    expected = sum(Decimal(r[header.index("charge")]) for r in written[1:])
    book = openpyxl.load_workbook(xlsx)
    column = [c.value for c in book["budget"][1]].index("charge [USD]") + 1
    first = book["budget"].cell(row=2, column=column)
    if not isinstance(first.value, int | float):
        return [f"budget.xlsx: the first charge is {first.value!r}, not a number"]
    first.value += 1
    edited = xlsx.with_name("edited.xlsx")
    book.save(edited)
    read = tables(xlsx, locale)
    for r, (row, cells) in enumerate(zip(written[1:], read["budget"][1:], strict=False), start=2):
        for name, text, (kind, value, formula, seen) in zip(header, row, cells, strict=False):
            where = f"budget.xlsx ({locale}) row {r}, {name}"
            if formula is not None:
                failures.append(f"{where}: a formula {formula!r}")
            elif name == "month":
                if (kind, value, seen) != ("date", f"{text}-01", text):
                    failures.append(f"{where}: {text!r} read as {kind} {value!r} shown {seen!r}")
            elif name in NUMBER_COLUMNS:
                if kind != "float" or Decimal(value or "nan") != Decimal(text):
                    failures.append(f"{where}: {text!r} read as {kind} {value!r}")
                elif name in ("charge", "refund") and seen != shown(Decimal(text), locale):
                    failures.append(f"{where}: {text!r} shown as {seen!r}")
            elif name != "currency":
                typed = text[1:] if text.startswith("'") else text  # the CSV's neutralising '
                if kind != "string" or seen != typed:
                    failures.append(f"{where}: text {typed!r} read as {kind} {seen!r}")
    regions: dict[str, Decimal] = {}
    for row in written[1:]:
        key = row[header.index("region")]
        regions[key] = regions.get(key, Decimal(0)) + Decimal(row[header.index("charge")])
    for row in read["totals"][1:]:
        if row and row[0][3] in regions:
            kind, value, formula, _ = row[2]
            if formula is None or Decimal(value or "nan") != regions[row[0][3]]:
                failures.append(f"budget.xlsx ({locale}): {row[0][3]}'s charge {value!r} from "
                                f"{formula!r}; expected {regions[row[0][3]]}")  # fmt: skip
    if len([r for r in read["totals"] if r and r[0][3] in regions]) != len(regions):
        failures.append(f"budget.xlsx ({locale}): the totals list {len(regions)} Regions? "
                        f"{[r[0][3] for r in read['totals'] if r]}")  # fmt: skip
    for path, want in ((xlsx, expected), (edited, expected + 1)):
        rows = tables(path, locale)["totals"] if path == edited else read["totals"]
        last = next(row for row in rows if row and row[0][3] == "total")
        kind, value, formula, seen = last[2]
        if formula is None or kind != "float" or Decimal(value or "nan") != want:
            failures.append(f"{path.name} ({locale}): total charge {kind} {value!r} from "
                            f"{formula!r}; expected a formula giving {want}")  # fmt: skip
        elif seen != shown(want, locale):
            failures.append(f"{path.name} ({locale}): total charge shown {seen!r}")
    print(f"spreadsheet check: budget.xlsx in {locale}: total charge {last[2][3]} after adding "
          f"1.00 to a charge (computed from the cells; {expected} before)")  # fmt: skip
    return failures


def ipcost_run(args: list[str]) -> str:
    """Run ipcost; its stdout, or its stderr shown and the check stopped on a failure."""
    ipcost = shutil.which("ipcost", path=str(Path(sys.executable).parent)) or "ipcost"
    run = subprocess.run([ipcost, *args], capture_output=True, text=True, check=False)
    if run.returncode != 0:
        sys.exit(f"spreadsheet check: ipcost {' '.join(args)} failed:\n{run.stderr}")
    return run.stdout


def main() -> int:
    if shutil.which("soffice") is None:
        print("spreadsheet check: soffice not found (apt-get install libreoffice-calc-nogui)")
        return 1
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        control = folder / "control.csv"
        control.write_text("a,b\n=1+1,2\n", encoding="utf-8")
        if sheet(control)[1][0][2] is None:
            failures.append("control: a raw =1+1 was not read as a formula; the check is blind")

        plan = ['start = "2027-01"', "months = 3"]
        for i, pool in enumerate(HOSTILE_POOLS):
            escaped = pool.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
            region = (WILD, "us-east-1", "eu-west-1")[i % 3]
            plan += ["[[regions]]", f'region = "{region}"', f'pool = "{escaped}"', "ips = 3"]
        plan += ["[[events]]", 'date = "2027-02-11"', f'region = "{WILD}"',
                 'pool = "=1+1"', 'action = "relinquish"', "count = 1"]  # fmt: skip
        (folder / "plan.toml").write_text("\n".join(plan) + "\n", encoding="utf-8")
        shipped = ipcost_run(["regions", "-f", "csv"])
        west = next(line for line in shipped.splitlines() if line.startswith("eu-west-1,"))
        table = folder / "regions.csv"
        table.write_text(shipped + WILD + west[len("eu-west-1") :] + "\n", encoding="utf-8")
        own = ["--regions-file", str(table)]
        for name, extra, csv_filter, delimiter in (
            ("budget.csv", [], CSV_FILTER, ","),
            ("budget-de.csv", ["--decimal-comma"], CSV_FILTER_DE, ";"),
        ):
            budget = folder / name
            ipcost_run(["budget", str(folder / "plan.toml"), "-o", str(budget), *extra, *own])
            failures += check(budget, csv_filter, delimiter)
        workbook = folder / "budget.xlsx"
        ipcost_run(["budget", str(folder / "plan.toml"), "-o", str(workbook), *own])
        import csv

        with (folder / "budget.csv").open(encoding="utf-8", newline="") as handle:
            written = list(csv.reader(handle))
        for locale in LOCALES:
            failures += check_workbook(workbook, written, locale)
    for failure in failures:
        print(f"FAIL {failure}")
    print("spreadsheet check:", "failed" if failures else "numbers are numbers, text is text")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
