"""Tests of the evidence report and parity."""
