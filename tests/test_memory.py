import numpy as np
import pytest

from graph_examples import mantle_stability as mantle
from graph_examples.memory import _hugepage_switch, small_pages


@pytest.fixture
def switch():
    found = _hugepage_switch()
    if found is None:
        pytest.skip("this NumPy has no huge-page switch")
    before = found(True)
    yield found
    found(before)


def test_small_pages_turns_the_advice_off_inside_and_back_after(switch):
    with small_pages():
        assert switch(False) is False  # the switch returns the value it replaces
    assert switch(True) is True


def test_small_pages_puts_the_advice_back_after_an_error(switch):
    with pytest.raises(RuntimeError):
        with small_pages():
            raise RuntimeError("inside")
    assert switch(True) is True


def test_small_pages_leaves_advice_that_was_off_off(switch):
    switch(False)
    with small_pages():
        pass
    assert switch(False) is False


def test_generating_the_data_set_leaves_the_advice_as_it_was(switch):
    mantle.generate_data_set(2000, 0.5, echo=None)
    assert switch(True) is True


def test_overlapping_blocks_in_two_threads_put_the_advice_back(switch):
    import threading

    first_open, second_done = threading.Event(), threading.Event()

    def first():
        with small_pages():
            first_open.set()
            second_done.wait(10)

    thread = threading.Thread(target=first)
    thread.start()
    first_open.wait(10)
    with small_pages():  # opens after the first, closes before it
        pass
    assert switch(False) is False  # still off: the first block is open
    switch(False)
    second_done.set()
    thread.join(10)
    assert switch(True) is True  # the last block out put it back on
