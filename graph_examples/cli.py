"""Command-line plumbing shared by every script: flags, checks, exit codes.

Usage errors print one line, `<prog>: error: <why>`, to standard error and
exit with status 2, before any work starts or any file is written.
"""

import argparse
import os
import sys
import tempfile

EXIT_USAGE = 2
EXIT_FAILED = 1
EXIT_INTERRUPTED = 130
MAX_INSTANCES = 20_000_000  # 2.6 GB of float64 rows and labels; beyond, refuse
MAX_SEED = 2**32 - 1  # np.random.seed takes 0 .. 2**32 - 1
MAX_STEPS = 100_000_000  # the per-step loss history alone is 400 MB there
MAX_BATCH = 1_000_000  # rows a step; the in-graph loop holds a chunk of them
FLOAT32_MAX = 3.4028234663852886e38
FLOAT32_TINY = 1.1754943508222875e-38  # below, float32 rounds toward zero


class UsageError(Exception):
    """A flag value that passed argparse but cannot be used."""


class RunFailed(Exception):
    """The run stopped for a reason one line can name (exit status 1)."""


class Parser(argparse.ArgumentParser):
    """argparse that reports a bad flag in one line instead of the usage text."""

    def error(self, message):
        self.exit(EXIT_USAGE, "{}: error: {}\n".format(self.prog, message))


def positive_int(text):
    """An int > 0; argparse turns the ValueError into a one-line error."""
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be a positive integer, got {}".format(text))
    return value


def at_most(limit):
    """positive_int with an upper bound, for flags that size memory."""
    def bounded_int(text):
        value = positive_int(text)
        if value > limit:
            raise argparse.ArgumentTypeError("must be at most {}, got {}".format(
                limit, text))
        return value

    bounded_int.__name__ = "positive integer"
    return bounded_int


def positive_float(text):
    """A number > 0 that float32, the graph's type, holds without rounding to 0/inf."""
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError("must be a positive number, got {}".format(text))
    if not FLOAT32_TINY <= value <= FLOAT32_MAX:
        raise argparse.ArgumentTypeError(
            "must be between {:.3g} and {:.3g} (float32), got {}".format(
                FLOAT32_TINY, FLOAT32_MAX, text))
    return value


