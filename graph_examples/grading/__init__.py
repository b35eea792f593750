"""The grader for teaching staff: grade students' Lecture 1 exercises.

rubric.py    the checks and the TOML rubric that gives them points
checks.py    the checks themselves, run inside a grading child
label_cases  hand-picked rows either side of Ra_cr for the generator
child.py     a grading child: limits itself, imports one submission, checks
sandbox.py   starts and watches a child: folder, environment, deadlines
grader.py    children until every check has an outcome; --jobs in parallel
reports.py   grades.csv, feedback/<name>.md, the terminal summary
main.py      the lecture1-grade command
"""
