"""Run graph_examples.errata; see README.md for its flags."""

import os
import sys

# Let the script run from a checkout that was not pip-installed.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# launch reads --verbose before TensorFlow is imported.
from graph_examples.launch import launch  # noqa: E402

if __name__ == "__main__":
    sys.exit(launch("errata"))