def split_rate(text):
    value = float(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError("must be between 0 and 1 (exclusive), got {}".format(
            text))
    return value


def seed_int(text):
    """An int NumPy can seed with, 0 .. 2**32 - 1."""
    value = int(text)
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError("must be between 0 and {}, got {}".format(
            MAX_SEED, text))
    return value


class ShowTensorFlowLogs(argparse.Action):
    """--verbose: let TensorFlow's own log lines through from here on."""

    def __call__(self, parser, namespace, values, option_string=None):
        from graph_examples.verbosity import show_tensorflow_logs

        show_tensorflow_logs()
        setattr(namespace, self.dest, True)


positive_int.__name__ = "positive integer"
seed_int.__name__ = "seed"
positive_float.__name__ = "positive number"
split_rate.__name__ = "number"


def make_parser(prog, description, seeded=True, training=False, figures=False):
    """A Parser with the flags every script shares."""
    from graph_examples.tf1 import DEFAULT_SEED, DEVICES
    from graph_examples.training import DEFAULT_LOOP, LOOPS

    parser = Parser(prog=prog, description=description)
    if seeded:
        parser.add_argument("--seed", type=seed_int, default=DEFAULT_SEED,
                            help="NumPy and graph seed (default %(default)s)")
    parser.add_argument("--device", choices=DEVICES, default="auto",
                        help="where the graph runs (default %(default)s: a GPU "
                             "when one is visible)")
    parser.add_argument("--verbose", action=ShowTensorFlowLogs, nargs=0, default=False,
                        help="let TensorFlow's log and deprecation lines through")
    if training:
        parser.add_argument("--steps", type=at_most(MAX_STEPS), default=20001,
                            help="training steps (default %(default)s, the lecture's)")
        parser.add_argument("--loop", choices=LOOPS, default=DEFAULT_LOOP,
                            help="ingraph: many steps per session call (default); "
                                 "feed: one sess.run per step, as on the slides; "
                                 "both give the same numbers")
    if figures:
        parser.add_argument("--out", default="lecture_output",
                            help="folder for figures and reports (default %(default)s)")
        parser.add_argument("--show", action="store_true",
                            help="also open each figure in a window")
    return parser


def add_mantle_flags(parser):
    """--instances, --split-rate, --batch-size, --learning-rate (page 27, 30)."""
    from graph_examples import mantle_stability as mantle

    parser.add_argument("--instances", type=positive_int, default=mantle.INSTANCE_NUM,
                        help="rows to simulate (default %(default)s)")
    parser.add_argument("--split-rate", type=split_rate, default=mantle.SPLIT_RATE,
                        help="share of rows that train (default %(default)s)")
    parser.add_argument("--batch-size", type=at_most(MAX_BATCH),
                        default=mantle.BATCH_SIZE,
                        help="rows a training step (default %(default)s)")
    parser.add_argument("--learning-rate", type=positive_float,
                        default=mantle.LEARNING_RATE,
                        help="Adam's learning rate for the mantle network "
                             "(default %(default)s)")


def check_mantle_flags(args):
    """Checks that need more than one flag: the split must leave rows on both sides."""
    from graph_examples.mantle_stability import check_split

    if args.instances > MAX_INSTANCES:
        raise UsageError("--instances {} is more than this program holds in memory "
                         "(at most {})".format(args.instances, MAX_INSTANCES))
    try:
        check_split(args.instances, args.split_rate, ("--instances", "--split-rate"))
    except ValueError as error:
        raise UsageError(str(error)) from None


def prepare_out_dir(path, flag="--out", files=()):
    """Prove, before any work, that `path` can become a folder of our files.

    Nothing is created here, so a run refused later (a missing GPU, a bad
    checkpoint) leaves no empty folder behind; files are written atomically
    and create the folder then. `files` are the names the run will write;
    one that is a folder now would only fail after all the work.
    """
    if os.path.exists(path) and not os.path.isdir(path):
        raise UsageError("{} {} is a file, not a folder".format(flag, path))
    existing = _nearest_existing(path)
    if not os.path.isdir(existing):
        raise UsageError("{} {} cannot be written: {} is not a folder".format(
            flag, path, existing))
    try:
        _probe_writable(path)
    except OSError as error:
        raise UsageError("{} {} cannot be written: {}".format(
            flag, path, error.strerror or error)) from None
    for name in files:
        if os.path.isdir(os.path.join(path, name)):
            raise UsageError("{} {}: {} is a folder, where this run writes a file".format(
                flag, path, name))
    return path


def prepare_out_file(path, flag="--out"):
    """Prove, before any work, that `path` can become a file of ours.

    Refuses a folder and anything that exists but is not a regular file (a
    device, a pipe: writing atomically would replace it); the folder it
    goes in is checked as prepare_out_dir checks one.
    """
    if not path or path.endswith(os.sep) or os.path.isdir(path):
        raise UsageError("{} {!r} is a folder or empty; it needs a file name".format(
            flag, path))
    if os.path.exists(path) and not os.path.isfile(path):
        raise UsageError("{} {} exists and is not a regular file".format(flag, path))
    prepare_out_dir(os.path.dirname(os.path.abspath(path)), flag)
    return path


def _probe_writable(path):
    """Make `path` and a file in it, then remove all that this made.

    Trying is the only sure test: permissions do not stop root, and
    /proc or a read-only mount refuse what os.access allows.
    """
    made = []  # deepest first
    folder = os.path.abspath(path)
    while not os.path.exists(folder):
        made.append(folder)
        folder = os.path.dirname(folder)
    try:
        os.makedirs(path, exist_ok=True)
        probe_fd, probe = tempfile.mkstemp(prefix=".write-test-", dir=path)
        os.close(probe_fd)
        os.unlink(probe)
    finally:
        for folder in made:
            if os.path.isdir(folder):
                os.rmdir(folder)


def _nearest_existing(path):
    path = os.path.abspath(path)
    while not os.path.exists(path):
        path = os.path.dirname(path)
    return path


def choose_backend(show):
    """Agg (no window, no display needed) unless figures can and should be shown.

    Returns whether they will be shown.
    """
    import matplotlib

    if show and sys.platform.startswith("linux") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        note("--show: no display here (DISPLAY is not set); writing the files only")
        show = False
    if not show:
        matplotlib.use("Agg")
    return show


def publish_figure(figure, folder, filename, show):
    """Write `figure` as PNG into `folder`, open it if asked; returns the path."""
    import matplotlib.pyplot as plt

    from graph_examples.output import save_figure

    path = os.path.join(folder, filename)
    save_figure(figure, path)
    if show:
        plt.show()
    plt.close(figure)
    return path


def note(message):
    """Anything that is not the lecture's output goes to standard error."""
    print(message, file=sys.stderr)


def chosen_device(requested):
    """resolve_device(requested), and say on standard error which one runs."""
    from graph_examples.tf1 import resolve_device

    device = resolve_device(requested)
    note("device: {}".format(device))
    return device


def one_line_reason(error):
    """The line of an exception's message that says what went wrong.

    TensorFlow's errors run to pages (where the op was defined, the node);
    the reason is the last line that is none of that.
    """
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    text = getattr(error, "message", None) or str(error)
    noise = ("Graph execution error", "Detected at node", "File ", "Node:", "[[")
    useful = [line.strip() for line in text.splitlines()
              if line.strip() and not line.strip().startswith(noise)]
    return useful[-1] if useful else type(error).__name__


def run_main(prog, body):
    """Run body(); turn known failures into one line and an exit status."""
    from graph_examples.tf1 import DeviceError, tf

    try:
        body()
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except (UsageError, DeviceError) as error:
        print("{}: error: {}".format(prog, error), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt as error:
        # A training loop's interrupt says at which step it stopped.
        why = str(error) or "interrupted; files already written are complete"
        print("{}: {}".format(prog, why), file=sys.stderr)
        return EXIT_INTERRUPTED
    except (OSError, MemoryError, RunFailed) as error:
        print("{}: error: {}".format(prog, error), file=sys.stderr)
        return EXIT_FAILED
    except tf.errors.OpError as error:
        # TensorFlow's messages run to many lines of graph context.
        print("{}: error: TensorFlow: {}".format(prog, one_line_reason(error)),
              file=sys.stderr)
        return EXIT_FAILED
    return 0
