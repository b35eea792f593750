"""Grade submissions: run children until every check has an outcome.

A child that hangs or dies takes with it only the phase it was in. If that
was a check, the check scores 0, so do the other checks of the same student
function (calling it again would hang or crash again), and a new child goes
on with the rest. If it was the import, every check scores 0.
"""

import concurrent.futures
import dataclasses
import os
import signal
import time

from graph_examples.grading.rubric import CHECK_BY_ID
from graph_examples.grading.sandbox import phase_seconds, run_child

GRADED, IMPORT_FAILED, GRADER_ERROR = "graded", "import failed", "grader error"


@dataclasses.dataclass
class Outcome:
    passed: bool
    points: float
    feedback: str


@dataclasses.dataclass
class Grade:
    name: str  # the file's name without .py: the CSV row and feedback file
    path: str
    status: str  # GRADED, IMPORT_FAILED or GRADER_ERROR
    note: str  # why the import failed or the grader could not start; else ""
    outcomes: dict  # check id -> Outcome, in the rubric's order
    children: int  # grading processes it took (not written: timing detail)
    seconds: float  # wall-clock time it took (not written, so reruns match)
    resources: dict  # the last child's {"vm_peak_kb", "threads"}, when it finished

    @property
    def total(self):
        return sum(outcome.points for outcome in self.outcomes.values())


def what_happened(run, limits):
    """One line on how a child that did not finish ended."""
    if run.ending == "timeout":
        return "did not finish within {:g} s".format(phase_seconds(run.phase, limits))
    if run.ending == "garbled":
        return "wrote something the grader could not read to its result channel"
    if run.returncode >= 0:
        return ("ended the grading process (exit status {}), e.g. with os._exit()"
                .format(run.returncode))
    signum = -run.returncode
    if signum == signal.SIGXCPU:
        return "used more than {:g} s of CPU time".format(limits["cpu_seconds"])
    if signum == signal.SIGSEGV:
        return "crashed the process (segmentation fault)"
    if signum == signal.SIGABRT:
        return "aborted the process (SIGABRT, e.g. TensorFlow out of memory or threads)"
    return "was ended by signal {}".format(signal.Signals(signum).name)


def _fail(feedback):
    return Outcome(passed=False, points=0, feedback=feedback)


def _record(run, rubric, outcomes):
    """Put the child's check results into outcomes; return its import failure."""
    import_failure = None
    for message in run.messages:
        if "check" in message and message["check"] in CHECK_BY_ID:
            passed = bool(message.get("passed"))
            points = rubric.points[message["check"]] if passed else 0
            outcomes[message["check"]] = Outcome(passed, points,
                                                 str(message.get("feedback", "")))
        elif message.get("import") == "failed":
            import_failure = str(message.get("feedback", ""))
    return import_failure


def _resources(run):
    """What a finished child said it used: {"vm_peak_kb": ..., "threads": ...}."""
    for message in run.messages:
        if "done" in message:
            return {key: value for key, value in message.items() if key != "done"}
    return {}


def _charge(run, rubric, pending, outcomes):
    """Zero the check the child was in when it died, and its function's others."""
    culprit = run.phase if run.phase in pending and run.phase not in outcomes \
        else next(check for check in pending if check not in outcomes)
    uses = CHECK_BY_ID[culprit].uses
    happened = what_happened(run, rubric.limits)
    outcomes[culprit] = _fail("your {} {}".format(uses, happened))
    for check in pending:
        if check not in outcomes and CHECK_BY_ID[check].uses == uses:
            outcomes[check] = _fail("not run: your {} {} in {}".format(
                uses, happened, culprit))


def grade_submission(path, rubric, jobs=1):
    """Grade one .py file; never raises for anything the submission does."""
    started = time.monotonic()
    outcomes, status, note, children, resources = {}, GRADED, "", 0, {}
    pending = [check.id for check in rubric.checks]
    while any(check not in outcomes for check in pending):
        todo = [check for check in pending if check not in outcomes]
        run = run_child(path, todo, rubric, jobs)
        children += 1
        import_failure = _record(run, rubric, outcomes)
        resources = _resources(run) or resources
        if import_failure is not None or run.phase == "import":
            status = IMPORT_FAILED
            note = import_failure or "importing your file " + what_happened(
                run, rubric.limits)
            break
        if run.phase == "startup":
            status = GRADER_ERROR
            note = "the grading process could not start: {}; its last output: " \
                "{}".format(what_happened(run, rubric.limits),
                            run.output_tail.strip()[-500:])
            break
        if any(check not in outcomes for check in todo):
            _charge(run, rubric, todo, outcomes)

    for check in pending:
        if check not in outcomes:
            outcomes[check] = _fail("not run: " + status)
    ordered = {check: outcomes[check] for check in pending}
    name = os.path.splitext(os.path.basename(path))[0]
    return Grade(name, path, status, note, ordered, children,
                 time.monotonic() - started, resources)


def grade_all(paths, rubric, jobs=1, progress=None):
    """Grade every path, `jobs` at a time; results in the order of `paths`."""
    def one(path):
        grade = grade_submission(path, rubric, jobs)
        if progress is not None:
            progress(grade)
        return grade

    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(one, paths))
