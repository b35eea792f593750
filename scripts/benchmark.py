"""Run benchmarks.runner; see README.md, "Speed", for its flags."""

import os
import sys

# Let the script run from a checkout that was not pip-installed.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.runner import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
