"""The fast path computes what the slides compute: ids, rows, ties, segments.

The trajectories themselves (feed loop = in-graph loop, bit for bit, and
the pinned goldens) are checked in test_goldens.py; these tests pin the
pieces that make the in-graph loop fast without changing a number.
"""

import threading

import numpy as np
import pytest

from graph_examples import mantle_stability as mantle
from graph_examples import training
from graph_examples.tf1 import fresh_graph, make_session, tf1


@pytest.mark.parametrize("train_size", [7, 1000, 500000, 2**32 + 5])
def test_one_choice_call_draws_the_ids_of_one_call_per_step(train_size):
    np.random.seed(11)
    per_step = np.array([np.random.choice(train_size, 300) for _ in range(5)])
    after_per_step = np.random.random_sample()

    np.random.seed(11)
    at_once = mantle.draw_batch_ids(train_size, 300, 5)
    assert at_once.shape == (5, 300)
    np.testing.assert_array_equal(at_once, per_step)
    # And the stream continues from the same place.
    assert np.random.random_sample() == after_per_step


def small_train_set(rows=3000, seed=2):
    np.random.seed(seed)
    train_set, _ = mantle.generate_data_set(rows, 0.5, echo=None)
    return train_set


def test_training_rows_are_the_slides_batches():
    train_set = small_train_set()
    np.random.seed(3)
    batches = mantle.training_rows(train_set, 50)(4)
    np.random.seed(3)
    for step in range(4):
        input_batch, label_batch = mantle.get_traning_batch(train_set, 50, 8)
        np.testing.assert_array_equal(batches[0][step], input_batch)
        np.testing.assert_array_equal(batches[1][step], label_batch)


def test_tables_cast_once_give_the_rows_a_feed_would_cast():
    # Feeding float64 rows to a float32 placeholder casts them; casting the
    # whole table first must give the same float32 numbers, bit for bit.
    rows = mantle.training_rows(small_train_set(), 64)
    np.random.seed(4)
    cast_after = [np.asarray(batch, np.float32) for batch in rows(3)]
    np.random.seed(4)
    cast_before = rows.cast([np.float32, np.float32])(3)
    for after, before in zip(cast_after, cast_before):
        assert before.dtype == np.float32
        np.testing.assert_array_equal(after, before)


def test_segments_end_at_every_stop_and_cover_every_step():
    segments = list(training._segments(20001, range(0, 20001, 2000), 1000))
    assert segments[0] == (0, 1)
    assert all(end - start <= 1000 for start, end in segments)
    assert [start for start, _ in segments[1:]] == [end for _, end in segments[:-1]]
    assert segments[-1][1] == 20001
    ends = {end for _, end in segments}
    assert all(stop + 1 in ends for stop in range(0, 20001, 2000))
    assert len(segments) == 21  # no short pieces beyond the stops'
    assert list(training._segments(3, [10], 1000)) == [(0, 3)]
    assert list(training._segments(0, [0], 1000)) == []


def test_drawn_ahead_draws_in_order_on_one_helper_thread():
    calls, threads = [], set()

    def draw(k):
        calls.append(k)
        threads.add(threading.get_ident())
        return k * 10

    drawn = [batches for batches, _ in training._drawn_ahead(draw, [1, 999, 1000, 2])]
    assert drawn == [10, 9990, 10000, 20]
    assert calls == [1, 999, 1000, 2]
    assert len(threads) == 1 and threading.get_ident() not in threads
    assert list(training._drawn_ahead(draw, [])) == []


def test_drawn_ahead_gives_numpys_state_as_of_each_segment_not_the_next():
    lengths = [2, 3, 4]
    np.random.seed(3)
    expected = []
    for length in lengths:
        np.random.random(length)
        expected.append(np.random.get_state())

    np.random.seed(3)
    for (_, rng_state), want in zip(training._drawn_ahead(np.random.random, lengths),
                                    expected):
        got = rng_state()  # the helper may have drawn the next segment already
        np.testing.assert_array_equal(got[1], want[1])
        assert got[2] == want[2]


