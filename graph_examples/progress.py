"""A progress bar for long training, on standard error and off the lecture's lines.

The bar (tqdm) is drawn on standard error only when that is a terminal, and
is wiped when training ends. Lines the lecture prints go to standard output;
keep_clear lifts the bar off the screen while such a line is written, so a
terminal showing both streams never gets a line glued to the bar.
"""

import sys

from tqdm import tqdm


def progress_bar(total, initial=0, label=None, enabled=True):
    """A tqdm bar of `total` steps starting at `initial`, on standard error.

    disable=None is tqdm's "draw only if the file is a terminal"; leave=False
    removes the bar when it closes.
    """
    return tqdm(total=total, initial=initial, desc=label, unit="step",
                file=sys.stderr, disable=None if enabled else True, leave=False,
                dynamic_ncols=True)


def keep_clear(echo, stream=None):
    """Wrap echo(line) so any bar is lifted while the line is written.

    `stream` is where echo writes (standard output unless given); None
    passes through, for callers that print nothing.
    """
    if echo is None:
        return None

    def write(line):
        with tqdm.external_write_mode(file=stream or sys.stdout):
            echo(line)

    return write
