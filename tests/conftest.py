"""Shared fixtures: seeded runs at the lecture's settings, made once a session."""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from graph_examples import mantle_stability, quadratic_fit  # noqa: E402
from graph_examples.tf1 import DEFAULT_SEED, visible_gpus  # noqa: E402


@pytest.fixture(scope="session")
def quadratic_lecture():
    """Pages 22-23 with the lecture's 20001 steps, default seed, CPU."""
    return quadratic_fit.run(seed=DEFAULT_SEED, echo=None)


@pytest.fixture(scope="session")
def mantle_lecture():
    """Pages 27-31 at the lecture's settings (1,000,000 rows, 20001 steps), CPU."""
    return mantle_stability.run(seed=DEFAULT_SEED, echo=None)


def pytest_collection_modifyitems(config, items):
    """Skip tests marked `gpu`, with the reason, where no GPU is visible."""
    if visible_gpus():
        return
    skip = pytest.mark.skip(reason="no GPU visible to TensorFlow on this machine")
    for item in items:
        if "gpu" in item.keywords:
            item.add_marker(skip)
