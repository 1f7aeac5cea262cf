"""Benchmarks run by `nox -s bench`: each module times one thing and prints the result."""
