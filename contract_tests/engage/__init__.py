"""Engage's part of the contract run: its business rules, checks and options."""
