import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.errors import InputError
from planner.model.sizing import (
    capacity,
    capacity_after_loss,
    ips_for_rate,
    ips_needed,
    ips_to_survive,
    rate_from_volume,
)
from planner.model.zones import ips_lost, spread
from tests.strategies import per_ip_rates, rates, utilizations, zones_and_failures


def _exact(x: float) -> Fraction:
    # The decimal a person typed: 0.7 means 7/10, not the binary float's value.
    return Fraction(repr(x))


def _kept(n, k, f):
    # IPs left after the f fullest AZs go down, by laying them out and dropping zones.
    return n - sum(sorted(spread(n, k).tolist(), reverse=True)[:f])


def slow_ips_needed(rate, per_ip_rate, utilization, minimum, f, k):
    """Reference: exact fractions, then a search over n of 'what is kept carries the rate'.

    n_rate x k IPs always survive (each AZ alone then holds n_rate), so the answer lies
    in [max(n_rate, minimum), max(n_rate x k, minimum)]; the kept count never falls as
    n grows, so bisection finds the smallest n.
    """
    n_rate = math.ceil(_exact(rate) / (_exact(per_ip_rate) * _exact(utilization)))
    lo, hi = max(n_rate, minimum), max(n_rate * k, minimum)
    while lo < hi:
        mid = (lo + hi) // 2
        if _kept(mid, k, f) >= n_rate:
            hi = mid
        else:
            lo = mid + 1
    return lo


# ---------------------------------------------------------------- worked examples


def test_design_example_300_msgs_in_us_east_1():
    # DESIGN.md / issue: 300 msg/s, 40 msg/s per IP, 80 % -> ceil(300 / 32) = ceil(9.375) = 10.
    assert int(ips_needed(300, 40, 0.8, 2, 0, 6)) == 10
    # Surviving one AZ loss over 6 AZs: 12 IPs (2 per AZ) keep 10 after losing 2.
    assert int(ips_needed(300, 40, 0.8, 2, 1, 6)) == 12


def test_exact_multiples_do_not_round_up():
    # 315 / (45 x 0.7) = 315 / 31.5 = 10 exactly; the float divisor is 31.499999999999996.
    assert 45 * 0.7 != 31.5
    assert int(ips_for_rate(315, 45, 0.7)) == 10
    # 32 / (40 x 0.8) = 1 exactly.
    assert int(ips_for_rate(32, 40, 0.8)) == 1
    # Just above a multiple still rounds up: 32.01 / 32 = 1.0003 -> 2.
    assert int(ips_for_rate(32.01, 40, 0.8)) == 2


def test_minimum_per_region():
    # 1 msg/s needs 1 IP for the rate, raised to the minimum of 2.
    assert int(ips_needed(1, 34.72, 0.8, 2, 0, 3)) == 2
    assert int(ips_needed(1, 34.72, 0.8, 1, 0, 3)) == 1


def test_two_zones_surviving_one_loss_doubles():
    # With 2 usable AZs, each AZ must carry the whole rate alone: 2 x n_rate.
    for n_rate in (1, 2, 3, 7, 10):
        assert int(ips_to_survive(n_rate, 2, 1)) == 2 * n_rate


def test_closed_form_small_table():
    # Hand check over 3 AZs surviving 1 loss (keep n - ceil(n / 3)):
    # n: 2->1 kept, 3->2, 4->2, 5->3, 6->4; so need 1->2, 2->3, 3->5, 4->6.
    assert [int(ips_to_survive(x, 3, 1)) for x in (1, 2, 3, 4)] == [2, 3, 5, 6]


def test_rate_from_volume():
    # 8,640,000 a day is 100 msg/s on average; peak factor 2.5 -> 250 msg/s.
    assert float(rate_from_volume(8_640_000, 2.5)) == pytest.approx(250.0)
    assert float(rate_from_volume(86_400)) == pytest.approx(1.0)


def test_capacity():
    # 10 IPs x 40 msg/s x 0.8 = 320; losing the fullest of 6 AZs (2 IPs) leaves 8 x 32 = 256.
    assert float(capacity(10, 40, 0.8)) == pytest.approx(320.0)
    assert float(capacity_after_loss(10, 40, 0.8, 6, 1)) == pytest.approx(256.0)
    # One AZ: losing it leaves nothing.
    assert float(capacity_after_loss(4, 40, 0.8, 1, 1)) == 0.0


def test_scalar_array_series_agree():
    rate = [1, 300, 1000, 5000]
    expected = [slow_ips_needed(r, 40, 0.8, 2, 1, 3) for r in rate]
    assert isinstance(ips_needed(300, 40, 0.8, 2, 1, 3), np.integer)
    assert ips_needed(np.array(rate), 40, 0.8, 2, 1, 3).tolist() == expected
    assert ips_needed(pd.Series(rate), 40, 0.8, 2, 1, 3).tolist() == expected
    assert [int(ips_needed(r, 40, 0.8, 2, 1, 3)) for r in rate] == expected


# ---------------------------------------------------------------- properties


@given(rates, per_ip_rates, utilizations, st.integers(0, 5), zones_and_failures())
def test_matches_slow_reference(rate, c, u, minimum, kf):
    k, f = kf
    assert int(ips_needed(rate, c, u, minimum, f, k)) == slow_ips_needed(rate, c, u, minimum, f, k)


@given(rates, rates, per_ip_rates, utilizations, zones_and_failures())
def test_more_rate_never_fewer_ips(r1, r2, c, u, kf):
    k, f = kf
    low, high = sorted((r1, r2))
    assert int(ips_needed(high, c, u, 2, f, k)) >= int(ips_needed(low, c, u, 2, f, k))


@given(rates, per_ip_rates, utilizations, zones_and_failures())
def test_capacity_after_losing_f_zones_carries_the_rate(rate, c, u, kf):
    k, f = kf
    n = int(ips_needed(rate, c, u, 2, f, k))
    kept = n - int(ips_lost(n, k, f))
    # Exact check: kept IPs x c x u >= rate, in the decimals the user typed.
    assert kept * _exact(c) * _exact(u) >= _exact(rate)


@given(st.integers(1, 500), zones_and_failures())
def test_survive_is_the_smallest_such_count(need, kf):
    k, f = kf
    n = int(ips_to_survive(need, k, f))
    assert n - int(ips_lost(n, k, f)) >= need
    assert n == need or (n - 1) - int(ips_lost(n - 1, k, f)) < need


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("bad", [0, -5, float("nan"), float("inf"), "abc"])
def test_bad_rate(bad):
    with pytest.raises(InputError, match="^rate"):
        ips_for_rate(bad, 40, 0.8)


@pytest.mark.parametrize("bad", [0, -0.1, 1.01, float("nan")])
def test_bad_utilization(bad):
    with pytest.raises(InputError, match="^utilization"):
        ips_for_rate(100, 40, bad)


def test_failures_must_be_fewer_than_zones():
    with pytest.raises(InputError, match="^az_failures"):
        ips_needed(100, 40, 0.8, 2, 3, 3)


def test_bad_volume_and_peak():
    with pytest.raises(InputError, match="^daily_volume"):
        rate_from_volume(-1)
    with pytest.raises(InputError, match="^peak_factor"):
        rate_from_volume(1000, 0.5)
