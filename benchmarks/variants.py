"""What the benchmark runs: each task's variants, one function each.

A variant function takes the run's settings (a dict) and returns a dict:
`train` (seconds in the training loop, or in the timed work when the task
has no loop), `units` (steps, rows or batches the per-unit time divides
by), what it computed (`accuracy`, `final_loss`, `coefficients`, `counts`,
`digest`) and `untimed`, seconds of checking (hashing) to leave out of
the whole run. The child process adds the whole-run time and memory.
"""

import dataclasses
import hashlib
import time

import numpy as np

TASKS = ("generator", "batches", "mantle", "quadratic")
UNITS = {"generator": "row", "batches": "batch", "mantle": "step", "quadratic": "step"}


def _lecture():
    from benchmarks import lecture_code
    return lecture_code


def _digest(*arrays):
    """A short hash of arrays' bytes, to show two variants made the same data."""
    sha = hashlib.sha1()
    for array in arrays:
        sha.update(np.ascontiguousarray(array).tobytes())
    return sha.hexdigest()[:12]


# --- data: page 27's generator and page 30's batch function -----------------


def generator_lecture(settings):
    np.random.seed(settings["seed"])
    start = time.perf_counter()
    train_set, test_set = _lecture().generate_data_set(
        settings["instances"], settings["split_rate"], echo=lambda line: None)
    return _generated(train_set, test_set, time.perf_counter() - start, settings)


def generator_ours(settings):
    from graph_examples import mantle_stability as mantle

    np.random.seed(settings["seed"])
    start = time.perf_counter()
    train_set, test_set = mantle.generate_data_set(
        settings["instances"], settings["split_rate"], echo=None)
    return _generated(train_set, test_set, time.perf_counter() - start, settings)


def generator_huge_pages(settings):
    """generate_data_set with NumPy's huge-page advice left on, as NumPy sets it.

    Shows what graph_examples.memory.small_pages buys: the same function
    with its one `with small_pages():` made a no-op.
    """
    import contextlib

    from graph_examples import mantle_stability as mantle

    mantle.small_pages = contextlib.nullcontext
    return generator_ours(settings)


def _generated(train_set, test_set, seconds, settings):
    from graph_examples.mantle_stability import label_counts

    start = time.perf_counter()
    counts = list(label_counts(train_set, test_set))
    digest = _digest(train_set["input"], train_set["label"],
                     test_set["input"], test_set["label"])
    return {"train": seconds, "units": settings["instances"], "counts": counts,
            "digest": digest, "untimed": time.perf_counter() - start}


def _batch_run(settings, draw):
    """Time `draw(train_set, steps, keep)` after the data set is made.

    draw passes each step's input batch to keep(). The timed run drops them,
    as a training loop would; a second run from the same stream keeps them
    and hashes them as float32, so every variant's digest compares.
    """
    from graph_examples import mantle_stability as mantle

    np.random.seed(settings["seed"])
    train_set, _ = mantle.generate_data_set(settings["instances"],
                                            settings["split_rate"], echo=None)
    steps = settings["batch_steps"]
    state = np.random.get_state()
    start = time.perf_counter()
    draw(train_set, steps, lambda batch: None)
    seconds = time.perf_counter() - start

    start = time.perf_counter()
    np.random.set_state(state)
    kept = []
    draw(train_set, steps, kept.append)
    digest = _digest(*(np.asarray(batch, np.float32) for batch in kept))
    return {"train": seconds, "units": steps, "digest": digest,
            "untimed": time.perf_counter() - start}


def batches_lecture(settings):
    def draw(train_set, steps, keep):
        for _ in range(steps):
            keep(_lecture().get_traning_batch(train_set, 1000, 8)[0])
    return _batch_run(settings, draw)


def batches_ours(settings):
    from graph_examples import mantle_stability as mantle

    def draw(train_set, steps, keep):
        for _ in range(steps):
            keep(mantle.get_traning_batch(train_set, 1000, 8)[0])
    return _batch_run(settings, draw)


def batches_ours_chunked(settings):
    """As the in-graph loop draws: 1000 steps a call, from float32 tables."""
    from graph_examples import mantle_stability as mantle
    from graph_examples.training import CHUNK_STEPS

    def draw(train_set, steps, keep):
        rows = mantle.training_rows(train_set, 1000).cast([np.float32, np.float32])
        for start in range(0, steps, CHUNK_STEPS):
            for batch in rows(min(CHUNK_STEPS, steps - start))[0]:
                keep(batch)
    return _batch_run(settings, draw)


# --- the trainings -------------------------------------------------------------


def mantle_lecture(settings):
    accuracy, loss_val, clock = _lecture().mantle_stability(
        settings["seed"], settings["instances"], settings["split_rate"],
        settings["steps"], echo=lambda line: None)
    return {"train": clock["test"] - clock["train"], "units": settings["steps"],
            "accuracy": accuracy, "final_loss": float(loss_val)}


def quadratic_lecture(settings):
    inspect_list, loss_val, clock = _lecture().quadratic_fit(
        settings["seed"], settings["steps"], echo=lambda line: None)
    return {"train": clock["end"] - clock["train"], "units": settings["steps"],
            "final_loss": float(loss_val),
            "coefficients": [float(v) for v in inspect_list[-1]["w"][:, 0]]}


