"""The fast tests (Flask test client, Hypothesis, Schemathesis) and their helpers."""
