"""Check docs/lecture_map.md against the code, and move its line numbers.

Each mapping in the map reads, inside one table row,

    [layers/full_connection.py:L38](../layers/full_connection.py#L38) | `get_variable`

(or `:L169-L172` for a range): the file and lines that do a lecture line,
and an identifier that must stand on the first line of the range. `check`
lists every mapping whose file, lines or identifier no longer agree;
`refresh` moves each stale range to the identifier's nearest occurrence
(in the same file, else its one occurrence anywhere in the package), so
the map follows the code after a refactor.

    python scripts/check_lecture_map.py          # check, exit 1 on any problem
    python scripts/check_lecture_map.py --fix    # rewrite line numbers in place
"""

import dataclasses
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAP = os.path.join(ROOT, "docs", "lecture_map.md")
SEARCHED = ("graph_examples", "layers")  # where a vanished identifier may have gone

ENTRY = re.compile(r"\[(?P<path>[^\]:\s]+):L(?P<a>\d+)(?:-L(?P<b>\d+))?\]"
                   r"\(\.\./(?P<href>[^)#\s]+)#L(?P<ha>\d+)(?:-L(?P<hb>\d+))?\)"
                   r"\s*\|\s*`(?P<ident>[^`]+)`")
# Anything that looks like a location, so a malformed entry cannot hide.
LOCATION = re.compile(r"[\w/]+\.py:L\d+")


@dataclasses.dataclass
class Entry:
    line_no: int  # line of the map
    path: str  # relative to the repository root
    start: int
    end: int
    ident: str
    text: str  # the matched text, to rewrite in place


def parse(text):
    """(entries, problems): every mapping in the map, and malformed ones."""
    entries, problems = [], []
    for line_no, line in enumerate(text.splitlines(), start=1):
        found = list(ENTRY.finditer(line))
        for match in found:
            start = int(match["a"])
            end = int(match["b"] or start)
            href_end = int(match["hb"] or match["ha"])
            link = (match["href"], int(match["ha"]), href_end)
            if link != (match["path"], start, end):
                problems.append("map line {}: link {}#L{} does not match its text {}"
                                .format(line_no, match["href"], match["ha"],
                                        match["path"]))
            entries.append(Entry(line_no, match["path"], start, end, match["ident"],
                                 match.group(0)))
        if len(LOCATION.findall(line)) != len(found):
            problems.append("map line {}: a location is not in the form [path:La-Lb]"
                            "(../path#La-Lb) | `identifier`".format(line_no))
    return entries, problems


def _read_lines(path):
    full = os.path.join(ROOT, path)
    if not os.path.isfile(full):
        return None
    with open(full, encoding="utf-8") as handle:
        return handle.read().splitlines()


def problem(entry):
    """Why `entry` no longer holds, or None when it does."""
    lines = _read_lines(entry.path)
    if lines is None:
        return "{} does not exist".format(entry.path)
    if not 1 <= entry.start <= entry.end <= len(lines):
        return "{}:L{}-L{} is outside its {} lines".format(
            entry.path, entry.start, entry.end, len(lines))
    if entry.ident not in lines[entry.start - 1]:
        return "{}:L{} does not hold `{}`".format(entry.path, entry.start, entry.ident)
    return None


def check(text):
    """Every problem with the map `text`, one line each; [] when all hold."""
    entries, problems = parse(text)
    for entry in entries:
        why = problem(entry)
        if why:
            problems.append("map line {}: {}".format(entry.line_no, why))
    return problems


def _occurrences(path, ident):
    lines = _read_lines(path) or []
    return [number for number, line in enumerate(lines, start=1) if ident in line]


def _package_files():
    for folder in SEARCHED:
        for base, _, names in os.walk(os.path.join(ROOT, folder)):
            for name in sorted(names):
                if name.endswith(".py"):
                    yield os.path.relpath(os.path.join(base, name), ROOT)


def relocate(entry):
    """(path, start, end) where `entry` holds now, or a str saying why not."""
    if problem(entry) is None:
        return entry.path, entry.start, entry.end
    span = entry.end - entry.start
    nearby = _occurrences(entry.path, entry.ident)
    if nearby:
        start = min(nearby, key=lambda number: (abs(number - entry.start), number))
        return entry.path, start, start + span

    # Gone from its file: follow it only if exactly one place has it now.
    elsewhere = [(path, number) for path in _package_files()
                 for number in _occurrences(path, entry.ident)]
    if len(elsewhere) == 1:
        path, start = elsewhere[0]
        return path, start, start + span
    return "`{}` {} ; fix this entry by hand".format(
        entry.ident, "is in no file" if not elsewhere else
        "is in {} places".format(len(elsewhere)))


def location(path, start, end):
    lines = "L{}".format(start) if start == end else "L{}-L{}".format(start, end)
    return "[{0}:{1}](../{0}#{1})".format(path, lines)


def refresh(text):
    """(new text, notes): each stale entry moved where its identifier is now."""
    entries, problems = parse(text)
    lines = text.splitlines(keepends=True)
    notes = list(problems)
    for entry in entries:
        where = relocate(entry)
        if isinstance(where, str):
            notes.append("map line {}: {}".format(entry.line_no, where))
            continue
        if where == (entry.path, entry.start, entry.end):
            continue
        new = ENTRY.sub(lambda m: "{} | `{}`".format(location(*where), m["ident"]),
                        entry.text)
        lines[entry.line_no - 1] = lines[entry.line_no - 1].replace(entry.text, new, 1)
        notes.append("map line {}: `{}` {}:L{} -> {}:L{}".format(
            entry.line_no, entry.ident, entry.path, entry.start, where[0], where[1]))
    return "".join(lines), notes


def main(argv=None):
    from graph_examples.cli import Parser
    from graph_examples.output import write_text

    parser = Parser(prog="check_lecture_map.py",
                    description="Check docs/lecture_map.md against the code.")
    parser.add_argument("--fix", action="store_true",
                        help="move stale line numbers to where each identifier is now")
    parser.add_argument("--map", default=MAP, help="the map (default %(default)s)")
    args = parser.parse_args(argv)
    try:
        with open(args.map, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as error:
        print("{}: error: {}".format(parser.prog, error), file=sys.stderr)
        return 2

    if args.fix:
        text, notes = refresh(text)
        write_text(args.map, text)
        for note in notes:
            print(note)
    problems = check(text)
    for line in problems:
        print(line, file=sys.stderr)
    entries, _ = parse(text)
    print("{} mappings, {} problems".format(len(entries), len(problems)))
    return 1 if problems else 0
