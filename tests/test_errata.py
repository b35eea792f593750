"""docs/errata.md: both behaviours of each erratum, checked against references."""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from graph_examples import errata  # noqa: E402
from graph_examples import mantle_stability as mantle  # noqa: E402
from graph_examples.tf1 import fresh_graph, make_session, seed_numpy, tf  # noqa: E402


def slide_labels(inputs, cube):
    """Page 27's label loop, literally, cubing d (as printed) or page 33's b."""
    unstable = []
    for row in inputs:
        g, a, v, k = row[0] * 10, row[1], row[2] * 1000, row[3] * 10000
        d, b, lam, dT = row[4] * 10000, row[5] * 10000, row[6] * 10000, row[7] * 1000
        length = d if cube == "depth" else b
        Ra = (a * g * dT * (length**3)) / (v * k)
        Racr = (np.pi**4 * ((4 + (lam / b) ** 2) ** 3)) / (4 * ((lam / b) ** 4))
        unstable.append(Ra > Racr)
    return np.array(unstable)


@pytest.fixture(scope="module")
def rows():
    seed_numpy(7)
    return mantle.simulate_inputs(3000)


@pytest.mark.parametrize("cube", ["depth", "thickness"])
def test_labels_follow_the_literal_loop_for_either_cube(rows, cube):
    labels = mantle.label_inputs(rows, cube=cube)
    np.testing.assert_array_equal(labels[:, 1] == 1, slide_labels(rows, cube))
    np.testing.assert_array_equal(labels.sum(axis=1), 1)


def test_cubing_thickness_only_ever_turns_rows_unstable(rows):
    # Page 27 draws b from (max(0.25, d), 0.35), so b >= d and Ra_b >= Ra_d.
    by_depth = mantle.label_inputs(rows)[:, 1] == 1
    by_thickness = mantle.label_inputs(rows, cube="thickness")[:, 1] == 1
    assert np.all(by_thickness[by_depth])
    assert by_thickness.sum() > by_depth.sum()


def test_cube_changes_labels_not_rows():
    seed_numpy(2)
    depth = mantle.generate_data_set(1000, 0.5, echo=None)
    seed_numpy(2)
    thickness = mantle.generate_data_set(1000, 0.5, echo=None, cube="thickness")
    for a, b in zip(depth, thickness):
        np.testing.assert_array_equal(a["input"], b["input"])


def test_unknown_cube_is_refused(rows):
    with pytest.raises(ValueError, match="cube must be one of depth, thickness"):
        mantle.rayleigh_number(rows, cube="width")


def test_slide_scalings_put_ra_a_thousand_times_too_low(rows):
    np.testing.assert_allclose(mantle.slide_rayleigh(rows) * 1000,
                               mantle.rayleigh_number(rows), rtol=1e-12)


class FakeResult:
    """What plot() reads: a test set and the network's outputs."""

    def __init__(self, inputs):
        self.test_set = {"input": inputs, "label": mantle.label_inputs(inputs)}
        self.test_pred = self.test_set["label"].astype(np.float32)


def test_consistent_mapping_puts_every_row_on_its_label_side(rows):
    assert errata.on_their_side(FakeResult(rows), "consistent") == 1.0
    assert errata.on_their_side(FakeResult(rows), "slide") < 0.8


def test_slide_mapping_draws_the_slide_axes(rows):
    figure = mantle.plot(FakeResult(rows), mapping="slide")
    ax = figure.axes[0]
    shown_y = np.concatenate([c.get_offsets()[:, 1] for c in ax.collections])
    size, scale = tuple(figure.get_size_inches()), ax.get_yscale()
    plt.close(figure)
    assert size == (4, 8) and scale == "linear"
    assert shown_y.max() <= mantle.SLIDE_RA_LIMIT


def test_consistent_mapping_is_the_default(rows):
    figure = mantle.plot(FakeResult(rows))
    scale = figure.axes[0].get_yscale()
    plt.close(figure)
    assert scale == "log"
    with pytest.raises(ValueError, match="mapping must be one of"):
        mantle.plot(FakeResult(rows), mapping="other")


def test_slide_loop_bound_fails_below_ten_thousand_rows(rows):
    with pytest.raises(IndexError):
        for idx in range(max(len(rows), 10000)):  # page 31, literally
            rows[idx, 0]
    assert errata.slide_loop_outcome(len(rows)) == "IndexError at row 3000"
    assert errata.slide_loop_outcome(20000) == "plots all 20000 rows"


def test_loss_floor_of_sigmoid_outputs_taken_as_logits():
    # A perfect sigmoid output (1, 0) for label (1, 0), as page 30 computes it.
    with fresh_graph() as graph:
        loss = tf.nn.softmax_cross_entropy_with_logits(logits=[[1.0, 0.0]],
                                                       labels=[[1.0, 0.0]])
    with make_session(graph) as sess:
        assert sess.run(loss)[0] == pytest.approx(errata.LOSS_FLOOR, rel=1e-6)
    assert errata.LOSS_FLOOR == pytest.approx(0.3133, abs=1e-4)


def test_errata_script_prints_every_table_and_writes_both_figures(tmp_path, capsys):
    code = errata.main(["--steps", "3", "--instances", "400", "--out", str(tmp_path),
                        "--device", "cpu"])
    out = capsys.readouterr().out
    assert code == 0
    for heading in ("Label rule", "Sigmoid outputs", "Testing slide", "Quadratic"):
        assert "## " + heading in out
    for mapping in mantle.MAPPINGS:
        assert (tmp_path / "mantle_mapping_{}.png".format(mapping)).exists()
