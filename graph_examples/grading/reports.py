"""What the grader writes: the CSV, a feedback file each, the terminal summary.

Nothing here depends on the clock, the machine or the order children ended,
so grading the same files with the same rubric writes the same bytes.
"""

import csv
import io
import os

from graph_examples.grading.rubric import CHECK_BY_ID
from graph_examples.output import write_text

CSV_FILE = "grades.csv"
FEEDBACK_FOLDER = "feedback"


def points_text(value):
    """2 and 2.0 both as '2', 1.5 as '1.5'."""
    return "{:g}".format(value)


def csv_text(grades, rubric):
    """One row per submission, one column per check, then total and status."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    ids = [check.id for check in rubric.checks]
    writer.writerow(["submission"] + ids + ["total", "max", "status"])
    for grade in grades:
        writer.writerow([grade.name]
                        + [points_text(grade.outcomes[check].points) for check in ids]
                        + [points_text(grade.total), points_text(rubric.total),
                           grade.status])
    return buffer.getvalue()


def feedback_markdown(grade, rubric):
    """The student's feedback: score, then one line per check."""
    lines = ["# Feedback on {}.py".format(grade.name), "",
             "Score: {} of {}".format(points_text(grade.total),
                                      points_text(rubric.total)), ""]
    if grade.note:
        lines += ["**{}:** {}".format(grade.status.capitalize(), grade.note), ""]
    lines += ["| check | points | result |", "| --- | --- | --- |"]
    for check_id, outcome in grade.outcomes.items():
        lines.append("| {} | {} / {} | {} |".format(
            check_id, points_text(outcome.points), points_text(rubric.points[check_id]),
            "passed" if outcome.passed else "failed"))
    lines.append("")
    for check_id, outcome in grade.outcomes.items():
        info = CHECK_BY_ID[check_id]
        lines.append("- **{}** ({}: {}): {}".format(
            check_id, info.uses, info.what,
            _escape(outcome.feedback) if outcome.feedback else "no feedback"))
    return "\n".join(lines) + "\n"


def _escape(text):
    """Keep a student's error text from turning into markdown."""
    return text.replace("|", "\\|").replace("\n", " ")


SUMMARY_DETAIL = 100  # characters of a summary line's detail; the CSV has all


def _clipped(text):
    """`text` cut to SUMMARY_DETAIL characters, marked where it was cut."""
    if len(text) <= SUMMARY_DETAIL:
        return text
    return text[:SUMMARY_DETAIL - 1].rstrip(", ") + "…"


def summary_lines(grades, rubric):
    """The terminal summary: a line per submission and one for the whole run."""
    width = max([len(grade.name) for grade in grades] + [10])
    lines = ["{:<{w}}  {:>9}  {}".format("submission", "score", "lost points in",
                                         w=width)]
    for grade in grades:
        lost = [check for check, outcome in grade.outcomes.items()
                if not outcome.passed]
        if grade.status != "graded":
            detail = "{}: {}".format(grade.status, grade.note)
        else:
            detail = ", ".join(lost) or "-"
        score = "{}/{}".format(points_text(grade.total), points_text(rubric.total))
        lines.append("{:<{w}}  {:>9}  {}".format(grade.name, score, _clipped(detail),
                                                 w=width))
    full = sum(1 for grade in grades if grade.total == rubric.total)
    mean = sum(grade.total for grade in grades) / len(grades)
    lines.append("{} submissions: {} with full marks, mean {:.1f} of {}".format(
        len(grades), full, mean, points_text(rubric.total)))
    return lines


def write_reports(out_dir, grades, rubric):
    """Write the CSV and the feedback files atomically; returns their paths."""
    folder = os.path.join(out_dir, FEEDBACK_FOLDER)
    os.makedirs(folder, exist_ok=True)
    written = []
    for grade in grades:
        path = os.path.join(folder, grade.name + ".md")
        write_text(path, feedback_markdown(grade, rubric))
        written.append(path)
    # The CSV last: when it is there, so is every feedback file it lists.
    path = os.path.join(out_dir, CSV_FILE)
    write_text(path, csv_text(grades, rubric))
    return [path] + written
