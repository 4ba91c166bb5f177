"""Hypothesis strategies shared by the test modules."""

from hypothesis import strategies as st

azs = st.integers(min_value=1, max_value=8)
ip_counts = st.integers(min_value=0, max_value=10_000)
# Rates and per-IP rates as a person would type them: up to 4 decimals, within the
# limits (planner.model.limits: at most 10,000,000 IPs a Region, so 10,000 / (0.1 x 0.05) fits).
rates = st.decimals(min_value="0.0001", max_value="10000", places=4).map(float)
per_ip_rates = st.decimals(min_value="0.1", max_value="1000", places=2).map(float)
utilizations = st.decimals(min_value="0.05", max_value="1", places=2).map(float)


@st.composite
def zones_and_failures(draw: st.DrawFn) -> tuple[int, int]:
    """(azs, az_failures) with az_failures < azs."""
    k = draw(azs)
    return k, draw(st.integers(min_value=0, max_value=k - 1))
