"""Benchmarks (`make bench`, bench/run.py); not part of the application or of pytest."""