def test_drawn_ahead_raises_the_draws_error():
    def draw(k):
        if k == 2:
            raise ValueError("bad draw")
        return k

    with pytest.raises(ValueError, match="bad draw"):
        list(training._drawn_ahead(draw, [1, 2, 3]))  # raised where it is taken


def test_sessions_run_ops_on_one_inter_op_thread():
    # Measured: twice as fast for the in-graph loop's chain of tiny ops.
    with fresh_graph(1) as graph:
        tf1.constant(1.0)
    with make_session(graph, "cpu") as sess:
        assert sess._config.inter_op_parallelism_threads == 1


def boundary_rows(count, seed=5):
    """Rows whose Ra equals Ra_cr to a few ULP: dT moved onto the boundary."""
    np.random.seed(seed)
    rows = mantle.simulate_inputs(count)
    with np.errstate(divide="ignore", invalid="ignore"):
        ra = mantle.rayleigh_number(rows)
        ra_cr = mantle.critical_rayleigh(rows[:, 6] / rows[:, 5])
    keep = np.isfinite(ra_cr) & (ra > 0)
    rows = rows[keep]

    # Ra is linear in dT (column 7), so this scales Ra onto Ra_cr.
    rows[:, 7] *= ra_cr[keep] / ra[keep]
    return rows


def test_near_ties_are_decided_by_the_slides_scalar_arithmetic():
    rows = boundary_rows(20000)
    with np.errstate(divide="ignore", invalid="ignore"):
        ra = mantle.rayleigh_number(rows)
        ra_cr = mantle.critical_rayleigh((rows[:, 6] * 10000) / (rows[:, 5] * 10000))

    # The rows sit within a few ULP of the boundary ...
    ulps = np.abs(ra - ra_cr) / np.spacing(ra_cr)
    assert np.median(ulps) <= 2 and np.max(ulps) <= 16

    # ... and there the labels follow the slide's own row loop, every one.
    scalar = np.array([mantle._lecture_row_is_unstable(row) for row in rows])
    np.testing.assert_array_equal(mantle.label_inputs(rows)[:, 1] == 1, scalar)

    # Without the scalar re-decision, our vectorised products (where the
    # slide raises to powers) would label some of them the other way.
    vectorised = ra > ra_cr
    if np.array_equal(vectorised, scalar):
        pytest.skip("vectorised and scalar arithmetic agree on this machine")
    assert 0 < np.sum(vectorised != scalar) < len(rows) // 5


def test_vectorised_rayleigh_numbers_stay_far_inside_the_tie_margin():
    np.random.seed(3)
    rows = mantle.simulate_inputs(5000)
    slide = np.array([slide_rayleigh_numbers(row) for row in rows])
    with np.errstate(divide="ignore", invalid="ignore"):
        ra = mantle.rayleigh_number(rows)
        ra_cr = mantle.critical_rayleigh((rows[:, 6] * 10000) / (rows[:, 5] * 10000))

    # Measured 4.6e-16 and 6.4e-16 (a few ULP); TIE_MARGIN is 1e-9, so any
    # row outside the margin is decided the same by both arithmetics.
    positive = slide[:, 0] > 0
    assert np.max(np.abs(ra - slide[:, 0])[positive] / slide[positive, 0]) < 1e-14
    assert np.max(np.abs(ra_cr - slide[:, 1]) / slide[:, 1]) < 1e-14


def slide_rayleigh_numbers(row):
    """Page 27's Ra and Racr for one row, written as the slide writes them."""
    g, a, v, k = row[0] * 10, row[1], row[2] * 1000, row[3] * 10000
    d, b, lam, dT = row[4] * 10000, row[5] * 10000, row[6] * 10000, row[7] * 1000
    Ra = (a * g * dT * (d**3)) / (v * k)
    Racr = (np.pi**4 * ((4 + (lam / b) ** 2) ** 3)) / (4 * ((lam / b) ** 4))
    return Ra, Racr
