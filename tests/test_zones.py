import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.errors import InputError
from planner.model.zones import ips_lost, spread
from tests.strategies import azs, ip_counts


def test_spread_worked_example():
    # DESIGN.md: 10 IPs over us-east-1's 6 AZs -> 2,2,2,2,1,1.
    assert spread(10, 6).tolist() == [2, 2, 2, 2, 1, 1]
    # 12 IPs over 6 AZs -> 2 each.
    assert spread(12, 6).tolist() == [2] * 6


def test_spread_scalar_array_series_agree():
    n = [0, 1, 5, 7]
    k = [3, 3, 2, 4]
    expected = [[0, 0, 0, 0], [1, 0, 0, 0], [3, 2, 0, 0], [2, 2, 2, 1]]
    assert spread(n, k).tolist() == expected
    assert spread(np.array(n), np.array(k)).tolist() == expected
    assert spread(pd.Series(n), pd.Series(k)).tolist() == expected
    assert [spread(a, b).tolist() + [0] * (4 - b) for a, b in zip(n, k, strict=True)] == expected


@given(ip_counts, azs)
def test_spread_sums_to_n_and_differs_by_at_most_one(n, k):
    counts = spread(n, k)
    assert counts.shape == (k,)
    assert counts.sum() == n
    assert counts.max() - counts.min() <= 1
    # The fuller AZs come first, in catalogue order.
    assert list(counts) == sorted(counts, reverse=True)


@given(ip_counts, azs)
def test_growing_adds_to_the_emptiest_zone(n, k):
    before, after = spread(n, k), spread(n + 1, k)
    changed = np.flatnonzero(after != before)
    assert len(changed) == 1
    assert before[changed[0]] == before.min()


def _lost_by_sorting(n, k, f):
    # Slow reference: lay the IPs out, then drop the f fullest zones.
    counts = sorted(spread(n, k).tolist(), reverse=True)
    return sum(counts[:f])


@given(ip_counts, azs, st.data())
def test_ips_lost_matches_dropping_the_fullest_zones(n, k, data):
    f = data.draw(st.integers(0, k))
    assert int(ips_lost(n, k, f)) == _lost_by_sorting(n, k, f)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"ips": -1, "azs": 3}, "ips"),
        ({"ips": 3, "azs": 0}, "azs"),
        ({"ips": 2.5, "azs": 3}, "ips"),
        ({"ips": "x", "azs": 3}, "ips"),
    ],
)
def test_spread_rejects(kwargs, field):
    with pytest.raises(InputError, match=f"^{field}"):
        spread(**kwargs)


def test_ips_lost_rejects_more_failures_than_zones():
    with pytest.raises(InputError, match="az_failures"):
        ips_lost(6, 3, 4)
