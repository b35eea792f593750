"""Helpers shared by the maintainers' tests (determinism, devices, checkpoints,
TensorBoard, faults, bad input, terminal output)."""

import os
import signal
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# Tiny runs: enough steps to cross an in-graph chunk (1000 steps) and a
# printed stop, small enough to take about a second each.
QUADRATIC = dict(steps=1500)
MANTLE = dict(steps=2500, instances=2000, batch_size=50)
MANTLE_FLAGS = ["--steps", "2500", "--instances", "2000", "--batch-size", "50"]

# What TensorFlow's own log and deprecation lines look like on stderr.
TF_LOG_MARKERS = ("WARNING", "I0000", "W0000", "E0000", "oneDNN", "deprecat",
                  "tensorflow:", "cpu_feature_guard", "Traceback")


def script_env(**extra):
    """The environment a script runs in: this checkout first on the path,
    and no log-level override of the user's, so defaults are what we test."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def script_command(name, *args):
    return [sys.executable, str(REPO / "scripts" / (name + ".py")), *map(str, args)]


def run_script(name, *args, timeout=300, **extra_env):
    """Run scripts/<name>.py in a new process; returns CompletedProcess (text)."""
    return subprocess.run(script_command(name, *args), capture_output=True,
                          text=True, env=script_env(**extra_env), timeout=timeout,
                          stdin=subprocess.DEVNULL)


def interrupt_on(text, echo=None):
    """An echo that presses Ctrl-C (SIGINT to this process) right after the
    first printed line containing `text`, as a user watching would."""
    pressed = []

    def write(line):
        if echo is not None:
            echo(line)
        if text in str(line) and not pressed:
            pressed.append(line)
            signal.raise_signal(signal.SIGINT)

    return write


def partial_files(folder):
    """Files a crash or Ctrl-C could leave half-written: temp names of
    output.atomic_write, and the Saver's temporary folders."""
    return sorted(str(path) for path in Path(folder).rglob("*")
                  if path.name.startswith(".partial-") or "_temp" in path.name)


def all_files(folder):
    return sorted(str(path.relative_to(folder)) for path in Path(folder).rglob("*")
                  if path.is_file())
