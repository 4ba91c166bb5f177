import datetime as dt

import numpy as np
import pytest

from planner.errors import DataFileError, PriceNotFoundError, UnknownNameError
from planner.files.tables import load_defaults, load_prices, load_profiles, load_regions

# FACTS.md: SES endpoints in botocore 1.43.11 (27 aws + 2 GovCloud + 1 eusc).
SES_REGIONS = {
    "af-south-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1",
    "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-5",
    "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1",
    "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1", "me-central-1", "me-south-1",
    "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2",
    "us-gov-east-1", "us-gov-west-1", "eusc-de-east-1",
}  # fmt: skip


def test_every_ses_region_is_in_the_catalogue():
    catalog = load_regions()
    assert set(catalog.names) == SES_REGIONS
    assert len(catalog) == 30


def test_az_counts_from_facts():
    # FACTS.md: us-east-1 6; us-west-2 4; ap-northeast-2 4; ap-northeast-1 4 (3 usable by
    # many accounts); us-west-1 3 (2 usable by newer accounts); the rest 3.
    catalog = load_regions()
    expected = {
        "us-east-1": (6, 6), "us-west-2": (4, 4), "ap-northeast-2": (4, 4),
        "ap-northeast-1": (4, 3), "us-west-1": (3, 2), "eu-west-1": (3, 3),
    }  # fmt: skip
    for name, (count, usable) in expected.items():
        assert (catalog[name].az_count, catalog[name].usable_azs) == (count, usable)
    for region in catalog:
        assert region.source
        assert region.as_of
        if region.az_ids:
            assert len(region.az_ids) == region.az_count


def test_zone_ids_take_the_usable_ones_first():
    west = load_regions()["us-west-1"]
    assert west.zone_ids() == ("usw1-az1", "usw1-az3")
    assert west.zone_ids(3) == ("usw1-az1", "usw1-az3", "usw1-az2")
    # A Region with unpublished AZ IDs gets plain labels.
    assert load_regions()["eusc-de-east-1"].zone_ids() == ("az1", "az2")


def test_unknown_region_suggests_close_names():
    with pytest.raises(UnknownNameError, match="did you mean.*us-east-1"):
        load_regions()["us-est-1"]


def test_standard_price_and_price_book_lookup():
    book = load_prices()
    # FACTS.md: 24.95 USD per IP per month.
    fee = book.fee_cents("dedicated-ip", ["us-east-1", "eu-west-1"], dt.date(2026, 11, 27))
    assert fee.tolist() == [2495, 2495]
    assert book.currency == "USD"
    with pytest.raises(PriceNotFoundError, match="2024-06-01"):
        book.fee_cents("dedicated-ip", ["us-east-1"], dt.date(2024, 6, 1))
    with pytest.raises(UnknownNameError, match="sku"):
        book.fee_cents("gold-ip", ["us-east-1"], dt.date(2026, 1, 1))


def test_region_override_and_effective_dates(tmp_path):
    path = tmp_path / "prices.csv"
    path.write_text(
        "sku,region,unit,price,currency,effective_from,effective_to,tier_from,tier_to,source\n"
        "dedicated-ip,*,IP-month,24.95,USD,2025-01-01,2027-03-31,,,test\n"
        "dedicated-ip,*,IP-month,29.95,USD,2027-04-01,,,,test\n"
        "dedicated-ip,eu-west-1,IP-month,26.00,USD,2025-01-01,,,,test\n"
    )
    book = load_prices(path)
    days = np.array(["2027-03-31", "2027-04-01", "2027-04-01"], dtype="datetime64[D]")
    regions = ["us-east-1", "us-east-1", "eu-west-1"]
    # The "*" row changes on 2027-04-01; eu-west-1's own row wins throughout.
    assert book.fee_cents("dedicated-ip", regions, days).tolist() == [2495, 2995, 2600]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("sku,region\nx,y\n", "line 1: missing column"),
        ("HEADER\ndedicated-ip,*,IP-month,abc,USD,2025-01-01,,,,s\n", "line 2: price: 'abc'"),
        (
            "HEADER\ndedicated-ip,*,IP-month,1.005,USD,2025-01-01,,,,s\n",
            "line 2: price.*whole cents",
        ),
        ("HEADER\ndedicated-ip,*,IP-month,1.00,USD,2025-13-01,,,,s\n", "line 2: effective_from"),
        (
            "HEADER\ndedicated-ip,*,IP-month,1.00,USD,2025-01-01,2024-01-01,,,s\n",
            "line 2: effective_to",
        ),
        (
            "HEADER\ndedicated-ip,*,IP-month,1.00,USD,2025-01-01,,,,s\n"
            "dedicated-ip,*,IP-month,2.00,USD,2026-01-01,,,,s\n",
            "line 3: .*overlaps",
        ),
        ("HEADER\n", "no rows"),
        ("HEADER\ndedicated-ip,*,IP-month,1.00,USD,2025-01-01,,,,s,extra\n", "line 2: more cells"),
    ],
)
def test_malformed_price_books(tmp_path, body, message):
    header = "sku,region,unit,price,currency,effective_from,effective_to,tier_from,tier_to,source"
    path = tmp_path / "p.csv"
    path.write_text(body.replace("HEADER", header))
    with pytest.raises(DataFileError, match=message):
        load_prices(path)


def test_missing_price_file(tmp_path):
    with pytest.raises(DataFileError, match="no such file"):
        load_prices(tmp_path / "nope.csv")


def test_user_region_table(tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text(
        "region,name,partition,az_count,usable_azs,az_ids,notes,source,as_of\n"
        "us-east-1,Virginia,aws,6,5,a b c d e f,,mine,2026-01-01\n"
    )
    assert load_regions(path)["us-east-1"].usable_azs == 5
    path.write_text(
        "region,name,partition,az_count,usable_azs,az_ids,notes,source,as_of\n"
        "us-east-1,Virginia,aws,3,4,a b c,,mine,2026-01-01\n"
    )
    with pytest.raises(DataFileError, match="line 2: usable_azs 4 is more than az_count 3"):
        load_regions(path)


def test_profiles_and_defaults_carry_sources():
    profiles = load_profiles()
    # FACTS.md: SendGrid 3-4M a day (low end), Mandrill 500k, GreenArrow up to 1M.
    assert {p.profile: p.messages_per_ip_per_day for p in profiles} == {
        "sendgrid": 3_000_000, "mandrill": 500_000, "greenarrow": 1_000_000,
    }  # fmt: skip
    # 3,000,000 / 86,400 = 34.722... msg/s
    assert profiles["sendgrid"].per_ip_rate == pytest.approx(34.7222, abs=1e-4)
    # 500,000 / 86,400 = 5.787... msg/s, in the frame too
    frame = profiles.to_frame().set_index("profile")
    assert frame.loc["mandrill", "per_ip_rate"] == pytest.approx(5.7870, abs=1e-4)
    assert all(p.source for p in profiles)
    defaults = load_defaults()
    assert defaults["min_per_region"].value == "2"
    assert all(d.source for d in defaults.values())


def test_tables_as_frames():
    frame = load_regions().to_frame()
    assert list(frame.columns)[:3] == ["region", "name", "partition"]
    assert frame.loc[frame.region == "us-east-1", "az_count"].item() == 6
    prices = load_prices().to_frame()
    assert prices.loc[0, "price"] == "24.95"
