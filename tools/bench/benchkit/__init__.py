"""Pieces of tools/bench.py: the machine, the contenders, running them, charts and the report."""
