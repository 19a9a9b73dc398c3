"""Shared test settings: hypothesis runs a bounded, derandomized search so CI is repeatable."""
import numpy as np
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "bplib",
    max_examples=40,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("bplib")


@pytest.fixture
def rng():
    """A fresh, seeded generator for each test."""
    return np.random.default_rng(0)
