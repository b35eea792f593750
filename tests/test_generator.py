"""The page-27 generator, the label rule, Ra_cr and the batch function."""

import math

import numpy as np
import pytest

from graph_examples import mantle_stability as mantle


def page_27_generate_data_set(instance_num, split_rate):
    """Page 27 as the slide has it, row by row (the counters' prints aside)."""
    counter_for_stable = 0
    counter_for_unstable = 0
    data_set = {"input": np.zeros([instance_num, 8]),
                "label": np.zeros([instance_num, 2])}
    data_set["input"][:, 0] = np.random.uniform(0.8, 1.0, size=instance_num)
    data_set["input"][:, 1] = np.random.uniform(1e-4, 1e-2, size=instance_num)
    data_set["input"][:, 2] = np.random.uniform(1e-2, 1.0, size=instance_num)
    data_set["input"][:, 3] = np.random.uniform(0.1, 1.0, size=instance_num)
    data_set["input"][:, 4] = np.random.uniform(0.0, 0.35, size=instance_num)
    for idx in range(instance_num):
        data_set["input"][idx, 5] = np.random.uniform(
            max([0.25, data_set["input"][idx, 4]]), 0.35)
    data_set["input"][:, 6] = np.random.uniform(0.0, 0.39, size=instance_num)
    data_set["input"][:, 7] = np.random.uniform(0.0, 0.5, size=instance_num)
    for idx in range(instance_num):
        g = data_set["input"][idx, 0] * 10
        a = data_set["input"][idx, 1]
        v = data_set["input"][idx, 2] * 1000
        k = data_set["input"][idx, 3] * 10000
        d = data_set["input"][idx, 4] * 10000
        b = data_set["input"][idx, 5] * 10000
        lam = data_set["input"][idx, 6] * 10000
        dT = data_set["input"][idx, 7] * 1000
        Ra = (a * g * dT * (d**3)) / (v * k)
        Racr = (np.pi**4 * ((4 + (lam / b) ** 2) ** 3)) / (4 * ((lam / b) ** 4))
        if Ra > Racr:
            data_set["label"][idx, 0] = 0
            data_set["label"][idx, 1] = 1
            counter_for_unstable += 1
        else:
            data_set["label"][idx, 0] = 1
            data_set["label"][idx, 1] = 0
            counter_for_stable += 1
    split_index = int(instance_num * split_rate)
    train_set = {"input": data_set["input"][0:split_index, :],
                 "label": data_set["label"][0:split_index, :]}
    test_set = {"input": data_set["input"][split_index:, :],
                "label": data_set["label"][split_index:, :]}
    return train_set, test_set, (counter_for_stable, counter_for_unstable)


@pytest.mark.parametrize("seed, instance_num, split_rate",
                         [(0, 20000, 0.6), (1, 50000, 0.5), (2018, 777, 0.3)])
def test_generator_is_bit_identical_to_the_slides_loop(seed, instance_num, split_rate):
    np.random.seed(seed)
    expected_train, expected_test, counts = page_27_generate_data_set(
        instance_num, split_rate)
    after_slide = np.random.get_state()[1].copy()

    printed = []
    np.random.seed(seed)
    train_set, test_set = mantle.generate_data_set(instance_num, split_rate,
                                                   echo=printed.append)
    for ours, theirs in ((train_set, expected_train), (test_set, expected_test)):
        for key in ("input", "label"):
            np.testing.assert_array_equal(ours[key], theirs[key])
    assert printed == ["Stable:{} UnStable:{}".format(*counts)]

    # The NumPy stream is left where the slide leaves it, so the batches after
    # it are the slide's too.
    np.testing.assert_array_equal(np.random.get_state()[1], after_slide)


def row(d, b, lam, g=0.9, a=5e-3, v=0.5, k=0.5, dT=0.25):
    """One unscaled input row, page 27's column order."""
    return np.array([[g, a, v, k, d, b, lam, dT]])


def test_rayleigh_number_by_hand():
    # a g dT d^3 / (v k) = 5e-3 * 9 * 250 * 2000^3 / (500 * 5000) = 36000
    assert mantle.rayleigh_number(row(d=0.2, b=0.3, lam=0.1))[0] == pytest.approx(36000)


def test_critical_rayleigh_minimum():
    lam_over_b = 2 * np.pi / np.arange(0.5, 7, 1e-5)
    values = mantle.critical_rayleigh(lam_over_b)
    best = np.argmin(values)
    assert values[best] == pytest.approx(27 * math.pi**4 / 4, abs=1e-6)
    assert values[best] == pytest.approx(657.51, abs=0.005)
    assert 2 * np.pi / lam_over_b[best] == pytest.approx(2.2214, abs=5e-5)


@pytest.mark.parametrize("factor, label", [(1.001, mantle.UNSTABLE),
                                           (0.999, mantle.STABLE),
                                           (2.0, mantle.UNSTABLE),
                                           (0.5, mantle.STABLE)])
def test_label_rule_on_both_sides_of_the_curve(factor, label):
    # Choose lam/b = 2 sqrt 2 (Ra_cr = 27 pi^4 / 4) and set dT so that
    # Ra = factor * Ra_cr: Ra is linear in dT.
    b = 0.3
    lam = b * 2 * math.sqrt(2)
    base = mantle.rayleigh_number(row(d=0.2, b=b, lam=lam, dT=1.0))[0]
    dT = factor * (27 * math.pi**4 / 4) / base
    labels = mantle.label_inputs(row(d=0.2, b=b, lam=lam, dT=dT))
    assert tuple(labels[0]) == label


def test_label_rule_cubes_depth_not_thickness():
    # Same b and lambda, so the same Ra_cr; only the depth makes it unstable.
    shallow, deep = row(d=0.02, b=0.3, lam=0.5), row(d=0.3, b=0.3, lam=0.5)
    assert tuple(mantle.label_inputs(shallow)[0]) == mantle.STABLE
    assert tuple(mantle.label_inputs(deep)[0]) == mantle.UNSTABLE


def test_lambda_zero_is_stable_as_in_the_slides_loop():
    # Ra_cr is infinite at lam = 0 (division by zero); the slide's `Ra > Racr`
    # is then False.
    assert tuple(mantle.label_inputs(row(d=0.3, b=0.3, lam=0.0))[0]) == mantle.STABLE


def test_batch_is_the_slides_batch():
    np.random.seed(5)
    train_set, _ = mantle.generate_data_set(5000, 0.5, echo=None)
    state = np.random.get_state()

    np.random.seed(6)
    input_batch, label_batch = mantle.get_traning_batch(train_set, 1000, 8)
    np.random.seed(6)
    batch_ids = np.random.choice(len(train_set["input"]), 1000)
    np.testing.assert_array_equal(input_batch, train_set["input"][batch_ids])
    np.testing.assert_array_equal(label_batch, train_set["label"][batch_ids])
    assert input_batch.shape == (1000, 8) and label_batch.shape == (1000, 2)

    # Many steps at once draw the same batches as one step at a time.
    np.random.set_state(state)
    stacked_inputs, _ = mantle.draw_batches(train_set, 100, 8, 3)
    np.random.set_state(state)
    for step in range(3):
        one, _ = mantle.get_traning_batch(train_set, 100, 8)
        np.testing.assert_array_equal(stacked_inputs[step], one)


def test_batch_refuses_rows_of_the_wrong_width():
    with pytest.raises(ValueError, match=r"expected \[n, 8\]"):
        mantle.get_traning_batch({"input": np.zeros((10, 7)), "label": np.zeros((10, 2))},
                                 4, 8)
