"""Whether TensorFlow's own log lines reach the terminal (`--verbose`).

By default graph_examples.tf1 silences TensorFlow's C++ log (the
TF_CPP_MIN_LOG_LEVEL variable) and its Python logger before the first
import. The C++ side reads that variable once, when it first logs, so
`--verbose` only fully works if it is seen before TensorFlow is imported:
graph_examples.launch looks for it in the command line first. This module
imports no TensorFlow itself.
"""

import argparse
import logging
import os
import sys

CPP_LEVEL = "TF_CPP_MIN_LOG_LEVEL"  # 0 all, 1 no INFO, 2 no WARNING, 3 no ERROR


class _EarlyParser(argparse.ArgumentParser):
    """Looks for one flag and says nothing: the real parser reports errors."""

    def error(self, message):
        raise ValueError(message)


def wants_verbose(argv):
    """True if `argv` holds --verbose (or an abbreviation argparse accepts)."""
    early = _EarlyParser(add_help=False)
    early.add_argument("--verbose", action="store_true")
    try:
        known, _ = early.parse_known_args(argv)
    except ValueError:
        return False
    return known.verbose


def show_tensorflow_logs():
    """Let TensorFlow's C++ and Python log lines through from now on.

    The C++ level only takes effect if TensorFlow has not logged yet in
    this process; the Python logger (deprecation warnings) always does.
    """
    os.environ[CPP_LEVEL] = "0"
    if "tensorflow" in sys.modules:
        sys.modules["tensorflow"].get_logger().setLevel(logging.INFO)
