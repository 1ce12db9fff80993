"""A measured evaluation, as `make evaluate` writes docs/evaluation.json, for the page tests."""

MEASURED = {
    "set": "held-out",
    "date": "2026-12-04",
    "model": "careers-<b>0123</b>.tar.gz",  # escaped, never read as HTML
    "total": 1234,
    "accuracy": 0.9612,
    "confident_wrong_rate": 0.0081,
    "fallback_rate": 0.0307,
    "by_kind": {
        "typos-and-text-speak": {
            "total": 120, "accuracy": 0.95, "confident_wrong_rate": 0.01, "fallback_rate": 0.04,
        },
        "safety": {"total": 40, "accuracy": 1.0},
    },
    "per_question_csv": "docs/evaluation.csv",  # keys the pages do not use are fine
}
