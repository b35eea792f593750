"""The main job's markdown report: each of our numbers beside the lecture's."""

import datetime
import os
import platform

# What the lecture printed (../shared/lecture facts; its runs were unseeded).
LECTURE = {
    "hello": ['Tensor("Const:0", shape=(), dtype=string)', "b'Hello, TensorFlow!'"],
    "multiply": ['Tensor("random_normal:0", shape=(3, 3), dtype=float32)',
                 'Tensor("random_normal_1:0", shape=(3, 3), dtype=float32)',
                 'Tensor("MatMul:0", shape=(3, 3), dtype=float32)'],
    "quadratic_losses": {0: "2060689.375", 1000: "1881029.25", 5000: "201219.46875",
                         10000: "47986.7421875", 15000: "4134.412109375",
                         20000: "0.029617290943861008"},
    "quadratic_fit": (5.00, 14.30, 8.86),
    "counts": (574480, 425520),  # the notebook's 1,000,000-row run
    "mantle_loss": {0: "0.693", 20000: "about 0.35"},  # the notebook's run
    "accuracy": "0.9589059948921204",  # page 31 (the notebook's run: 0.965)
}

# The slide each figure re-draws, and its section of the lecture map.
FIGURE_SLIDES = {"quadratic_fit.png": ("page 23, In [11]", "page-23"),
                 "mantle_stability.png": ("page 31, In [24], with page 33's curve",
                                          "page-31")}
# The map in a checkout; an installed package has no docs/ beside it.
LECTURE_MAP = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                           "docs", "lecture_map.md")


def _row(*cells):
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def _hello(result):
    lines = ["## Hello World (page 20)", "", _row("lecture", "ours"), _row("---", "---")]
    lines += [_row("`{}`".format(a), "`{}`".format(b))
              for a, b in zip(LECTURE["hello"], result.lines)]
    return lines


def _multiply(result):
    lines = ["## Multiply two matrices (page 21)", "",
             _row("lecture", "ours"), _row("---", "---")]
    ours = result.lines[0].split("\n")
    lines += [_row("`{}`".format(a), "`{}`".format(b))
              for a, b in zip(LECTURE["multiply"], ours)]
    lines += ["", "Our product (random values; the lecture's were unseeded):", "",
              "```", result.lines[1], "```"]
    return lines


def _quadratic(result, out_dir):
    lines = ["## Approximate a quadratic function (pages 22-23)", "",
             _row("step", "lecture loss_val", "our loss_val"), _row("---:", "---:", "---:")]
    for data in result.inspect_list:
        step = data["step"]
        lines.append(_row(step, LECTURE["quadratic_losses"].get(step, "-"),
                          "{}".format(result.losses[step])))
    lines += ["", _row("", "w0 (x^2)", "w1 (x)", "w2 (1)"), _row("---", "---:", "---:", "---:"),
              _row("truth", 5.0, 14.3, 8.9),
              _row("lecture, step 20000", *("{:.2f}".format(c) for c in LECTURE["quadratic_fit"])),
              _row("ours, step {}".format(result.inspect_list[-1]["step"]),
                   *("{:.2f}".format(c) for c in result.coefficients))]
    return lines + _figure("quadratic_fit.png", out_dir)


def _mantle(result, out_dir):
    last = len(result.losses) - 1
    lines = ["## Classifying the stability of the mantle (pages 26-33)", "",
             _row("", "lecture", "ours"), _row("---", "---:", "---:"),
             _row("Stable", LECTURE["counts"][0], result.counts[0]),
             _row("UnStable", LECTURE["counts"][1], result.counts[1]),
             _row("loss at step 0", LECTURE["mantle_loss"][0], result.losses[0]),
             _row("loss at step {}".format(last), LECTURE["mantle_loss"][20000],
                  result.losses[last]),
             _row("test accuracy", LECTURE["accuracy"], result.accuracy)]
    return lines + _figure("mantle_stability.png", out_dir)


def _figure(name, out_dir):
    """The figure, and a link to its slide's part of the map, seen from out_dir."""
    slide, anchor = FIGURE_SLIDES[name]
    if not os.path.exists(LECTURE_MAP):
        return ["", "![{0}]({0}) (re-draws {1})".format(name, slide)]
    link = os.path.relpath(LECTURE_MAP, os.path.abspath(out_dir)).replace(os.sep, "/")
    return ["", "![{0}]({0}) (re-draws [{1}]({2}#{3}))".format(name, slide, link,
                                                               anchor)]


def render(results, settings, seconds, out_dir):
    """The report as markdown text.

    results: {'hello', 'multiply', 'quadratic', 'mantle'} -> each run()'s result.
    settings: the flags the job ran with. seconds: {name: wall time}.
    out_dir: where the report goes, so its links to the docs resolve.
    """
    import tensorflow as tf

    lines = ["# Lecture 1, run again on tf.compat.v1", "",
             "Run {} with TensorFlow {} on Python {}.".format(
                 datetime.date.today().isoformat(), tf.__version__,
                 platform.python_version()),
             "Settings: " + ", ".join("{}={}".format(k, v) for k, v in settings.items()),
             ""]
    lines += _hello(results["hello"]) + [""]
    lines += _multiply(results["multiply"]) + [""]
    lines += _quadratic(results["quadratic"], out_dir) + [""]
    lines += _mantle(results["mantle"], out_dir) + [""]
    lines += ["## Run times", "", _row("program", "seconds"), _row("---", "---:")]
    lines += [_row(name, "{:.1f}".format(value)) for name, value in seconds.items()]
    return "\n".join(lines) + "\n"
