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


@contextlib.contextmanager
def small_pages():
    """Arrays NumPy allocates inside the block get 4 KiB pages, not 2 MiB ones.

    The switch is process-wide, so other threads' arrays made meanwhile get
    small pages too; that changes their speed a little, never their values.
    """
    switch = _hugepage_switch()
    if switch is None:
        yield
        return
    previous = switch(False)
    try:
        yield
    finally:
        switch(previous)
