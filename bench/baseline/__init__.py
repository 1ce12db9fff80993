"""The stock baseline: Rasa's default `rasa init` pipeline and policies, trained on our
domain and data and served the same way as ours (same action server, same tracker store).

Kept like our model, named after a hash of its inputs (bot.ops.model), so it is
trained once and reused; only `make bench` asks for it, never `make test`. Its
inputs leave out the knowledge file and our spaCy pipeline, which it does not
use: editing an answer must not cost a half-hour retraining of the baseline.
"""

from __future__ import annotations

from pathlib import Path

from bot.ops import PROJECT_ROOT
from bot.ops.model import ensure_model, model_path

STOCK_CONFIG = Path(__file__).resolve().parent / "config.yml"
STOCK_PREFIX = "stock-"


def stock_inputs() -> list[Path]:
    data = sorted(p for p in (PROJECT_ROOT / "bot" / "data").rglob("*.yml") if p.is_file())
    return [STOCK_CONFIG, PROJECT_ROOT / "domain.yml", PROJECT_ROOT / "requirements.txt", *data]


def stock_model_path() -> Path:
    return model_path(STOCK_CONFIG, STOCK_PREFIX, stock_inputs())


def ensure_stock_model() -> Path:
    return ensure_model(config=STOCK_CONFIG, prefix=STOCK_PREFIX, inputs=stock_inputs())
