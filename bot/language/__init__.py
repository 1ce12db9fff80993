"""The project's own spaCy pipeline: built from the knowledge file, no downloaded model.

`build` writes the pipeline to disk for Rasa's SpacyNLP, `entities` turns its
matches into Rasa entities, and `search` ranks knowledge entries for a free-text
question when the classifier is not confident.
"""

from bot import PROJECT_ROOT

# Rasa's SpacyNLP resolves this relative to the working directory, so every
# command runs from the project root (the Makefile and bot.ops make sure of it).
PIPELINE_DIR = PROJECT_ROOT / "bot" / "models" / "spacy-careers"
