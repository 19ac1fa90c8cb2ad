"""Pieces of tools/bench/bench.py: the machine, the contenders, running them, charts, the report."""
