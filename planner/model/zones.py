"""Spreading IPs over a Region's Availability Zones, and what an AZ loss takes away.

AWS spreads the dedicated IPs of a Region "as evenly as possible" across its
Availability Zones (SES developer guide, "Requesting and relinquishing
dedicated IP addresses"). The model: ``n`` IPs over ``k`` AZs give
``q = n // k`` to each AZ and one more to each of the first ``n mod k`` AZs in the
catalogue's order. Counts never differ by more than one; growing a fleet adds to
the emptiest AZs and shrinking takes from the fullest.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from planner.model import limits
from planner.model.arrays import IntArray, Numbers
from planner.model.checks import as_int, require

AZS_ALLOWED = f"expected 1 to {limits.MAX_AZS} Availability Zones"


def spread(ips: Numbers, azs: Numbers) -> IntArray:
    """IPs in each AZ when ``ips`` are spread evenly over ``azs`` zones.

    Parameters
    ----------
    ips : int or array_like of int
        IPs in the Region. [IPs]
    azs : int or array_like of int
        Usable Availability Zones in the Region, at least 1. [AZs]

    Returns
    -------
    numpy.ndarray of int64
        Shape ``broadcast(ips, azs).shape + (max(azs),)``: the count in each AZ,
        in catalogue order; zones beyond a row's own ``azs`` hold 0.

    Examples
    --------
    >>> spread(10, 6).tolist()
    [2, 2, 2, 2, 1, 1]
    >>> spread([3, 4], [2, 3]).tolist()
    [[2, 1, 0], [2, 1, 1]]
    """
    n_arr, k_arr = np.broadcast_arrays(as_int("ips", ips), as_int("azs", azs))
    require("ips", n_arr, n_arr >= 0, "expected 0 or more IPs")
    require("azs", k_arr, (k_arr >= 1) & (k_arr <= limits.MAX_AZS), AZS_ALLOWED)
    width = int(k_arr.max()) if k_arr.size else 0
    j = np.arange(width, dtype=np.int64)
    n = n_arr[..., np.newaxis]
    k = k_arr[..., np.newaxis]
    counts = n // k + (j < n % k)
    return np.where(j < k, counts, 0).astype(np.int64)


def ips_lost(ips: Numbers, azs: Numbers, az_failures: Numbers = 1) -> Any:
    """IPs lost when the ``az_failures`` fullest AZs of an even spread go down.

    ``L(n) = f * floor(n / k) + min(f, n mod k)``: each lost AZ holds ``n // k``
    IPs, and the first ``n mod k`` of them one more.

    >>> int(ips_lost(10, 6, 1)), int(ips_lost(12, 6, 1)), int(ips_lost(4, 2, 1))
    (2, 2, 2)
    """
    n, k, f = np.broadcast_arrays(
        as_int("ips", ips), as_int("azs", azs), as_int("az_failures", az_failures)
    )
    require("azs", k, (k >= 1) & (k <= limits.MAX_AZS), AZS_ALLOWED)
    require("az_failures", f, (f >= 0) & (f <= k), "expected 0 up to the number of AZs")
    lost: IntArray = f * (n // k) + np.minimum(f, n % k)
    return lost if lost.ndim else lost[()]
