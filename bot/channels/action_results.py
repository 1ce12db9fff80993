"""Check the action server's responses with a validator built once, not on every call.

Rasa 3.6's ``RemoteAction._validate_action_result`` calls ``jsonschema.validate``
on every action call, which checks the (constant) response schema against its
meta-schema and builds a new validator each time. Profiling `make bench` put
that at 37-57 % of Rasa's CPU per message (docs/benchmarks.md). The replacement
below performs the same check as ``jsonschema.validate`` (same validator class,
same best-match error, same message) against a validator made once per process.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import ValidationError, exceptions
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def response_validator() -> Validator:
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # once, as jsonschema.validate does on every call
    return cls(schema)


def validate_action_result(_action: RemoteAction, result: dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result (rasa 3.6.21) with the validator built once."""
    error = exceptions.best_match(response_validator().iter_errors(result))
    if error is None:
        return True
    assert isinstance(error, ValidationError)
    error.message += (
        ". Failed to validate Action server response from API, "
        "make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


def validate_action_results_once() -> None:
    RemoteAction._validate_action_result = validate_action_result
