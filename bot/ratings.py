"""The ratings a visitor may give an answer: helpful ("up") or not helpful ("down").

One list for the web API that accepts them, the channels that let them through to Rasa
and the action that records them. It imports nothing, so every image can import it.
"""

RATINGS = ("up", "down")
