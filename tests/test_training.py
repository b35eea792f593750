"""The shared training loop's chunking: large batches get shorter chunks."""

import numpy as np

from graph_examples import mantle_stability, training
from graph_examples.tf1 import fresh_graph


def test_chunks_shrink_so_a_large_batch_stays_small_in_memory():
    with fresh_graph():
        lecture = mantle_stability.build_graph(batch_size=1000)
    with fresh_graph():
        large = mantle_stability.build_graph(batch_size=50_000)

    # The lecture's batches fill a whole chunk; 50x larger ones a 50th of one.
    assert training._values_a_step(lecture.trainer) * training.CHUNK_STEPS == (
        training.CHUNK_VALUES)
    assert training.CHUNK_VALUES // training._values_a_step(large.trainer) == 20


def test_a_large_batch_trains_the_same_in_both_loops():
    kwargs = dict(steps=45, instances=4000, batch_size=200_000, echo=None)
    feed = mantle_stability.run(loop="feed", **kwargs)
    in_graph = mantle_stability.run(loop="ingraph", **kwargs)
    np.testing.assert_array_equal(feed.losses, in_graph.losses)
