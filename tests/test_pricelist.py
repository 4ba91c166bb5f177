"""The AWS Price List for AmazonSES into a whole price book: three forms, one result.

The example offer files in data/pricelist/ are written to the documented format
(FACTS.md): the DIP, Pro plan, Essentials outbound (tiers 0.01 below FACTS.md's, to see
an import win), a la carte Recipients, and an attachments product no row maps.
"""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

import planner
from planner.edges.cli import app
from planner.errors import DataFileError
from planner.files.pricelist import UsageMap, read_price_list
from planner.files.tables import load_prices

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
LIST = ROOT / "data" / "pricelist"
FORMS = [LIST / "AmazonSES-us-east-1.json", LIST / "AmazonSES-us-east-1.csv",
         LIST / "get-products-AmazonSES.json"]  # fmt: skip


def rows(found):
    return sorted((p.sku, p.region, p.unit, p.price_cents, str(p.effective_from), p.tier_from,
                   p.tier_to) for p in found.rows)  # fmt: skip


def test_the_three_forms_read_to_the_same_rows():
    # By hand from the offer: 24.95 an IP-month; 105.00 for Pro; Essentials per email
    # 0.00015 / 0.00013 / 0.0001 x 1,000 = 0.15 / 0.13 / 0.10 per 1,000 over 0-10M,
    # 10M-100M, 100M up; Recipients 0.0001 x 1,000 = 0.10 per 1,000; all from 2027-01-01.
    expected = sorted([
        ("dedicated-ip", "us-east-1", "IP-month", 2495, "2027-01-01", None, None),
        ("pro:plan-fee", "us-east-1", "account-Region-month", 10500, "2027-01-01", None, None),
        ("essentials:outbound-email", "us-east-1", "1000 recipients", 15, "2027-01-01", 0, 10_000_000),
        ("essentials:outbound-email", "us-east-1", "1000 recipients", 13, "2027-01-01", 10_000_000, 100_000_000),
        ("essentials:outbound-email", "us-east-1", "1000 recipients", 10, "2027-01-01", 100_000_000, None),
        ("outbound-email", "us-east-1", "1000 recipients", 10, "2027-01-01", None, None),
    ], key=str)  # fmt: skip
    for form in FORMS:
        found = read_price_list([form])
        assert sorted(rows(found), key=str) == expected, form.name
        assert found.unmapped == {"USE1-AttachmentsSize-Bytes": 1}
        assert all("AWS Price List AmazonSES offer 20270101000000" in p.source for p in found.rows)


def test_an_imported_row_wins_and_the_book_stays_whole():
    book = read_price_list([FORMS[0]]).merged(load_prices())
    # The shipped rows stay (other Regions, managed IPs, the other plans) ...
    assert {p.sku for p in book} >= {"managed-ip-base", "managed-ip-usage", "enterprise:plan-fee"}
    # ... and from 2027-01-01 us-east-1 is priced by the import: 20M messages on Essentials
    # cost 10M x 0.15 + 10M x 0.13 = 1,500 + 1,300 = 2,800.00 (3,000.00 before).
    c = planner.compare(
        monthly_volume=20_000_000, plan="essentials", prices=book, date="2027-01-01"
    )
    assert c.bill[0].mail == Decimal("2800.00")
    before = planner.compare(monthly_volume=20_000_000, plan="essentials", date="2027-01-01")
    assert before.bill[0].mail == Decimal("3000.00")


def test_the_command_writes_a_book_prices_reads_back(tmp_path):
    out = tmp_path / "prices.csv"
    result = runner.invoke(app, ["prices", "import", str(FORMS[0]), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert "imported 6 price rows" in result.stderr
    assert "USE1-AttachmentsSize-Bytes (1)" in result.stderr
    shown = runner.invoke(app, ["prices", "--prices", str(out), "-f", "json"])
    listed = json.loads(shown.stdout)
    mine = [r for r in listed if r["region"] == "us-east-1" and r["sku"] == "pro:plan-fee"]
    assert mine[0]["price"] == "105.00"
    assert mine[0]["effective_from"] == "2027-01-01"


def test_a_map_row_brings_an_unmapped_usage_type_in(tmp_path):
    extra = [UsageMap("*-AttachmentsSize-Bytes", "attachments", "GB", 1, "my mapping")]
    found = read_price_list([FORMS[0]], mapping=extra)
    assert ("attachments", "us-east-1", "GB", 12, "2027-01-01", None, None) in rows(found)
    assert not found.unmapped


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"offerCode": "AmazonSES", "products": {', "is not complete JSON"),
        ('{"offerCode": "AmazonEC2", "products": {}, "terms": {"OnDemand": {}}}', "is the offer of 'AmazonEC2', not AmazonSES"),
        ('{"offerCode": "AmazonSES", "products": {}, "terms": {"OnDemand": {"X1": {}}}}', "SKU X1: a term without a product"),
        ("FormatVersion,v1.0\nno offer code here\n", "metadata rows"),
    ],
)  # fmt: skip
def test_bad_offer_files_are_one_error_naming_the_file(tmp_path, text, message):
    path = tmp_path / "offer.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match=message):
        read_price_list([path])


def _one_product(tmp_path, price="0.0001", ranges=(("0", "Inf"),)):
    offer = json.loads((FORMS[0]).read_text(encoding="utf-8"))
    sku = "RCPSKU0000000001"
    offer["products"] = {sku: offer["products"][sku]}
    term = next(iter(offer["terms"]["OnDemand"][sku].values()))
    dims = {}
    for i, (begin, end) in enumerate(ranges):
        dims[f"d{i}"] = {"beginRange": begin, "endRange": end, "unit": "Count",
                         "pricePerUnit": {"USD": price}}  # fmt: skip
    term["priceDimensions"] = dims
    offer["terms"]["OnDemand"] = {sku: {"t": term}}
    path = tmp_path / "offer.json"
    path.write_text(json.dumps(offer), encoding="utf-8")
    return path


def test_a_price_that_is_not_a_number_names_the_sku(tmp_path):
    with pytest.raises(DataFileError, match="SKU RCPSKU0000000001: price 'cheap' is not a number"):
        read_price_list([_one_product(tmp_path, price="cheap")])


def test_overlapping_tiers_are_an_error(tmp_path):
    path = _one_product(tmp_path, ranges=(("0", "200"), ("100", "Inf")))
    with pytest.raises(DataFileError, match="outbound-email tiers for us-east-1 overlap at 100"):
        read_price_list([path])
