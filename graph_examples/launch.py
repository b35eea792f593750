"""Entry points of the scripts: read --verbose, then import TensorFlow.

Each program module imports TensorFlow (through graph_examples.tf1) when it
is imported, and TensorFlow fixes its C++ log level at that moment. So the
scripts and the console entry points come through here: `--verbose` is
looked for before the program's module is imported.
"""

import importlib
import sys

from graph_examples.verbosity import show_tensorflow_logs, wants_verbose

PROGRAMS = ("hello_world", "multiply_matrices", "quadratic_fit", "mantle_stability",
            "run_lecture")


def launch(program, argv=None):
    """Run graph_examples.<program>.main(argv); returns its exit status."""
    argv = sys.argv[1:] if argv is None else argv
    if wants_verbose(argv):
        show_tensorflow_logs()
    try:
        module = importlib.import_module("graph_examples." + program)
    except KeyboardInterrupt:
        # Ctrl-C while TensorFlow loads: nothing has run or been written yet.
        print("{}.py: interrupted while starting; nothing was written".format(program),
              file=sys.stderr)
        return 130
    return module.main(argv)


def hello_world():
    return launch("hello_world")


def multiply_matrices():
    return launch("multiply_matrices")


def quadratic_fit():
    return launch("quadratic_fit")


def mantle_stability():
    return launch("mantle_stability")


def run_lecture():
    return launch("run_lecture")
