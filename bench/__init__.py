"""Benchmarks. `make bench` (bench/__main__.py): simulated visitors against the embedded
default, the production profile and stock Rasa at one and two workers (bench/stock.py),
and 100-turn conversations (bench/long_conversation.py), written to docs/benchmarks.md.
`python -m bench.turn_cpu`: Rasa's CPU per turn along one long conversation. The
recruiter console has its own (bench/console_*.py).
"""
