"""The checks the grader knows, and the rubric that gives each its points.

This module does not import TensorFlow: the grading parent only supervises
child processes and writes reports, so it stays light.
"""

import dataclasses
import os

try:
    import tomllib  # Python 3.11+
except ImportError:  # pragma: no cover - Python 3.9 and 3.10
    import tomli as tomllib

DEFAULT_RUBRIC = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                              "default_rubric.toml")


class RubricError(ValueError):
    """A rubric file that cannot be read or holds an unknown key or bad value."""


@dataclasses.dataclass(frozen=True)
class CheckInfo:
    id: str  # column name in the CSV, key in the rubric
    uses: str  # the one student function the check calls
    what: str  # what it checks, in plain language, for the feedback file


# In the order they run and appear in the CSV. Each check calls exactly one
# student function, so a function that hangs or kills its process is charged
# to its own checks only (see grader.py).
CHECKS = (
    CheckInfo("layer_variables", "full_connection_layer",
              "creates <name>/weight [n_in, n_out] and <name>/bias [n_out]"),
    CheckInfo("layer_initialisers", "full_connection_layer",
              "truncated normal (stddev 0.1) weights and 0.1 biases by default; "
              "uses w_init and b_init when given"),
    CheckInfo("layer_output_name", "full_connection_layer",
              "returns the op <name>_output, shape [None, n_out]"),
    CheckInfo("layer_activation", "full_connection_layer",
              "computes sigmoid(x W + b) by default and uses the activation given"),
    CheckInfo("network_architecture", "inference",
              "4-4-4-2 sigmoid layers in scopes fc_layer_1, fc_layer_2, fc_layer_3, "
              "pred, each feeding the next"),
    CheckInfo("training_accuracy", "inference",
              "trained by the reference loop (Adam 0.01, batch 1000), reaches the "
              "accuracy threshold on the test set"),
    CheckInfo("generator_ranges", "generate_data_set",
              "returns {'input': [n, 8], 'label': [n, 2]} dicts with page 27's ranges "
              "and one-hot labels"),
    CheckInfo("generator_split", "generate_data_set",
              "puts the first int(instance_num * split_rate) rows in train_set"),
    CheckInfo("generator_label_rule", "generate_data_set",
              "labels hand-picked rows just below Ra_cr (1, 0) and just above (0, 1)"),
    CheckInfo("generator_seeded", "generate_data_set",
              "draws the same rows and labels as the reference under the same seed"),
    CheckInfo("batch_rows", "get_traning_batch",
              "returns batch_size rows of train_set, each with its own label"),
    CheckInfo("batch_seeded", "get_traning_batch",
              "draws the rows with the slide's np.random.choice call"),
    CheckInfo("quadratic_graph", "build_quadratic_graph",
              "returns placeholders x and y, the variable w [3, 1], "
              "loss = l2_loss(yhat - y) and a train_op"),
    CheckInfo("quadratic_fit", "build_quadratic_graph",
              "its train_op moves w as the reference's Adam(0.001) does "
              "under the same data"),
)
CHECK_BY_ID = {check.id: check for check in CHECKS}


@dataclasses.dataclass(frozen=True)
class Rubric:
    points: dict  # check id -> points (float); 0 means not run
    settings: dict  # [settings] of the TOML file
    limits: dict  # [limits] of the TOML file

    @property
    def checks(self):
        """The checks that carry points, in running order."""
        return [check for check in CHECKS if self.points[check.id] > 0]

    @property
    def total(self):
        return sum(self.points[check.id] for check in self.checks)

    def as_dict(self):
        """Plain data to hand to a grading child as JSON."""
        return {"points": self.points, "settings": self.settings,
                "limits": self.limits}


def _read_toml(path):
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise RubricError("cannot read rubric {}: {}".format(
            path, error.strerror or error)) from None
    except tomllib.TOMLDecodeError as error:
        raise RubricError("rubric {} is not valid TOML: {}".format(
            path, error)) from None


def _merge(default, custom, path):
    """The default rubric with the custom file's values laid over it."""
    merged = {section: dict(values) for section, values in default.items()}
    for section, values in custom.items():
        if section not in merged:
            raise RubricError("rubric {}: unknown section [{}]; expected one of "
                              "{}".format(path, section, ", ".join(sorted(merged))))
        if not isinstance(values, dict):
            raise RubricError("rubric {}: {} must be a table, [{}], not a value".format(
                path, section, section))
        for key, value in values.items():
            if key not in merged[section]:
                raise RubricError("rubric {}: unknown key {!r} in [{}]".format(
                    path, key, section))
            merged[section][key] = value
    return merged


# Values a teacher could mistype into ones that grade students wrongly:
# points stay modest, settings stay where the checks mean something.
POINTS_MAX = 1000
INTEGERS = [("settings", "training_instances"), ("settings", "training_steps"),
            ("settings", "quadratic_steps")]
BOUNDS = {("settings", "accuracy_threshold"): (0, 1),
          ("settings", "training_instances"): (100, 2_000_000),
          ("settings", "training_steps"): (1, 1_000_000),
          ("settings", "quadratic_steps"): (1, 1_000_000),
          ("settings", "quadratic_tolerance"): (0, 1e6)}


def _check_numbers(merged, path):
    """Every value is a number >= 0 (the seed an integer); limits > 0."""
    for section, values in merged.items():
        for key, value in values.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise RubricError("rubric {}: [{}] {} must be a number, got "
                                  "{!r}".format(path, section, key, value))
            if section == "points" and value > POINTS_MAX:
                raise RubricError("rubric {}: [points] {} must be at most {}, got "
                                  "{!r}".format(path, key, POINTS_MAX, value))
            if value < 0 or (section == "limits" and value == 0):
                raise RubricError("rubric {}: [{}] {} = {} is out of range".format(
                    path, section, key, value))
    if not isinstance(merged["settings"]["seed"], int):
        raise RubricError("rubric {}: [settings] seed must be an integer".format(path))
    for section, key in INTEGERS:
        if not isinstance(merged[section][key], int):
            raise RubricError("rubric {}: [{}] {} must be a whole number, got {!r}".format(
                path, section, key, merged[section][key]))
    for (section, key), (low, high) in BOUNDS.items():
        if not low <= merged[section][key] <= high:
            raise RubricError("rubric {}: [{}] {} = {} must be between {} and {}".format(
                path, section, key, merged[section][key], low, high))


def load_rubric(path=None):
    """The default rubric, or the file at `path` laid over it."""
    default = _read_toml(DEFAULT_RUBRIC)
    merged = default if path is None else _merge(default, _read_toml(path), path)
    _check_numbers(merged, path or DEFAULT_RUBRIC)
    if not any(merged["points"].values()):
        raise RubricError("rubric {}: every check has 0 points".format(path))
    return Rubric(points=merged["points"], settings=merged["settings"],
                  limits=merged["limits"])
