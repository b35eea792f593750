"""Both behaviours of each erratum in docs/errata.md, measured side by side.

Prints markdown tables (the cube in the label rule, sigmoid outputs as
logits, the testing slide's plot mapping and loop bound, the quadratic's
learning rate) and writes the testing slide's figure with both mappings.
"""

import numpy as np

from graph_examples import mantle_stability as mantle
from graph_examples import quadratic_fit
from graph_examples.cli import (add_mantle_flags, check_mantle_flags, choose_backend,
                                chosen_device, make_parser, note, prepare_out_dir,
                                publish_figure, run_main)
from graph_examples.representations import LECTURE_HIDDEN, train_and_represent
from graph_examples.tf1 import DEFAULT_SEED, seed_numpy, tf

INSTANCES = 100000  # modest: 50,000 test rows; the lecture ran 1,000,000
SLIDE_LOOP_ROWS = 10000  # page 31: range(max(len(test_set['input']), 10000))
# The smallest loss page 30's model can reach: a perfect sigmoid output (1, 0)
# taken as logits still gives softmax (e/(e+1), 1/(e+1)), so log(1 + 1/e).
LOSS_FLOOR = float(np.log1p(np.exp(-1.0)))


def lecture_network(cube="depth", output_activation=tf.nn.sigmoid, seed=DEFAULT_SEED,
                    instances=INSTANCES, split_rate=mantle.SPLIT_RATE,
                    steps=mantle.STEP_NUM, device="cpu"):
    """Page 27's data labelled with `cube`, page 28-30's network trained on it."""
    seed_numpy(seed)
    train_set, test_set = mantle.generate_data_set(instances, split_rate, echo=None,
                                                   cube=cube)
    result = train_and_represent(train_set, test_set, LECTURE_HIDDEN, seed=seed,
                                 steps=steps, output_activation=output_activation,
                                 device=device, echo=None)
    return mantle.label_counts(train_set, test_set), result


def on_their_side(result, mapping, points=mantle.PLOT_POINTS):
    """Share of plotted rows on their label's side of Ra_cr in that mapping."""
    rows = result.test_set["input"][:points]
    map_x, map_y = mantle.hand_crafted_representation(rows)
    if mapping == "slide":
        map_y = mantle.slide_rayleigh(rows)
    with np.errstate(divide="ignore", invalid="ignore"):
        above = map_y > mantle.critical_rayleigh(2 * np.pi / map_x)
    return float(np.mean(above == (result.test_set["label"][:points, 1] == 1)))


def slide_loop_outcome(test_rows):
    """What page 31's `for idx in range(max(n, 10000))` does with n test rows."""
    if test_rows < SLIDE_LOOP_ROWS:
        return "IndexError at row {}".format(test_rows)
    return "plots all {} rows".format(test_rows)


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    return lines + ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]


def measure(seed, steps, instances, split_rate, device, say=print):
    """Run every comparison; returns the lecture's run for the figures."""
    depth_counts, lecture = lecture_network("depth", seed=seed, instances=instances,
                                            split_rate=split_rate, steps=steps,
                                            device=device)
    thick_counts, thick = lecture_network("thickness", seed=seed, instances=instances,
                                          split_rate=split_rate, steps=steps,
                                          device=device)
    _, linear = lecture_network("depth", tf.identity, seed=seed, instances=instances,
                                split_rate=split_rate, steps=steps, device=device)
    tail = max(1, steps // 10)  # mean loss over the last tenth of the steps

    say("## Label rule: Ra cubes d (page 27) or b (page 33)\n")
    say("\n".join(table(["cube", "Stable", "UnStable", "test accuracy"], [
        ("depth d (lecture)", *depth_counts, "{:.4f}".format(lecture.accuracy)),
        ("thickness b (page 33)", *thick_counts, "{:.4f}".format(thick.accuracy))])))
    say("\n## Sigmoid outputs as logits (page 30)\n")
    say("\n".join(table(["pred layer", "mean loss, last tenth", "test accuracy"], [
        ("sigmoid (lecture)", "{:.4f}".format(lecture.losses[-tail:].mean()),
         "{:.4f}".format(lecture.accuracy)),
        ("linear logits", "{:.4f}".format(linear.losses[-tail:].mean()),
         "{:.4f}".format(linear.accuracy))])))
    say("\nlog(1 + 1/e) = {:.4f}: no sigmoid-as-logits loss goes lower.".format(
        LOSS_FLOOR))

    test_rows = len(lecture.test_set["input"])
    say("\n## Testing slide's plot (page 31)\n")
    say("\n".join(table(["mapping", "first 10000 test rows on their label's side"], [
        (mapping, "{:.4f}".format(on_their_side(lecture, mapping)))
        for mapping in mantle.MAPPINGS])))
    say("\nrange(max(n, 10000)) with n = {}: {}; ours takes min(n, 10000).".format(
        test_rows, slide_loop_outcome(test_rows)))

    say("\n## Quadratic learning rate (page 22, In [7])\n")
    rows = []
    for learning_rate in (quadratic_fit.LEARNING_RATE, 0.1):
        fit = quadratic_fit.run(seed=seed, steps=steps, learning_rate=learning_rate,
                                device=device, echo=None)
        rows.append((learning_rate, "{:.6g}".format(fit.losses[-1]),
                     "{:.2f} {:.2f} {:.2f}".format(*fit.coefficients)))
    say("\n".join(table(["learning rate", "loss at last step", "w0 w1 w2"], rows)))
    return lecture


def main(argv=None):
    parser = make_parser("errata.py", "docs/errata.md: each erratum's two behaviours, "
                         "measured.", training=True, figures=True)
    add_mantle_flags(parser)
    parser.set_defaults(instances=INSTANCES, out="lecture_output/errata")
    args = parser.parse_args(argv)

    def body():
        check_mantle_flags(args)
        prepare_out_dir(args.out)
        args.show = choose_backend(args.show)
        lecture = measure(args.seed, args.steps, args.instances, args.split_rate,
                          chosen_device(args.device))
        for mapping in mantle.MAPPINGS:
            figure = mantle.plot(lecture, mapping=mapping)
            name = "mantle_mapping_{}.png".format(mapping)
            note("wrote " + publish_figure(figure, args.out, name, args.show))

    return run_main(parser.prog, body)
