"""lecture1-grade: grade students' Lecture 1 exercises against the reference.

    lecture1-grade examples/submissions --jobs 2 --out grading_output

writes grading_output/grades.csv and grading_output/feedback/<name>.md, and
prints a summary. See README.md, "For teaching staff".
"""

import glob
import os
import sys

from graph_examples.cli import (EXIT_FAILED, EXIT_INTERRUPTED, EXIT_USAGE, Parser,
                                UsageError, note, positive_int, prepare_out_dir)
from graph_examples.grading.grader import grade_all
from graph_examples.grading.reports import summary_lines, write_reports
from graph_examples.grading.rubric import RubricError, load_rubric

PROG = "lecture1-grade"


def make_parser():
    parser = Parser(prog=PROG, description="Grade Lecture 1 submissions (.py files, "
                    "or folders of them) against the reference implementation.")
    parser.add_argument("submissions", nargs="+", metavar="SUBMISSION",
                        help="a student's .py file, or a folder of them")
    parser.add_argument("--rubric", default=None,
                        help="TOML file laid over the default rubric (points, "
                             "settings, limits)")
    parser.add_argument("--out", default="grading_output",
                        help="folder for grades.csv and feedback/ (default "
                             "%(default)s)")
    parser.add_argument("--jobs", type=positive_int, default=1,
                        help="submissions graded at once (default %(default)s)")
    return parser


def collect_submissions(arguments):
    """The .py files named, and those directly inside the folders named, sorted."""
    paths = []
    for argument in arguments:
        if os.path.isdir(argument):
            found = sorted(glob.glob(os.path.join(argument, "*.py")))
            if not found:
                raise UsageError("folder {} holds no .py files".format(argument))
            paths += found
        elif os.path.isfile(argument) and argument.endswith(".py"):
            paths.append(argument)
        elif os.path.exists(argument):
            raise UsageError("{} is not a .py file or a folder".format(argument))
        else:
            raise UsageError("{} does not exist".format(argument))

    # Names key the CSV rows and feedback files, so they must be unique.
    seen = {}
    for path in paths:
        name = os.path.splitext(os.path.basename(path))[0]
        if name in seen and os.path.abspath(seen[name]) != os.path.abspath(path):
            raise UsageError("{} and {} have the same name; rename one".format(
                seen[name], path))
        seen[name] = path
    return list(seen.values())


def report_progress(grade):
    note("graded {} in {:.1f} s ({} processes)".format(
        grade.name, grade.seconds, grade.children))


def main(argv=None):
    parser = make_parser()
    args = parser.parse_args(argv)

    # NOTE: not cli.run_main, which imports TensorFlow for DeviceError; this
    # parent only supervises children, so it stays free of TensorFlow.
    try:
        rubric = load_rubric(args.rubric)
        paths = collect_submissions(args.submissions)
        prepare_out_dir(args.out)
        grades = grade_all(paths, rubric, args.jobs, progress=report_progress)
        written = write_reports(args.out, grades, rubric)
    except (UsageError, RubricError) as error:
        print("{}: error: {}".format(PROG, error), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("{}: interrupted; files already written are complete".format(PROG),
              file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as error:
        print("{}: error: {}".format(PROG, error), file=sys.stderr)
        return EXIT_FAILED

    print("\n".join(summary_lines(grades, rubric)))
    note("wrote {} and {} feedback files".format(written[0], len(written) - 1))
    return 0
