"""What reaches the terminal: the lecture's lines, our notes, and nothing of
TensorFlow's own unless --verbose; a progress bar only on a terminal."""

import fcntl
import os
import pty
import struct
import subprocess
import termios

from graph_examples.verbosity import wants_verbose
from maintainers_support import (TF_LOG_MARKERS, all_files, run_script,
                                 script_command, script_env)

TINY_JOB = ["--steps", "3", "--instances", "200", "--batch-size", "10"]


def test_default_run_shows_no_tensorflow_log_line(tmp_path):
    """All four programs in one process; stderr holds only our notes."""
    done = run_script("run_lecture", *TINY_JOB, "--out", tmp_path)
    assert done.returncode == 0, done.stderr

    for marker in TF_LOG_MARKERS:
        assert marker not in done.stderr, done.stderr
    assert done.stderr.splitlines() == ["device: cpu"] + [
        "wrote {}".format(tmp_path / name)
        for name in ("quadratic_fit.png", "mantle_stability.png", "report.md")]

    # Not a terminal: no progress bar either (tqdm draws with \r).
    assert "\r" not in done.stderr and "step/s" not in done.stderr
    assert all_files(tmp_path) == ["mantle_stability.png", "quadratic_fit.png",
                                   "report.md"]


def test_verbose_lets_tensorflow_log_lines_through(tmp_path):
    done = run_script("quadratic_fit", "--verbose", "--steps", "3", "--out", tmp_path)
    assert done.returncode == 0, done.stderr

    # A C++ INFO line (only if --verbose was seen before the import) and a
    # Python deprecation warning.
    assert "cpu_feature_guard" in done.stderr
    assert "is deprecated" in done.stderr
    assert done.stdout.splitlines()[0] == "STEP     0: loss_val 2267546.0"


def test_progress_bar_draws_on_a_terminal_and_leaves_stdout_alone(tmp_path):
    """stderr on a pseudo-terminal, stdout on a pipe, as in `prog | less`."""
    reader, writer = pty.openpty()
    # A real terminal has a size; tqdm draws nothing on a 0-column one.
    fcntl.ioctl(writer, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    try:
        process = subprocess.Popen(
            script_command("quadratic_fit", "--steps", "3000", "--out", tmp_path),
            stdout=subprocess.PIPE, stderr=writer, text=True, env=script_env(),
            stdin=subprocess.DEVNULL)
        os.close(writer)
        out, _ = process.communicate(timeout=300)
        terminal = read_all(reader)
    finally:
        os.close(reader)

    assert process.returncode == 0, terminal
    assert out.splitlines() == ["STEP     0: loss_val 2267546.0",
                                "STEP  1000: loss_val 1626159.5",
                                "STEP  2999: loss_val 781989.4375"]
    # How often it redraws depends on speed (tqdm waits 0.1 s between draws).
    assert "\rquadratic_fit:   0%|" in terminal and "/3000 [" in terminal
    # leave=False: the bar's last act is to wipe its line, before our note.
    assert terminal.endswith("\r{}\rwrote {}\r\n".format(
        " " * 79, tmp_path / "quadratic_fit.png"))
    for marker in TF_LOG_MARKERS:
        assert marker not in terminal


def read_all(fd):
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the other side closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode("utf-8", "replace")


def test_verbose_is_found_before_tensorflow_is_imported():
    assert wants_verbose(["--steps", "3", "--verbose"])
    assert wants_verbose(["--verb"])  # argparse accepts unambiguous prefixes
    assert not wants_verbose(["--steps", "3"])
    assert not wants_verbose(["--verbose=yes"])  # the real parser reports it
