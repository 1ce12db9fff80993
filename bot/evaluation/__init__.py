"""Measure the assistant on held-out visitor questions (`make evaluate`).

The questions in tests/evaluation/heldout.yml were written apart from the
training data. Each is sent as the first message of a new conversation to the
real running assistant, and the topic in the reply's contract payload is
compared with the expected one.
"""
