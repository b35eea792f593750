"""Page 32's representation networks: graph contract, reuse, and a tiny run."""

import numpy as np
import pytest

from graph_examples import mantle_stability as mantle
from graph_examples import representations as rep
from graph_examples.tf1 import fresh_graph, make_session, seed_numpy, tf1

SEED = 3
INSTANCES = 4000  # 2000 train and 2000 test rows: seconds, not minutes
STEPS = 150


@pytest.fixture(scope="module")
def data():
    seed_numpy(SEED)
    return mantle.generate_data_set(INSTANCES, 0.5, echo=None)


def test_one_set_of_variables_shared_by_both_towers(data):
    _, test_set = data
    with fresh_graph(SEED):
        model = rep.build_graph((16, 8, 4, 2), test_set["input"])
        shapes = {v.op.name: v.shape.as_list() for v in tf1.trainable_variables()}

    # Two towers, but each layer has exactly one weight and one bias.
    assert shapes == {
        "network/fc_layer_1/weight": [8, 16], "network/fc_layer_1/bias": [16],
        "network/fc_layer_2/weight": [16, 8], "network/fc_layer_2/bias": [8],
        "network/fc_layer_3/weight": [8, 4], "network/fc_layer_3/bias": [4],
        "network/fc_layer_4/weight": [4, 2], "network/fc_layer_4/bias": [2],
        "network/pred/weight": [2, 2], "network/pred/bias": [2]}
    assert model.train.representation.shape.as_list() == [None, 2]
    assert model.test.representation.shape.as_list() == [len(test_set["input"]), 2]
    assert model.test.pred.op.name == "network_1/pred_output"


def test_test_tower_computes_what_the_training_tower_computes(data):
    _, test_set = data
    with fresh_graph(SEED) as graph:
        model = rep.build_graph((2,), test_set["input"])
    with make_session(graph) as sess:
        sess.run(model.init_op)
        fed = sess.run([model.train.representation, model.train.pred],
                       {model.input_tensor: test_set["input"]})
        tower = sess.run([model.test.representation, model.test.pred])

    # Same variables, same float32 inputs, same ops: equal to rounding.
    np.testing.assert_allclose(tower[0], fed[0], rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(tower[1], fed[1], rtol=1e-6, atol=1e-7)


def test_lecture_widths_reproduce_mantle_stability_run(data):
    """(4, 4, 4) is page 28's inference: same losses and accuracy as run()."""
    lecture = mantle.run(seed=SEED, steps=STEPS, instances=INSTANCES, split_rate=0.5,
                         echo=None)
    seed_numpy(SEED)
    train_set, test_set = mantle.generate_data_set(INSTANCES, 0.5, echo=None)
    ours = rep.train_and_represent(train_set, test_set, rep.LECTURE_HIDDEN,
                                   seed=SEED, steps=STEPS, echo=None)

    # Same initial weights (same op ids under the same graph seed), same
    # batches: only float32 summation order could differ.
    np.testing.assert_allclose(ours.losses, lecture.losses, rtol=1e-5)
    np.testing.assert_allclose(ours.test_pred, lecture.test_pred, atol=1e-5)
    assert ours.accuracy == pytest.approx(lecture.accuracy, abs=1e-6)


def test_run_trains_both_networks_on_the_same_batches():
    results = rep.run(seed=SEED, steps=STEPS, instances=INSTANCES, split_rate=0.5,
                      echo=None)
    assert list(results) == list(rep.ARCHITECTURES)
    for result in results.values():
        m = INSTANCES // 2
        assert result.representation.shape == (m, 2)
        assert result.test_pred.shape == (m, 2)

        # Sigmoid outputs lie strictly inside (0, 1).
        assert 0 < result.representation.min() and result.representation.max() < 1
        assert 0 < result.test_pred.min() and result.test_pred.max() < 1

        # The printed accuracy is the share of argmax matches.
        truth = np.argmax(result.test_set["label"], 1)
        matches = np.argmax(result.test_pred, 1) == truth
        assert result.accuracy == pytest.approx(matches.mean(), abs=1e-12)
        assert result.lines[-1] == "Accuracy: {}".format(result.accuracy)

        # The loss starts at log 2 (outputs near 0.5 for both classes) and
        # Adam at 0.01 lowers it within 150 steps.
        assert result.losses[0] == pytest.approx(np.log(2), abs=0.01)
        assert result.losses[-10:].mean() < result.losses[:10].mean() - 0.01


def test_plot_has_each_network_and_the_hand_crafted_panel(data):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    results = rep.run(seed=SEED, steps=2, instances=INSTANCES, split_rate=0.5,
                      echo=None)
    figure = rep.plot(results)
    titles = [ax.get_title() for ax in figure.axes]
    plt.close(figure)
    assert len(titles) == 3
    assert "one hidden layer" in titles[0] and "four hidden layers" in titles[1]
    assert titles[2].startswith("Hand-crafted")


def test_script_writes_the_figure(tmp_path, capsys):
    code = rep.main(["--steps", "3", "--instances", "400", "--out", str(tmp_path),
                     "--device", "cpu"])
    assert code == 0
    assert (tmp_path / rep.FIGURE).stat().st_size > 10_000
    assert capsys.readouterr().out.startswith("Stable:")


def test_script_rejects_a_bad_flag_in_one_line(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        rep.main(["--steps", "0", "--out", str(tmp_path)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--steps" in err[0]
