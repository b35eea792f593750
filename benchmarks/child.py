"""One measurement in a fresh process: python -m benchmarks.child TASK VARIANT
SETTINGS_JSON OUT_JSON.

A fresh interpreter per run keeps the variants apart (TF1 and TF2 modes,
TensorFlow's and PyTorch's thread pools, caches) and makes ru_maxrss that
run's own peak. Imports happen before the clock starts.
"""

import importlib
import json
import os
import resource
import sys
import time


def resident_mb():
    """This process's resident memory now, MB (Linux /proc)."""
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb():
    """This process's peak resident memory so far, MB (ru_maxrss is in KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(task, variant, settings):
    from benchmarks import variants

    # Import what the run will use first, so the clock sees only the run.
    chosen = variants.VARIANTS[task][variant]
    for module in chosen.modules:
        importlib.import_module(module)
    start_mb = resident_mb()
    start = time.perf_counter()
    result = chosen.run(settings)
    result["seconds"] = time.perf_counter() - start - result.pop("untimed", 0.0)
    result["peak_mb"] = peak_mb()
    result["start_mb"] = start_mb
    return result


def main(argv):
    task, variant, settings, out_path = argv
    result = measure(task, variant, json.loads(settings))
    with open(out_path, "w") as handle:
        json.dump(result, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
