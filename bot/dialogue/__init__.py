"""Dialogue management: Rasa's rule policy and event handling, made quicker, same behaviour."""
