"""A grading child: confine itself, import one submission, run checks.

Started by sandbox.py as `python -m graph_examples.grading.child SPEC` in a
fresh temporary folder, with standard output and error going to a file there
and a pipe on which it reports, one JSON object a line:

    {"phase": "import"}                      importing the submission
    {"import": "failed", "feedback": "..."}  (only when it failed)
    {"phase": "<check id>"}                  a check starts
    {"check": "<id>", "passed": true, "feedback": "..."}
    {"done": true, "vm_peak_kb": ..., "threads": ...}

The parent enforces the time limits; this side sets the kernel limits on
itself, before TensorFlow or the submission is loaded.
"""

import errno
import importlib.util
import json
import os
import resource
import sys
import traceback

SUBMISSION_FILE = "submission.py"  # its name in the working folder
MODULE_NAME = "submission"

# Python-level ways of starting or signalling processes. RLIMIT_NPROC is the
# kernel's backstop for anything that gets past this (ctypes, C extensions).
FORBIDDEN_EVENTS = frozenset({
    "os.fork", "os.forkpty", "os.system", "os.posix_spawn", "os.exec",
    "subprocess.Popen", "os.kill", "os.killpg", "pty.spawn",
})


class ProcessForbidden(RuntimeError):
    """The submission tried to start or signal a process."""


class Channel:
    """JSON lines to the parent on an inherited pipe."""

    def __init__(self, fd):
        self.fd = fd

    def send(self, **message):
        data = (json.dumps(message, sort_keys=True) + "\n").encode("utf-8")
        while data:
            data = data[os.write(self.fd, data):]


# ------------------------------------------------------------- confinement
def tasks_of(uid):
    """Processes and threads the user has now (what RLIMIT_NPROC counts)."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/{}/status".format(entry)) as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
        except OSError:
            continue  # ended while we looked
        if int(fields["Uid"].split()[0]) == uid:
            total += int(fields["Threads"])
    return total


def _lower(kind, soft, hard=None):
    """Set a limit, never above the one we were given (that would fail)."""
    hard = soft if hard is None else hard
    _, current_hard = resource.getrlimit(kind)
    if current_hard != resource.RLIM_INFINITY:
        soft, hard = min(soft, current_hard), min(hard, current_hard)
    resource.setrlimit(kind, (soft, hard))


def apply_limits(limits, jobs):
    megabyte = 1024 * 1024
    _lower(resource.RLIMIT_AS, int(limits["memory_mb"] * megabyte))
    # SIGXCPU at the soft limit ends the process; the hard limit is a backstop.
    cpu = int(limits["cpu_seconds"])
    _lower(resource.RLIMIT_CPU, cpu, cpu + 5)
    _lower(resource.RLIMIT_FSIZE, int(limits["file_mb"] * megabyte))
    _lower(resource.RLIMIT_CORE, 0)
    # RLIMIT_NPROC counts every task of the user, threads included, so the limit
    # is what the user runs now plus room for each child grading at once.
    room = int(limits["processes"]) * max(1, jobs)
    _lower(resource.RLIMIT_NPROC, tasks_of(os.getuid()) + room)


def forbid_new_processes():
    def hook(event, args):
        if event in FORBIDDEN_EVENTS:
            raise ProcessForbidden(event)

    sys.addaudithook(hook)


def reset_output():
    """Empty the output file, so a flood in one check leaves room for the next."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except OSError:
            pass
    os.ftruncate(1, 0)
    os.lseek(1, 0, os.SEEK_SET)


# -------------------------------------------------------------- describing
def _line_in_submission(error):
    """The last line of the student's file in the error's traceback, or None."""
    line = None
    for frame, lineno in traceback.walk_tb(error.__traceback__):
        if frame.f_code.co_filename.endswith(SUBMISSION_FILE):
            line = lineno
    return line


def describe(error, limits):
    """One line for the feedback file: what went wrong, in plain words."""
    if isinstance(error, SystemExit):
        return "called sys.exit({!r})".format(error.code)
    if isinstance(error, MemoryError):
        return "ran out of memory (the grader allows {} MB of address space)".format(
            limits["memory_mb"])
    if isinstance(error, OSError) and error.errno == errno.EFBIG:
        return "wrote more than {} MB (printed output counts)".format(limits["file_mb"])
    if isinstance(error, ProcessForbidden):
        return "tried to start or signal a process ({}), which is not allowed".format(
            error)
    in_their_file = str(getattr(error, "filename", "")).endswith(SUBMISSION_FILE)
    if isinstance(error, SyntaxError) and in_their_file:
        return "{}: {} (line {} of your file)".format(
            type(error).__name__, error.msg, error.lineno)
    text = str(error).strip().splitlines()
    text = text[0] if text else ""
    text = text.replace(os.getcwd() + os.sep, "").replace(os.getcwd(), ".")
    if len(text) > 200:
        text = text[:200] + "..."
    where = _line_in_submission(error)
    suffix = " (line {} of your file)".format(where) if where else ""
    return "{}: {}{}".format(type(error).__name__, text, suffix)


# ----------------------------------------------------------------- running
def import_submission(tf, tf1):
    """The student's module, imported with tf and tf1 already in its namespace."""
    spec = importlib.util.spec_from_file_location(MODULE_NAME, SUBMISSION_FILE)
    module = importlib.util.module_from_spec(spec)
    module.tf, module.tf1 = tf, tf1  # TF1 mode is on before their first line runs
    sys.modules[MODULE_NAME] = module
    spec.loader.exec_module(module)
    return module


def run_check(check_id, student, settings, limits):
    from graph_examples.grading.checks import RUNNERS, Failed

    try:
        return True, RUNNERS[check_id](student, settings)
    except Failed as failure:
        return False, str(failure)
    except BaseException as error:  # noqa: B902 - sys.exit and floods included
        return False, describe(error, limits)


def resource_use():
    """Peak address space (kB) and current threads, from /proc/self/status."""
    with open("/proc/self/status") as status:
        fields = dict(line.split(":", 1) for line in status if ":" in line)
    return int(fields["VmPeak"].split()[0]), int(fields["Threads"])


def main(argv):
    spec = json.loads(argv[1])
    channel = Channel(spec["fd"])
    apply_limits(spec["limits"], spec["jobs"])

    # Loads TensorFlow in TF1 mode: the slow part the parent calls "startup".
    from graph_examples.grading.checks import Student
    from graph_examples.tf1 import tf, tf1

    forbid_new_processes()
    channel.send(phase="import")
    try:
        student = Student(import_submission(tf, tf1))
    except BaseException as error:  # noqa: B902 - a submission may raise anything
        channel.send(**{"import": "failed",
                        "feedback": describe(error, spec["limits"])})
        os._exit(0)

    for check_id in spec["checks"]:
        reset_output()
        channel.send(phase=check_id)
        passed, feedback = run_check(check_id, student, spec["settings"],
                                     spec["limits"])
        channel.send(check=check_id, passed=passed, feedback=feedback)
    peak, threads = resource_use()
    channel.send(done=True, vm_peak_kb=peak, threads=threads)

    # os._exit skips whatever atexit handlers or threads the submission left.
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv)
