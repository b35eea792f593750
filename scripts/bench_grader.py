"""Measure the grader: what TensorFlow takes in a grading child, and --jobs.

    python scripts/bench_grader.py [--rounds N]

Prints the address space and threads the reference's grading child used
against the sandbox's limits, and the wall time to grade the same four
submissions with --jobs 1 and --jobs 2, side by side in one run.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from graph_examples.grading.grader import grade_all  # noqa: E402
from graph_examples.grading.rubric import load_rubric  # noqa: E402

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "examples", "submissions")
SUBMISSIONS = ["reference", "slide_style", "vectorised", "wrong_activation"]


def timed_grading(paths, rubric, jobs):
    start = time.perf_counter()
    grades = grade_all(paths, rubric, jobs=jobs)
    return time.perf_counter() - start, grades


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1,
                        help="repeat each timing this many times; report the best")
    args = parser.parse_args()
    rubric = load_rubric()
    paths = [os.path.join(EXAMPLES, name + ".py") for name in SUBMISSIONS]

    best = {}
    for _ in range(args.rounds):
        for jobs in (1, 2):
            seconds, grades = timed_grading(paths, rubric, jobs)
            best[jobs] = min(seconds, best.get(jobs, seconds))

    used = grades[0].resources
    limits = rubric.limits
    print("reference's grading child: peak address space {:.0f} MB of {} MB "
          "allowed ({:.0%}), {} threads at the end, room for {} per child".format(
              used["vm_peak_kb"] / 1024, limits["memory_mb"],
              used["vm_peak_kb"] / 1024 / limits["memory_mb"], used["threads"],
              limits["processes"]))
    print("{} submissions: --jobs 1 {:.1f} s, --jobs 2 {:.1f} s, ratio {:.2f} "
          "({} cores)".format(len(paths), best[1], best[2], best[1] / best[2],
                              os.cpu_count()))


if __name__ == "__main__":
    main()
