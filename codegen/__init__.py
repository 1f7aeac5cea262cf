"""Generation of generated/ from openapi/ (see generate.py)."""
