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
    with pytest.raises(
        DataFileError, match="outbound-email tiers for us-east-1 from 2027-01-01 overlap at 100"
    ):
        read_price_list([path])


# A page of `aws pricing get-products --service-code AmazonSES` as the AWS CLI prints it
# (the Price List Query API's GetProducts response: FormatVersion, PriceList of JSON
# strings, NextToken while more pages remain; each product's terms.OnDemand keyed by
# "SKU.OfferTermCode" with no SKU level between, per the AWS Pricing API reference).
def _product(sku, usage, unit, usd, region="us-east-1", location="US East (N. Virginia)",
             begin="0", end="Inf", extra_terms=None, description=""):  # fmt: skip
    term = f"{sku}.JRTCKXETXF"
    return json.dumps({
        "product": {"productFamily": "Sending Email", "sku": sku, "attributes": {
            "servicecode": "AmazonSES", "usagetype": usage, "regionCode": region,
            "location": location, "locationType": "AWS Region", "operation": ""}},
        "serviceCode": "AmazonSES",
        "terms": {"OnDemand": {term: {
            "offerTermCode": "JRTCKXETXF", "sku": sku, "effectiveDate": "2027-01-01T00:00:00Z",
            "termAttributes": {}, "priceDimensions": {f"{term}.6YS6EN2CT7": {
                "rateCode": f"{term}.6YS6EN2CT7", "description": description,
                "beginRange": begin, "endRange": end, "unit": unit, "pricePerUnit": usd,
                "appliesTo": []}}}}, **(extra_terms or {})},
        "version": "20270101000000", "publicationDate": "2027-01-01T00:00:00Z"})  # fmt: skip


def _page(tmp_path, *products, next_token=None, name="page.json"):
    body = {"FormatVersion": "aws_v1", "PriceList": list(products)}
    if next_token:
        body["NextToken"] = next_token
    path = tmp_path / name
    path.write_text(json.dumps(body, indent=4), encoding="utf-8")
    return path


DIP = ("DIPSKU1", "USE1-DIP-Hours", "Hrs", {"USD": "24.9500000000"})


def test_get_products_reads_as_the_aws_cli_prints_it(tmp_path):
    page = _page(tmp_path, _product(*DIP))
    found = read_price_list([page])
    (row,) = found.rows
    assert (row.sku, row.region, row.price_cents, str(row.effective_from)) == (
        "dedicated-ip",
        "us-east-1",
        2495,
        "2027-01-01",
    )
    # The shipped example has the same shape: OnDemand keyed by SKU.OfferTermCode.
    shipped = json.loads((LIST / "get-products-AmazonSES.json").read_text(encoding="utf-8"))
    for item in shipped["PriceList"]:
        entry = json.loads(item)
        (key,) = entry["terms"]["OnDemand"]
        assert key.startswith(entry["product"]["sku"] + ".")


def test_a_page_with_a_next_token_and_no_next_page_is_a_warning(tmp_path):
    first = _page(tmp_path, _product(*DIP), next_token="eyJ0b2tlbiI6IjEifQ==", name="1.json")
    found = read_price_list([first])
    assert any("has a NextToken: AWS has more pages" in w for w in found.warnings)
    second = _page(tmp_path, _product("RCPSKU1", "Recipients", "Count", {"USD": "0.0001"}),
                   name="2.json")  # fmt: skip
    assert read_price_list([first, second]).warnings == ()


