"""docs/lecture_map.md: every mapped line still holds what the map says."""

import pathlib
import re

import pytest

from graph_examples import lecture_map, report

DOCS = pathlib.Path(lecture_map.ROOT) / "docs"
CODE_PAGES = (19, 20, 21, 22, 23, 27, 28, 29, 30, 31, 32, 33)


def slug(heading):
    """GitHub's anchor for a markdown heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    return {slug(line.lstrip("#")) for line in lines if line.startswith("#")}


@pytest.fixture(scope="module")
def map_text():
    return (DOCS / "lecture_map.md").read_text(encoding="utf-8")


def test_every_mapping_holds(map_text):
    assert lecture_map.check(map_text) == []


def test_every_code_page_has_a_section_with_mappings(map_text):
    entries, _ = lecture_map.parse(map_text)
    assert len(entries) > 150
    sections = re.split(r"^## ", map_text, flags=re.M)
    for page in CODE_PAGES:
        section = next(s for s in sections if s.startswith("Page {}\n".format(page)))
        assert lecture_map.ENTRY.search(section), "page {} maps nothing".format(page)


def test_links_to_errata_and_pages_resolve(map_text):
    errata = anchors(DOCS / "errata.md")
    for target in re.findall(r"\(errata\.md#([^)]+)\)", map_text):
        assert target in errata, target
    pages = anchors(DOCS / "lecture_map.md")
    for target in re.findall(r"\]\(#([^)]+)\)", map_text):
        assert target in pages, target


def test_report_figures_link_to_their_map_section():
    pages = anchors(DOCS / "lecture_map.md")
    for name, (_, anchor) in report.FIGURE_SLIDES.items():
        assert anchor in pages

        # Seen from the default lecture_output/ and from a folder elsewhere.
        assert "(../docs/lecture_map.md#{})".format(anchor) in report._figure(
            name, str(DOCS.parent / "lecture_output"))[1]
        assert "(../../docs/lecture_map.md#{})".format(anchor) in report._figure(
            name, str(DOCS.parent / "runs" / "today"))[1]


def shifted(map_text, ident, by):
    """The map with `ident`'s entry moved `by` lines, text and link alike."""
    entries, _ = lecture_map.parse(map_text)
    entry = next(e for e in entries if e.ident == ident)
    moved = lecture_map.location(entry.path, entry.start + by, entry.end + by)
    return map_text.replace(entry.text, "{} | `{}`".format(moved, ident), 1), entry


def test_check_names_a_line_that_no_longer_holds_its_identifier(map_text):
    stale, entry = shifted(map_text, "def get_traning_batch(", 3)
    problems = lecture_map.check(stale)
    assert problems == ["map line {}: {}:L{} does not hold `def get_traning_batch(`"
                        .format(entry.line_no, entry.path, entry.start + 3)]


def test_fix_moves_stale_lines_back_to_their_identifier(map_text):
    stale, _ = shifted(map_text, "def get_traning_batch(", 3)
    stale, _ = shifted(stale, "x = tf1.random_normal(SHAPE)", -2)
    fixed, notes = lecture_map.refresh(stale)
    assert fixed == map_text
    assert len(notes) == 2


def test_fix_follows_an_identifier_into_its_one_new_file():
    line = ("| x | `y` | [graph_examples/hello_world.py:L3-L4]"
            "(../graph_examples/hello_world.py#L3-L4) | `def stacked_inference(` | |\n")
    fixed, notes = lecture_map.refresh(line)
    assert "graph_examples/representations.py:L" in fixed and "-L" in fixed
    assert lecture_map.check(fixed) == []
    assert "-> graph_examples/representations.py" in notes[0]


def test_fix_leaves_an_ambiguous_identifier_to_a_person():
    line = ("| x | `y` | [graph_examples/gone.py:L3](../graph_examples/gone.py#L3)"
            " | `plt.legend()` | |\n")
    fixed, notes = lecture_map.refresh(line)
    assert fixed == line
    assert "fix this entry by hand" in notes[0]


def test_malformed_entries_are_reported_not_skipped():
    wrong_link = ("| [graph_examples/tf1.py:L3](../graph_examples/tf1.py#L4) | `x` |")
    no_ident = "| [graph_examples/tf1.py:L3](../graph_examples/tf1.py#L3) | x |"
    assert "does not match its text" in lecture_map.parse(wrong_link)[1][0]
    assert "is not in the form" in lecture_map.parse(no_ident)[1][0]


def test_script_checks_the_real_map(capsys):
    assert lecture_map.main([]) == 0
    assert capsys.readouterr().out.endswith(" mappings, 0 problems\n")
