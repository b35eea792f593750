"""Regenerate tests/golden_values.json from seeded runs at the lecture's settings.

    python tests/pin_goldens.py

Run it only when a change is meant to alter the numbers, and say why in the
commit message; test_goldens.py compares every run against this file.
"""

import json
import os
import platform
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from graph_examples import mantle_stability, quadratic_fit  # noqa: E402
from graph_examples.output import write_text  # noqa: E402
from graph_examples.tf1 import DEFAULT_SEED, tf  # noqa: E402

GOLDEN_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           "golden_values.json")


def pin():
    quadratic = quadratic_fit.run(seed=DEFAULT_SEED, echo=None)
    mantle = mantle_stability.run(seed=DEFAULT_SEED, echo=None)
    return {
        "pinned_with": {"tensorflow": tf.__version__, "python": platform.python_version(),
                        "machine": platform.machine(), "seed": DEFAULT_SEED},
        "quadratic": {
            "inspected_steps": [d["step"] for d in quadratic.inspect_list],
            "losses": [float(quadratic.losses[d["step"]])
                       for d in quadratic.inspect_list],
            "coefficients": list(quadratic.coefficients),
        },
        "mantle": {
            "counts": list(mantle.counts),
            "printed_steps": list(range(0, len(mantle.losses),
                                        mantle_stability.PRINT_EVERY)),
            "losses": [float(v) for v in
                       mantle.losses[::mantle_stability.PRINT_EVERY]],
            "accuracy": mantle.accuracy,
        },
    }


if __name__ == "__main__":
    write_text(GOLDEN_PATH, json.dumps(pin(), indent=2) + "\n")
    print("wrote", GOLDEN_PATH)
