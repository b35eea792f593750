"""Hand-picked rows on both sides of Ra_cr, fed to a student's generator.

generate_data_set draws its own inputs, so the grader cannot hand it rows.
Instead, while the student's generator runs, np.random.uniform is replaced by
PickedDraws, which recognises each of page 27's columns by its (low, high)
and returns that column of our rows. A generator that draws as the slide
does (np.random.uniform per column, b per row or as one array) then labels
exactly our rows.
"""

import numpy as np

from graph_examples.mantle_stability import (COLUMNS, critical_rayleigh,
                                             label_inputs, rayleigh_number)

# Three layers (g, a, v, k, b, lam, dT in page 27's unscaled units), chosen so
# that the depth d putting Ra at each factor of Ra_cr stays inside (0, 0.35)
# and below b. With d < b, cubing b instead of d (page 33's formula) raises Ra
# at least 6-fold, so every "just stable" row would come out unstable.
BASES = (
    (0.90, 5e-3, 0.50, 0.5, 0.30, 0.30, 0.25),
    (0.85, 8e-3, 0.20, 0.4, 0.35, 0.10, 0.45),
    (0.95, 2e-3, 0.05, 0.3, 0.25, 0.39, 0.10),
)
# Ra / Ra_cr of the picked rows: half just below 1 (stable), half just above.
FACTORS = (0.5, 0.99, 0.999, 0.99999, 1.00001, 1.001, 1.01, 2.0)

B_COLUMN = 5  # b is drawn from (max(0.25, d), 0.35): its low depends on the row


def depth_for(base, factor):
    """The unscaled depth d at which Ra = factor * Ra_cr for this base row."""
    g, a, v, k, b, lam, dT = base
    per_cubic_metre = (a * g * 10 * dT * 1000) / (v * 1000 * k * 10000)
    target = factor * critical_rayleigh(lam / b)
    return np.cbrt(target / per_cubic_metre) / 10000


def picked_rows():
    """The rows [len(BASES) * len(FACTORS), 8] and Ra / Ra_cr of each."""
    rows = []
    for base in BASES:
        g, a, v, k, b, lam, dT = base
        for factor in FACTORS:
            rows.append([g, a, v, k, depth_for(base, factor), b, lam, dT])
    rows = np.array(rows)
    ratio = rayleigh_number(rows) / critical_rayleigh(rows[:, 6] / rows[:, 5])
    return rows, ratio


def expected_labels(rows):
    """Page 27's labels of the rows, from the reference label rule."""
    return label_inputs(rows)


class DrawError(RuntimeError):
    """The student's generator called np.random.uniform unlike page 27."""


class PickedDraws:
    """A stand-in for np.random.uniform that returns the picked rows' columns."""

    def __init__(self, rows):
        self.rows = rows
        self.next_b_row = 0  # the slide draws b one row at a time

    def __call__(self, low=0.0, high=1.0, size=None):
        column = self._column(low, high)
        values = self.rows[:, column]
        if column == B_COLUMN and np.ndim(low) == 0 and size is None:
            value = values[self.next_b_row % len(values)]
            self.next_b_row += 1
            return value
        if size is not None and int(np.prod(size)) != len(values):
            raise DrawError("np.random.uniform({}, {}, size={}) asked for {} values "
                            "while generate_data_set was asked for {} rows".format(
                                low, high, size, int(np.prod(size)), len(values)))
        return values.copy()

    @staticmethod
    def _column(low, high):
        """Which of page 27's columns a draw from (low, high) is."""
        if np.ndim(low) > 0 or np.ndim(high) > 0:
            if high == 0.35:  # b drawn for all rows at once, low = max(0.25, d)
                return B_COLUMN
            raise DrawError("np.random.uniform with array bounds is only page 27's "
                            "draw of b")
        if high == 0.35 and low >= 0.25:
            return B_COLUMN
        for column, (_, col_low, col_high, _, _) in enumerate(COLUMNS):
            if column != B_COLUMN and (low, high) == (col_low, col_high):
                return column
        raise DrawError("np.random.uniform({}, {}) is not one of page 27's "
                        "draws".format(low, high))
