"""Run one grading child and watch it: working folder, environment, clock.

The child (child.py) sets its own kernel limits; this side gives it a fresh
temporary folder, a minimal environment, its own process group, and a
wall-clock deadline per phase, and kills the whole group when it is done.
"""

import dataclasses
import functools
import json
import os
import pwd
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import graph_examples
from graph_examples.grading.child import SUBMISSION_FILE

OUTPUT_FILE = "output.txt"  # the child's standard output and error
POLL_SECONDS = 0.5  # how often to look whether the child is still alive
PROJECT_ROOT = os.path.dirname(os.path.dirname(
    os.path.abspath(graph_examples.__file__)))


@dataclasses.dataclass
class ChildRun:
    messages: list  # what the child reported, in order
    phase: str  # "startup", "import", a check id, or "done" when it ended
    ending: str  # "finished", "timeout", "ended" (exit or signal), "garbled"
    returncode: int  # negative: killed by that signal
    output_tail: str  # the end of what it printed, for grader errors only


@functools.lru_cache(maxsize=None)
def unprivileged_user():
    """'nobody' as {"uid", "gid"} when we run as root and it can run Python.

    The kernel never applies RLIMIT_NPROC to root, and root may write anywhere,
    so a root grader runs its children as nobody, if nobody can read this
    Python and this project (not so when Python lives in /root): else None,
    and the children run as we do.
    """
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam("nobody")
    except KeyError:
        return None
    try:
        probe = subprocess.run(
            [sys.executable, "-c", "import numpy, graph_examples"], cwd="/",
            env={"PYTHONPATH": PROJECT_ROOT}, user=entry.pw_uid, group=entry.pw_gid,
            extra_groups=[], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, check=False)
    except OSError:  # nobody may not even execute this Python
        return None
    if probe.returncode != 0:
        return None
    return {"uid": entry.pw_uid, "gid": entry.pw_gid}


def child_environment(workdir):
    """Only what Python and TensorFlow need; nothing of the grader's own."""
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": workdir,
        "TMPDIR": workdir,
        "LANG": "C.UTF-8",
        "PYTHONPATH": PROJECT_ROOT,
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "MPLBACKEND": "Agg",
        "CUDA_VISIBLE_DEVICES": "",
        # One thread per op: fewer tasks for RLIMIT_NPROC, and the same float
        # sums in every run whatever the machine's core count.
        "TF_NUM_INTRAOP_THREADS": "1",
        "TF_NUM_INTEROP_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
    }


def phase_seconds(phase, limits):
    """The wall-clock limit of a phase: startup, import, or a check."""
    if phase in ("startup", "import"):
        return limits[phase + "_seconds"]
    return limits["check_seconds"]


def _deadline(phase, limits):
    return time.monotonic() + phase_seconds(phase, limits)


def _supervise(proc, read_fd, limits):
    """Collect messages until the child ends, or kill it at a phase's deadline."""
    messages, buffer, phase = [], b"", "startup"
    deadline = _deadline(phase, limits)
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return messages, phase, "timeout"
        ready, _, _ = select.select([read_fd], [], [], min(remaining, POLL_SECONDS))
        if not ready:
            # A forked grandchild may hold the pipe open after the child died.
            if proc.poll() is not None:
                return messages, phase, "finished" if phase == "done" else "ended"
            continue
        chunk = os.read(read_fd, 65536)
        if not chunk:
            return messages, phase, "finished" if phase == "done" else "ended"
        buffer += chunk
        *lines, buffer = buffer.split(b"\n")
        for line in lines:
            try:
                message = json.loads(line)
            except ValueError:
                return messages, phase, "garbled"
            if not isinstance(message, dict):
                return messages, phase, "garbled"
            messages.append(message)
            if "phase" in message or "done" in message:
                phase = message.get("phase", "done")
                deadline = _deadline(phase, limits)


def _kill_group(proc):
    """SIGKILL the child and everything it started in its process group."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def _tail(path, size=2000):
    try:
        with open(path, "rb") as handle:
            handle.seek(max(0, os.path.getsize(path) - size))
            return handle.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _prepare_workdir(submission, user):
    workdir = tempfile.mkdtemp(prefix="lecture1-grade-")
    shutil.copyfile(submission, os.path.join(workdir, SUBMISSION_FILE))
    open(os.path.join(workdir, OUTPUT_FILE), "wb").close()
    if user is not None:
        for path in (workdir, os.path.join(workdir, SUBMISSION_FILE),
                     os.path.join(workdir, OUTPUT_FILE)):
            os.chown(path, user["uid"], user["gid"])
    return workdir


def run_child(submission, checks, rubric, jobs=1):
    """Grade `checks` (ids) of one submission in a new child; returns ChildRun."""
    user = unprivileged_user()
    workdir = _prepare_workdir(submission, user)
    read_fd, write_fd = os.pipe()
    try:
        spec = dict(rubric.as_dict(), checks=list(checks), fd=write_fd, jobs=jobs)
        as_user = {} if user is None else dict(
            user=user["uid"], group=user["gid"], extra_groups=[])
        with open(os.path.join(workdir, OUTPUT_FILE), "wb") as output:
            proc = subprocess.Popen(
                [sys.executable, "-m", "graph_examples.grading.child",
                 json.dumps(spec)],
                cwd=workdir, env=child_environment(workdir), stdin=subprocess.DEVNULL,
                stdout=output, stderr=subprocess.STDOUT, pass_fds=(write_fd,),
                start_new_session=True, **as_user)
        os.close(write_fd)
        write_fd = None
        try:
            messages, phase, ending = _supervise(proc, read_fd, rubric.limits)
        finally:
            _kill_group(proc)
        return ChildRun(messages, phase, ending, proc.returncode,
                        _tail(os.path.join(workdir, OUTPUT_FILE)))
    finally:
        os.close(read_fd)
        if write_fd is not None:
            os.close(write_fd)
        shutil.rmtree(workdir, ignore_errors=True)
