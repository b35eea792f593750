"""The reference implementation, handed in as a submission: full marks."""

from graph_examples import quadratic_fit
from graph_examples.mantle_stability import (generate_data_set,  # noqa: F401
                                             get_traning_batch, inference)
from layers import full_connection_layer  # noqa: F401


def build_quadratic_graph():
    model = quadratic_fit.build_graph()
    return model.x, model.y, model.w, model.trainer.loss, model.trainer.train_op
