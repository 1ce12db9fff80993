"""Input channels of the assistant beyond Rasa's own."""
