"""How the assistant reads messages that are not plain questions, over HTTP."""

from __future__ import annotations

import pytest
from assistant_client import buttons, contract_payload, new_sender, reply_text

from bot.knowledge import load_knowledge

pytestmark = pytest.mark.e2e
KB = load_knowledge()


@pytest.mark.parametrize("text", ["qwfpgjluy", "zzzkkk blorf", "....", "hmmmmmmm"])
def test_keyboard_mash_gets_no_topic_and_no_guesses(assistant, text):
    messages = assistant.send(new_sender(), text)
    payload = contract_payload(messages)
    assert payload["topic"] == "fallback"
    assert payload.get("suggestions") == []
    assert not buttons(messages)


def test_a_job_elsewhere_gets_a_pointer_to_the_right_place(assistant):
    messages = assistant.send(new_sender(), "what would I need to do to become a magistrate?")
    payload = contract_payload(messages)
    pointer = next(p for p in KB.elsewhere if p.id == "magistrates")
    assert payload["topic"] == "out-of-scope"
    assert payload["source"] == pointer.source
    assert reply_text(messages) == pointer.answer


def test_the_question_is_read_out_of_greetings_and_background(assistant):
    messages = assistant.send(
        new_sender(),
        "Hi! Hope you're well. I've been a carer for my mum for years and I'm now looking "
        "for work. Does the CPS offer part-time or job share roles?",
    )
    assert contract_payload(messages)["topic"] == "flexible-working"
