import calendar
import datetime as dt
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner import relinquish
from planner.errors import InputError
from planner.model.fees import annual_fee, days_billed, days_in_month, monthly_fee, prorated_charge

FEE = 2495  # 24.95 USD in cents


def half_up(x: Fraction) -> int:
    return int(x + Fraction(1, 2)) if x >= 0 else -int(-x + Fraction(1, 2))


def reference_charge(fee_cents, first, last, d):
    """Exact reference: the fee for days first..last of a d-day month, half up."""
    days = max(0, last - first + 1)
    return half_up(Fraction(fee_cents * days, d))


# ------------------------------------------------------------ worked examples (DESIGN.md)


def test_relinquish_2026_11_15_inclusive():
    # 24.95 x 15 / 30 = 12.475 -> 12.48 charged; 24.95 - 12.48 = 12.47 refunded.
    billed = days_billed(30, 1, 15, relinquished_in_month=True)
    assert int(billed) == 15
    charge = int(prorated_charge(FEE, billed, 30))
    assert charge == 1248
    # The refund is what the whole month would have cost less the charge: what
    # relinquish() reports, checked against the hand figure 12.47.
    assert relinquish("us-east-1", 1, "2026-11-15").refund_per_ip == Decimal("12.47")


def test_relinquish_2026_11_15_exclusive():
    # 24.95 x 14 / 30 = 11.6433 -> 11.64; refund 13.31.
    billed = days_billed(30, 1, 15, relinquished_in_month=True, day_count="exclusive")
    assert int(prorated_charge(FEE, billed, 30)) == 1164


def test_relinquish_leap_february_2028():
    # 2028-02 has 29 days: 24.95 x 10 / 29 = 8.6034 -> 8.60.
    assert int(days_in_month(np.datetime64("2028-02"))) == 29
    assert int(prorated_charge(FEE, days_billed(29, 1, 10, relinquished_in_month=True), 29)) == 860


def test_lease_2026_12_20():
    # December: 31 days; days 20..31 = 12 days; 24.95 x 12 / 31 = 9.658 -> 9.66.
    billed = days_billed(31, 20, leased_in_month=True)
    assert int(billed) == 12
    assert int(prorated_charge(FEE, billed, 31)) == 966
    # Full-month lease proration bills the lease month whole.
    assert int(days_billed(31, 20, leased_in_month=True, lease_proration="full-month")) == 31


def test_three_ips_all_month():
    assert int(monthly_fee(3, FEE)) == 7485
    assert int(annual_fee(3, FEE)) == 7485 * 12


def test_lease_and_relinquish_in_one_month():
    # Leased on the 10th, relinquished on the 20th of a 30-day month: days 10..20 = 11.
    assert int(days_billed(30, 10, 20, leased_in_month=True, relinquished_in_month=True)) == 11
    # Exclusive: days 10..19 = 10. Relinquished on the lease day, exclusive: 0.
    assert (
        int(
            days_billed(
                30, 10, 20, leased_in_month=True, relinquished_in_month=True, day_count="exclusive"
            )
        )
        == 10
    )
    assert (
        int(
            days_billed(
                30, 10, 10, leased_in_month=True, relinquished_in_month=True, day_count="exclusive"
            )
        )
        == 0
    )


def test_days_in_month_matches_calendar():
    months = np.arange(np.datetime64("1999-01"), np.datetime64("2031-01"))
    expected = [calendar.monthrange(int(str(m)[:4]), int(str(m)[5:]))[1] for m in months]
    assert days_in_month(months).tolist() == expected


# ------------------------------------------------------------ properties

days_of_months = st.dates(dt.date(2024, 1, 1), dt.date(2031, 12, 31))
fees = st.integers(0, 100_000)


@given(days_of_months, fees, st.sampled_from(["inclusive", "exclusive"]))
def test_charge_plus_refund_is_the_fee_and_matches_fractions(day, fee, day_count):
    d = calendar.monthrange(day.year, day.month)[1]
    billed = int(days_billed(d, 1, day.day, relinquished_in_month=True, day_count=day_count))
    last = day.day if day_count == "inclusive" else day.day - 1
    charge = int(prorated_charge(fee, billed, d))
    assert charge == reference_charge(fee, 1, last, d)
    refund = fee - charge
    assert 0 <= refund <= fee
    assert charge + refund == fee


def test_every_day_of_every_month_2024_to_2031_vectorised():
    # The whole grid at once: each (month, day) against the Fraction reference.
    months = np.arange(np.datetime64("2024-01"), np.datetime64("2032-01"))
    d = days_in_month(months)
    day = np.arange(1, 32)
    dd, rr = np.broadcast_arrays(d[:, None], day[None, :])
    valid = rr <= dd
    for day_count in ("inclusive", "exclusive"):
        billed = days_billed(dd, 1, rr, relinquished_in_month=True, day_count=day_count)
        charge = prorated_charge(FEE, billed, dd)
        shift = 0 if day_count == "inclusive" else 1
        expected = np.array([[reference_charge(FEE, 1, r - shift, m) for r in day] for m in d])
        assert (charge[valid] == expected[valid]).all()
        assert ((FEE - charge)[valid] >= 0).all()


@given(days_of_months, fees)
def test_lease_charge_matches_fractions(day, fee):
    d = calendar.monthrange(day.year, day.month)[1]
    charge = int(prorated_charge(fee, days_billed(d, day.day, leased_in_month=True), d))
    assert charge == reference_charge(fee, day.day, d, d)


def test_bad_choices():
    with pytest.raises(InputError, match="^day_count: 'sometimes'"):
        days_billed(30, day_count="sometimes")
    with pytest.raises(InputError, match="^lease_proration"):
        days_billed(30, lease_proration="weekly")
