"""The limits of every quantity ipcost takes: far above any real fleet, and inside
what its arithmetic holds exactly.

Money is int64 cents. The largest sum ipcost makes is a budget's charge over all its
pools and months: at most ``MAX_FLEET`` IPs x ``MAX_FEE_CENTS`` x ``MAX_MONTHS`` =
10**8 x 10**7 x 600 = 6 x 10**17 cents, below int64's 9.2 x 10**18, so no sum can
wrap around. Rates and volumes stay where a float is exact to far more digits than
anyone types. A value outside its limit is one ``Error:`` line naming the value and
the limit.
"""

from __future__ import annotations

MAX_RATE = 10_000_000
"""Peak send rate of a Region [msg/s]: SES's largest accounts send thousands."""
MAX_DAILY_VOLUME = 1_000_000_000_000
"""Messages a day in a Region."""
MIN_PER_IP_RATE, MAX_PER_IP_RATE = 0.001, 1_000_000
"""What one warm IP sends [msg/s]."""
MAX_PEAK_FACTOR = 1_000
"""Peak rate over the day's average rate."""
MAX_IPS = 10_000_000
"""IPs in one Region or pool, given, sized or leased at once."""
MAX_FLEET = 100_000_000
"""IPs held by a whole plan in any one month."""
MAX_AZS = 32
"""Availability Zones in a Region (the largest has 6)."""
MAX_FEE_CENTS = 10_000_000
"""A price in the price book: 100,000.00 a unit (a dedicated IP is 24.95 a month)."""
MAX_MONTHS = 600
"""Months in a budget: fifty years."""
MAX_MESSAGES_PER_IP_PER_DAY = 86_400 * MAX_PER_IP_RATE
"""A capacity profile's messages per IP per day (the per-IP rate limit, a day long)."""
MAX_TIER = 10**15
"""A usage tier boundary in the price book [messages]."""
MAX_LEAD_DAYS = 3_660
"""Days a support case takes, or an IP is kept through a gap: ten years."""
