"""The careers knowledge file (careers.yml): every answer the assistant gives.

    from bot.knowledge import load_knowledge
    kb = load_knowledge()
    kb.get("salary").answer

`python -m bot.knowledge check` validates the file; `python -m bot.knowledge stale`
lists entries that are due for review.
"""

from bot.knowledge.loader import KNOWLEDGE_FILE, KnowledgeBase, load_knowledge
from bot.knowledge.schema import (
    ROUTE_FINDER,
    Entry,
    FollowUp,
    KnowledgeError,
    Pathway,
    Pay,
    Pointer,
    Reply,
    Safety,
)

__all__ = [
    "KNOWLEDGE_FILE",
    "ROUTE_FINDER",
    "Entry",
    "FollowUp",
    "KnowledgeBase",
    "KnowledgeError",
    "Pathway",
    "Pay",
    "Pointer",
    "Reply",
    "Safety",
    "load_knowledge",
]
