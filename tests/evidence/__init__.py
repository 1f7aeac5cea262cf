"""Tests of the evidence report and parity; a package, so that its conftest is its own module."""
