"""Dialogue management: Rasa's rule policy with an indexed rule lookup, same behaviour."""