@pytest.mark.parametrize(
    ("products", "message"),
    [
        ([_product("DIPSKU1", "USE1-DIP-Hours", "Hrs", {"CNY": "170.00"})],
         "SKU DIPSKU1: priced in CNY; ipcost's price book is in USD"),
        ([_product("DIPSKU1", "USE1-DIP-Hours", "Hrs", {"USD": "24.95", "CNY": "170"})],
         "SKU DIPSKU1: priced in USD, CNY"),
        ([_product("RCPSKU1", "Recipients", "GB", {"USD": "0.12"})],
         "SKU RCPSKU1 (usagetype Recipients): priced per 'GB', not a unit ipcost maps to "
         "outbound-email (expected Count or Recipients)"),
        ([_product("DIPSKU1", "USE1-DIP-Hours", "GB-Mo", {"USD": "24.95"})],
         "priced per 'GB-Mo', not a unit ipcost maps to dedicated-ip"),
        ([_product("DIPSKU1", "USE1-DIP-Hours", "Hrs", {"USD": "0.0342"},
                   description="$0.0342 per dedicated IP-hour")],
         "SKU DIPSKU1 (usagetype USE1-DIP-Hours): priced per hour"),
        ([_product(*DIP), _product("DIPSKU2", "USE1-DIP-Hours", "Hrs", {"USD": "30.00"})],
         "dedicated-ip for us-east-1 on 2027-01-01 has two prices, 24.95 and 30.00"),
        ([_product("ESS1", "USE1-Essentials-Outbound-Email", "Emails", {"USD": "0.00016"},
                   begin="0", end="10000000"),
          _product("ESS2", "USE1-Essentials-Outbound-Email", "Emails", {"USD": "0.00014"},
                   begin="20000000", end="Inf")],
         "essentials:outbound-email tiers for us-east-1 from 2027-01-01 leave a gap at 20000000"),
        ([_product("ESS1", "USE1-Essentials-Outbound-Email", "Emails", {"USD": "0.00016"},
                   begin="5000", end="10000000")],
         "essentials:outbound-email tiers for us-east-1 from 2027-01-01 start at 5000, not 0"),
        ([_product(*DIP, location="EU (Ireland)")],
         "SKU DIPSKU1: regionCode us-east-1 but location 'EU (Ireland)' (eu-west-1); they must "
         "agree"),
        ([_product("DIPSKU1", "USE1-DIP-Hours", "Hrs", {"USD": "9" * 5000})],
         "SKU DIPSKU1: price '" + "9" * 40 + "' is not a number"),
        (['{"product": ' * 100_000], "nests deeper than any AWS price list"),
        (["{"], "is not complete JSON"),
        (['{"product": {"sku": "X", "attributes": {}}, "serviceCode": "AmazonSES", '
          '"terms": ["OnDemand"]}'], "PriceList #1 (SKU X): terms.OnDemand is missing or not "
                                     "an object"),
        (['{"product": {"sku": "X", "attributes": {}}, "serviceCode": "AmazonSES", '
          '"terms": {"OnDemand": "cheap"}}'], "terms.OnDemand is missing or not an object"),
        (['{"product": {"sku": "X", "attributes": {}}, "serviceCode": "AmazonSES", '
          '"terms": {"OnDemand": {"X.T": ["priceDimensions"]}}}'], "SKU X: a term without "
                                                                   "priceDimensions"),
        (["[1, 2]"], "PriceList #1 has no product"),
        (['{"product": {"sku": "X"}, "serviceCode": "AmazonEC2", "terms": {}}'],
         "is the offer of 'AmazonEC2', not AmazonSES"),
    ],
)  # fmt: skip
def test_import_refuses_what_the_price_book_would_and_names_the_row(tmp_path, products, message):
    page = _page(tmp_path, *products)
    with pytest.raises(DataFileError) as e:
        read_price_list([page])
    assert message in str(e.value)


def test_a_reserved_term_is_counted_not_imported(tmp_path):
    reserved = {"Reserved": {"DIPSKU1.4NA7Y494T4": {"priceDimensions": {"r": {
        "pricePerUnit": {"USD": "200"}, "unit": "Quantity"}}}}}  # fmt: skip
    found = read_price_list([_page(tmp_path, _product(*DIP, extra_terms=reserved))])
    assert [p.price_cents for p in found.rows] == [2495]
    assert found.skipped == {"Reserved": 1}
    assert "not imported, ipcost prices on demand only: Reserved (1)" in found.summary()


def test_two_dates_of_one_price_end_one_another(tmp_path):
    later = _product("DIPSKU2", "USE1-DIP-Hours", "Hrs", {"USD": "26.00"}).replace(
        "2027-01-01T00:00:00Z", "2027-07-01T00:00:00Z"
    )
    found = read_price_list([_page(tmp_path, _product(*DIP), later)])
    first, second = sorted(found.rows, key=lambda p: p.effective_from)
    assert (str(first.effective_to), second.effective_to) == ("2027-06-30", None)


def test_a_map_scale_of_zero_is_refused(tmp_path):
    bad = tmp_path / "map.csv"
    bad.write_text("pattern,sku,unit,scale,source\n*-DIP-Hours,dedicated-ip,IP-month,0,free\n",
                   encoding="utf-8")  # fmt: skip
    with pytest.raises(DataFileError, match="scale 0 is not allowed; expected 1 to 1,000,000"):
        read_price_list([_page(tmp_path, _product(*DIP))], mapping=bad)


def test_a_user_book_in_another_unit_is_refused(tmp_path):
    # A dedicated IP priced per IP-hour would otherwise be read as a month's fee (0.06).
    book = tmp_path / "prices.csv"
    header = (ROOT / "planner" / "data" / "prices.csv").read_text(encoding="utf-8").splitlines()[0]
    book.write_text(header + "\ndedicated-ip,*,IP-hour,0.06,USD,2025-01-01,,,,mine\n",
                    encoding="utf-8")  # fmt: skip
    with pytest.raises(DataFileError, match="dedicated-ip for \\* is priced per 'IP-hour'; "
                                            "expected per 'IP-month'"):  # fmt: skip
        load_prices(book)


def test_the_book_checks_are_linear():
    # 20,000 tier rows in 1,000 Regions x 20 tiers, checked once; a quadratic check
    # compares 200 million pairs. Not a timing assertion: the count of comparisons is
    # bounded by the rows, which the one-pass checks make so.
    import datetime as dt

    from planner.model.pricebook import Price, check_prices

    rows = [Price("managed-ip-usage", f"r{r}", "1000 messages", 8, "USD", dt.date(2025, 1, 1),
                  None, t * 1000, (t + 1) * 1000, "s") for r in range(1000) for t in range(20)]  # fmt: skip
    check_prices(rows, "big")  # passes: contiguous from 0 in every Region
    rows[-1] = Price("managed-ip-usage", "r999", "1000 messages", 8, "USD", dt.date(2025, 1, 1),
                     None, 18_500, 20_000, "s")  # fmt: skip
    with pytest.raises(DataFileError, match="r999 from 2025-01-01 overlap at 18500"):
        check_prices(rows, "big")
