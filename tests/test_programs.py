"""Hello World, the matrix product and the quadratic fit (pages 20-23)."""

import numpy as np
import pytest

from graph_examples import hello_world, multiply_matrices, quadratic_fit


def test_hello_world_prints_the_tensor_then_its_value():
    result = hello_world.run(echo=None)
    assert result.lines == ['Tensor("Const:0", shape=(), dtype=string)',
                            "b'Hello, TensorFlow!'"]
    assert result.value == b"Hello, TensorFlow!"


def test_hello_world_runs_twice_in_one_process():
    assert hello_world.run(echo=None).lines == hello_world.run(echo=None).lines


def test_multiply_prints_the_three_symbolic_tensors():
    lines = multiply_matrices.run(echo=None).lines
    assert lines[0].split("\n") == [
        'Tensor("random_normal:0", shape=(3, 3), dtype=float32)',
        'Tensor("random_normal_1:0", shape=(3, 3), dtype=float32)',
        'Tensor("MatMul:0", shape=(3, 3), dtype=float32)']


def test_product_matches_numpy_on_the_same_run():
    result = multiply_matrices.run(seed=3, echo=None)
    assert result.z_val.shape == (3, 3)
    assert result.lines[1] == str(result.z_val)

    # float32 products of N(0, 1) entries: a few ulp of a sum of three terms.
    np.testing.assert_allclose(result.z_val, result.x_val @ result.y_val,
                               rtol=1e-5, atol=1e-6)


def test_multiply_is_seeded():
    first, again = multiply_matrices.run(seed=3, echo=None), multiply_matrices.run(
        seed=3, echo=None)
    other = multiply_matrices.run(seed=4, echo=None)
    np.testing.assert_array_equal(first.z_val, again.z_val)
    assert not np.array_equal(first.z_val, other.z_val)


def test_generate_data_follows_the_slide():
    np.random.seed(0)
    x_val, y_val = quadratic_fit.generate_data()
    assert x_val.shape == (100,) and np.all(np.abs(x_val) <= 10)
    np.testing.assert_array_equal(y_val, 5 * np.square(x_val) + 14.3 * x_val + 8.9)


def test_inspected_steps_are_the_slides_and_the_last():
    assert quadratic_fit.inspected_steps(20001) == quadratic_fit.INSPECT_STEP
    assert quadratic_fit.inspected_steps(3000) == [0, 1000, 2999]
    assert quadratic_fit.inspected_steps(1) == [0]


def test_quadratic_prints_the_slides_format(quadratic_lecture):
    steps = [d["step"] for d in quadratic_lecture.inspect_list]
    assert steps == quadratic_fit.INSPECT_STEP
    for line, step in zip(quadratic_lecture.lines, steps):
        assert line == "STEP {:5d}: loss_val {}".format(
            step, quadratic_lecture.losses[step])


def test_fit_agrees_with_closed_form_least_squares(quadratic_lecture):
    # The data are noise-free, so least squares recovers the generating
    # coefficients; Adam at lr 0.001 gets within the 0.01, 0.1, 0.3.
    np.random.seed(1)
    x_val, y_val = quadratic_fit.generate_data(size=1000)
    design = np.stack([np.square(x_val), x_val, np.ones_like(x_val)], axis=1)
    exact, *_ = np.linalg.lstsq(design, y_val, rcond=None)
    np.testing.assert_allclose(exact, quadratic_fit.TRUE_COEFFICIENTS, atol=1e-9)
    for fitted, target, tol in zip(quadratic_lecture.coefficients, exact,
                                   (0.01, 0.1, 0.3)):
        assert abs(fitted - target) < tol


def test_quadratic_figure_has_the_slides_legend(quadratic_lecture):
    figure = quadratic_fit.plot(quadratic_lecture)
    labels = [text.get_text() for text in figure.axes[0].get_legend().get_texts()]
    w = quadratic_lecture.inspect_list[-1]["w"][:, 0]
    assert labels[0] == "Ground Truth y = 5 * x^2 + 14.3 * x + 8.9"
    assert labels[-1] == "STEP  20000 y = {:.2f} * x^2 + {:.2f} * x + {:.2f}".format(*w)
    assert len(labels) == 1 + len(quadratic_fit.INSPECT_STEP)
