import os

# Plots in tests draw off screen: no display is needed, and none is opened.
os.environ.setdefault("MPLBACKEND", "Agg")

from hypothesis import HealthCheck, settings

# No deadlines: this machine is shared and timings are noisy. Speed is measured by
# benchmarks/, never by tests.
settings.register_profile(
    "default", deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("thorough", deadline=None, max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