class _TrainClock:
    """Wraps graph_examples.training.train, which the programs' Supervisor
    calls, to time the training loop alone."""

    def __init__(self, module):
        self.seconds = 0.0
        self._train = module.train
        module.train = self

    def __call__(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return self._train(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - start


def _mantle_ours(loop):
    def run(settings):
        from graph_examples import mantle_stability as mantle
        from graph_examples import training

        clock = _TrainClock(training)
        result = mantle.run(seed=settings["seed"], steps=settings["steps"],
                            instances=settings["instances"],
                            split_rate=settings["split_rate"], loop=loop, echo=None)
        return {"train": clock.seconds, "units": settings["steps"],
                "accuracy": result.accuracy, "final_loss": float(result.losses[-1])}
    return run


def _quadratic_ours(loop):
    def run(settings):
        from graph_examples import quadratic_fit as quadratic
        from graph_examples import training

        clock = _TrainClock(training)
        result = quadratic.run(seed=settings["seed"], steps=settings["steps"],
                               loop=loop, echo=None)
        return {"train": clock.seconds, "units": settings["steps"],
                "first_loss": float(result.losses[0]),
                "final_loss": float(result.losses[-1]),
                "coefficients": list(result.coefficients)}
    return run


def _peer(name, task, **options):
    def run(settings):
        from benchmarks import peers

        if task == "mantle":
            done = getattr(peers, name)(settings["seed"], settings["instances"],
                                        settings["split_rate"], settings["steps"],
                                        **options)
        else:
            done = getattr(peers, name)(settings["seed"], settings["steps"], **options)
        return dict(done, units=settings["steps"])
    return run


@dataclasses.dataclass
class Variant:
    label: str  # what the table calls it
    run: object  # settings -> result dict
    modules: tuple  # imported before the clock starts; skipped if missing
    onednn: str = "off"  # TF_ENABLE_ONEDNN_OPTS: "off" (0) or "tf-default" (unset)


OURS = ("graph_examples.mantle_stability", "graph_examples.quadratic_fit")
# The lecture's code imports TensorFlow first, before graph_examples would
# switch oneDNN off; ours makes the untimed data of the batch task.
LECTURE = ("benchmarks.lecture_code",) + OURS
KERAS = OURS + ("benchmarks.peers", "keras")
# torch.optim imports torch._dynamo (about a second) at its first optimiser.
TORCH = OURS + ("benchmarks.peers", "torch", "torch._dynamo")

# The lecture's code runs twice: as TensorFlow ships (oneDNN on), the way
# it runs for anyone today and the reference for the ratios; and with
# oneDNN off, as graph_examples and every other variant here run, to show
# what the code alone changes.
VARIANTS = {
    "generator": {
        "lecture": Variant("page 27's row loops", generator_lecture, LECTURE),
        "ours": Variant("generate_data_set, vectorised", generator_ours, OURS),
        "ours-huge-pages": Variant("the same, NumPy's huge pages left on",
                                   generator_huge_pages, OURS),
    },
    "batches": {
        "lecture": Variant("page 30's get_traning_batch", batches_lecture, LECTURE),
        "ours": Variant("get_traning_batch, np.take", batches_ours, OURS),
        "ours-chunked": Variant("1000 steps a call, float32", batches_ours_chunked,
                                OURS),
    },
    "mantle": {
        "lecture": Variant("the lecture's code, TF defaults", mantle_lecture,
                           LECTURE, "tf-default"),
        "lecture-onednn-off": Variant("the lecture's code, oneDNN off",
                                      mantle_lecture, LECTURE),
        "ours-feed": Variant("ours, loop=feed", _mantle_ours("feed"), OURS),
        "ours": Variant("ours, default (ingraph)", _mantle_ours("ingraph"), OURS),
        "keras-fit": Variant("Keras 3 fit", _peer("keras_fit_mantle", "mantle"),
                             KERAS),
        "keras-fit-100": Variant(
            "Keras 3 fit, steps_per_execution=100",
            _peer("keras_fit_mantle", "mantle", steps_per_execution=100), KERAS),
        "tf-function": Variant("tf.function + XLA, a call a step",
                               _peer("tf_function_mantle", "mantle"), KERAS),
        "tf-function-loop": Variant("tf.function + XLA, 1000 steps a call",
                                    _peer("tf_function_loop_mantle", "mantle"),
                                    KERAS),
        "torch": Variant("PyTorch, eager loop", _peer("torch_mantle", "mantle"),
                         TORCH),
    },
    "quadratic": {
        "lecture": Variant("the lecture's code, TF defaults", quadratic_lecture,
                           LECTURE, "tf-default"),
        "lecture-onednn-off": Variant("the lecture's code, oneDNN off",
                                      quadratic_lecture, LECTURE),
        "ours-feed": Variant("ours, loop=feed", _quadratic_ours("feed"), OURS),
        "ours": Variant("ours, default (ingraph)", _quadratic_ours("ingraph"), OURS),
        "keras-fit": Variant("Keras 3 fit",
                             _peer("keras_fit_quadratic", "quadratic"), KERAS),
        "tf-function": Variant("tf.function + XLA, a call a step",
                               _peer("tf_function_quadratic", "quadratic"), KERAS),
        "torch": Variant("PyTorch, eager loop", _peer("torch_quadratic", "quadratic"),
                         TORCH),
    },
}
