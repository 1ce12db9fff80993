"""Benchmarks. `make bench` (bench/__main__.py): simulated visitors against the embedded
default, the production profile and a stock `rasa init` baseline, written to
docs/benchmarks.md. The recruiter console has its own (bench/console_*.py).
"""
