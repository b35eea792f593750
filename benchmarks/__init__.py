"""The speed benchmark: the lecture's own code against ours and other frameworks.

Run it with `python scripts/benchmark.py`; see README.md, "Speed".
"""
