"""Operating the assistant: build the model when its inputs change, run the services."""

from bot import PROJECT_ROOT

__all__ = ["PROJECT_ROOT"]
