"""Operating the assistant: build the model when its inputs change, run the services."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
