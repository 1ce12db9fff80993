"""Measure the assistant on visitor questions it has never seen (`make evaluate`).

The held-out questions in tests/evaluation/heldout.yml were written apart from the
training data and the development set, and are only reported on (bot.evaluation.overlap
keeps them apart). Each is sent as the first message of a new conversation to the real
running assistant, and the topic in the reply's contract payload is compared with the
expected one.
"""
