"""Run graph_examples.grading (lecture1-grade); see README.md, "For teaching staff"."""

import os
import sys

# Let the script run from a checkout that was not pip-installed.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from graph_examples.grading.main import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
