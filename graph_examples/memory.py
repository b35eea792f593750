"""How NumPy asks the kernel for memory while we build large arrays.

NumPy advises Linux to back every array over 4 MiB with 2 MiB pages. On a
virtual machine that hands free memory back to its host (free page
reporting, as on the Firecracker machines this project is measured on), a
fresh 2 MiB page may have to be fetched from the host again, and building
the mantle data set then takes about three times as long, at random.
Ordinary 4 KiB pages come from memory the guest already holds, so the time
stays steady; training on them measured no slower (README, "Speed").
"""

import contextlib
import importlib
import threading


def _hugepage_switch():
    """NumPy's private on/off switch for the advice, or None if it has none."""
    for name in ("numpy._core.multiarray", "numpy.core.multiarray"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        switch = getattr(module, "_set_madvise_hugepage", None)
        if switch is not None:
            return switch
    return None


_lock = threading.Lock()
_holders = 0  # small_pages blocks open now, over all threads
_saved = None  # the advice as it was when the first of them opened


@contextlib.contextmanager
def small_pages():
    """Arrays NumPy allocates inside the block get 4 KiB pages, not 2 MiB ones.

    The switch is process-wide, so other threads' arrays made meanwhile get
    small pages too (their speed may change, never their values). Blocks
    may overlap across threads: the last one to close puts the advice back.
    """
    switch = _hugepage_switch()
    if switch is None:
        yield
        return
    _open(switch)
    try:
        yield
    finally:
        _close(switch)


def _open(switch):
    global _holders, _saved
    with _lock:
        if _holders == 0:
            _saved = switch(False)
        _holders += 1


def _close(switch):
    global _holders
    with _lock:
        _holders -= 1
        if _holders == 0:
            switch(_saved)
