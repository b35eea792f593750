"""What the programs print and write: transcripts, figures, reports.

Files are written to a temporary name in the target folder and renamed into
place, so a file is either complete or absent, even after a crash or Ctrl-C.
"""

import os
import tempfile


def _current_umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


# mkstemp makes files readable by their owner only; a finished file gets the
# permissions an ordinary open() would have given it.
FILE_MODE = 0o666 & ~_current_umask()


class Transcript:
    """Prints lines as the lecture did and keeps them, so tests use the same."""

    def __init__(self, echo=print):
        self.lines = []
        self._echo = echo

    def __call__(self, line):
        line = str(line)
        self.lines.append(line)
        if self._echo is not None:
            self._echo(line)


def atomic_write(path, write):
    """Call write(file_object) on a temp file beside `path`, then rename it.

    Only ever replaces a regular file: renaming over /dev/null, a pipe or a
    socket would swap it for a plain file, so those raise FileExistsError.
    """
    if os.path.exists(path) and not os.path.isfile(path):
        raise FileExistsError("{} exists and is not a regular file; it was left "
                              "as it is".format(path))
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    suffix = os.path.splitext(path)[1]
    fd, tmp_path = tempfile.mkstemp(prefix=".partial-", suffix=suffix, dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.chmod(tmp_path, FILE_MODE)
        os.replace(tmp_path, path)
    except BaseException:
        os.unlink(tmp_path)
        raise


def write_text(path, text):
    """Write `text` (UTF-8) to `path` atomically."""
    atomic_write(path, lambda handle: handle.write(text.encode("utf-8")))


def save_figure(figure, path):
    """Save a matplotlib figure as PNG to `path` atomically."""
    atomic_write(path, lambda handle: figure.savefig(handle, format="png", dpi=100))
