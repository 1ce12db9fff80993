"""The CPS careers assistant: the Rasa bot, its actions, knowledge and operations."""

from pathlib import Path

# The checkout (or the image's /opt/cps): every command runs from here.
PROJECT_ROOT = Path(__file__).resolve().parents[1]
