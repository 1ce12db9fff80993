"""The channel guards without a server: reading requests, cleaning text, screening commands,
and how a turn that fails, stays silent or hangs is answered."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from rasa.core.channels.channel import UserMessage

from bot.channels.guard import (
    UNAVAILABLE,
    Guard,
    clean_text,
    notice,
    valid_sender,
)
from bot.channels.intent_shortcuts import FEEDBACK, domain_intents, load_commands
from bot.channels.rest import BadRequest, GuardedCollectingOutput, read_request
from bot.knowledge import load_knowledge
from bot.limits.limiter import Limiter
from bot.limits.settings import ChannelSettings, Limits

KB = load_knowledge()
SENDER = "0123456789abcdef"


# ---- Requests ---------------------------------------------------------------------------


def body(value) -> bytes:
    return json.dumps(value).encode()


@pytest.mark.parametrize(
    ("raw", "code", "status"),
    [
        (b"", "bad_json", 400),
        (b"{not json", "bad_json", 400),
        (b"[" * 100_000, "bad_json", 400),  # nested too deep for the parser
        (b'{"sender": "ab\xff\xfe", "message": "hi"}', "bad_encoding", 400),
        (body(["sender", "message"]), "bad_json", 400),
        (body("hello"), "bad_json", 400),
        (body(42), "bad_json", 400),
        (body({"message": "hi"}), "bad_sender", 400),
        (body({"sender": "", "message": "hi"}), "bad_sender", 400),
        (body({"sender": 12345, "message": "hi"}), "bad_sender", 400),
        (body({"sender": None, "message": "hi"}), "bad_sender", 400),
        (body({"sender": "default", "message": "hi"}), "bad_sender", 400),
        (body({"sender": "a" * 129, "message": "hi"}), "bad_sender", 400),
        (body({"sender": "abc def", "message": "hi"}), "bad_sender", 400),
        (body({"sender": "<script>", "message": "hi"}), "bad_sender", 400),
        (body({"sender": "../../etc", "message": "hi"}), "bad_sender", 400),
        (body({"sender": SENDER}), "bad_message", 400),
        (body({"sender": SENDER, "message": None}), "bad_message", 400),
        (body({"sender": SENDER, "message": ["hi"]}), "bad_message", 400),
        (body({"sender": SENDER, "message": {"text": "hi"}}), "bad_message", 400),
        (b" " * (1024 * 1024 + 1), "request_too_large", 413),
    ],
)
def test_requests_that_cannot_be_served_say_why(raw, code, status):
    with pytest.raises(BadRequest) as refused:
        read_request(raw)
    assert (refused.value.code, refused.value.status) == (code, status)
    assert str(refused.value).endswith(".")


def test_a_good_request_keeps_only_sender_and_message():
    raw = body(
        {"sender": "a" * 128, "message": "hi", "metadata": {"x": 1}, "input_channel": "console"}
    )
    assert read_request(raw) == ("a" * 128, "hi")
    assert valid_sender("d4c1b0e6-a2f3-4e5b-9c7d-8e9f00112233")
    assert valid_sender("socket.io:AbC_12")


def test_control_characters_and_lone_surrogates_are_stripped_but_text_is_kept():
    assert clean_text("  pen\x00si\x1bon\x7f\x85 ") == "pension"
    assert clean_text("line one\nline two\ttab") == "line one\nline two\ttab"
    assert clean_text("bad \ud800 half") == "bad  half"
    kept = "مرحبا \u200f right-to-left, 👩\u200d💻 emoji, <b>html</b>"
    assert clean_text(kept) == kept


# ---- Commands ---------------------------------------------------------------------------

COMMANDS = load_commands()


def test_the_allowed_intents_are_the_domain_files_and_none_of_rasas_built_ins():
    intents = domain_intents()
    assert {"greeting", "pension", "tell-me-more", "pathway-finder", "stop"} <= intents
    assert set(KB.entries) <= intents
    assert not {"restart", "session_start", "back", "nlu_fallback", "out_of_scope"} & intents


@pytest.mark.parametrize(
    "payload", ["/pension", "/greeting", "/tell-me-more", "/pathway-finder", "/start-again"]
)
def test_button_payloads_pass(payload):
    assert COMMANDS.screen(payload) == payload


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        ("/restart", "restart"),
        ("/session_start", "session_start"),
        ("/nlu_fallback", "nlu_fallback"),
        ("/made-up-intent", "made-up-intent"),
        ('/salary{"role": "crown-prosecutor"}', 'salary{"role": "crown-prosecutor"}'),
        ("/pension@0.2", "pension@0.2"),
        ("//pension", "pension"),
        ("/ /restart", "restart"),
        ("/Pension", "Pension"),
        ("/", ""),
        ("what does a prosecutor earn?", "what does a prosecutor earn?"),
    ],
)
def test_anything_else_starting_with_a_slash_is_plain_text(typed, plain):
    assert COMMANDS.screen(typed) == plain


def test_a_rating_passes_rebuilt_only_with_a_known_rating_and_topic():
    rating = '/feedback{"rating": "up", "rated_topic": "pension"}'
    assert COMMANDS.screen(rating) == rating
    assert COMMANDS.screen('/feedback{"rated_topic":"fallback","rating":"down"}') == (
        '/feedback{"rating": "down", "rated_topic": "fallback"}'
    )
    for forged in [
        '/feedback{"rating": "up", "rated_topic": "no-such-topic"}',
        '/feedback{"rating": "excellent", "rated_topic": "pension"}',
        '/feedback{"rating": "up", "rated_topic": "pension", "role": "crown-advocate"}',
        '/feedback{"rating": ["up"], "rated_topic": "pension"}',
        '/feedback{"rating": "up", "rated_topic": {"a": 1}}',
        "/feedback{not json}",
        "/feedback",
    ]:
        assert COMMANDS.screen(forged) == f"/{FEEDBACK}", forged


# ---- Replies sent by the guard ----------------------------------------------------------


def test_the_guards_replies_come_from_the_knowledge_file_and_follow_the_contract():
    apology = notice(UNAVAILABLE)
    assert apology["text"] == KB.conversation["unavailable"].answer
    assert apology["custom"] == {
        "topic": "human-handoff",
        "source": KB.conversation["unavailable"].source,
        "notice": "unavailable",
    }
    assert notice("slow-down")["custom"]["topic"] == "fallback"


def guard(reply_timeout: float = 5.0, **limits) -> Guard:
    settings = ChannelSettings(reply_timeout=reply_timeout, max_message_chars=20)
    return Guard(settings, Limiter(Limits(**limits), "test"))


async def run(guard: Guard, text: str, on_new_message) -> list[dict]:
    output = GuardedCollectingOutput()
    await guard.handle(on_new_message, output, SENDER, text, None, "rest")
    return output.messages


def rasa_answering(topic: str = "pension"):
    seen: list[str] = []

    async def on_new_message(message: UserMessage) -> None:
        seen.append(message.text)
        await message.output_channel.send_response(
            message.sender_id, {"text": "An answer.", "custom": {"topic": topic}}
        )

    return on_new_message, seen


async def test_rasa_gets_the_cleaned_text_and_its_answer_goes_out():
    on_new_message, seen = rasa_answering()
    messages = await run(guard(), " /restart\x00 ", on_new_message)
    assert seen == ["restart"]
    assert messages == [
        {"recipient_id": SENDER, "text": "An answer."},
        {"recipient_id": SENDER, "custom": {"topic": "pension"}},
    ]


@pytest.mark.parametrize(
    ("text", "key"), [("", "empty-message"), (" \x00\t ", "empty-message"), ("/", "empty-message"),
                      ("x" * 21, "message-too-long")]
)
async def test_empty_and_long_messages_are_answered_without_rasa(text, key):
    on_new_message, seen = rasa_answering()
    messages = await run(guard(), text, on_new_message)
    assert seen == []
    assert messages[-1]["custom"]["notice"] == key
    assert messages[0]["text"] == KB.conversation[key].answer.strip()


async def test_a_fault_in_rasa_gets_the_apology_and_one_log_line_without_the_text(caplog):
    async def failing(message: UserMessage) -> None:
        raise RuntimeError(f"database is down while saving {message.text!r}")

    with caplog.at_level(logging.INFO):
        messages = await run(guard(), "my secret question", failing)
    assert messages[-1]["custom"] == notice(UNAVAILABLE)["custom"]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "RuntimeError" in errors[0].getMessage()
    assert "secret" not in caplog.text


async def test_a_turn_without_a_reply_gets_the_apology(caplog):
    async def silent(_message: UserMessage) -> None:
        return None  # what Rasa does when the action server cannot be reached

    messages = await run(guard(), "hello", silent)
    assert [m["custom"]["notice"] for m in messages if "custom" in m] == [UNAVAILABLE]
    assert "no reply carrying a topic" in caplog.text


async def test_a_slow_turn_is_answered_in_time_finishes_anyway_and_its_late_reply_is_dropped():
    finished = asyncio.Event()

    async def slow(message: UserMessage) -> None:
        await asyncio.sleep(3.0)
        await message.output_channel.send_response(
            message.sender_id, {"text": "Late.", "custom": {"topic": "pension"}}
        )
        finished.set()

    messages = await run(guard(reply_timeout=0.2), "hello", slow)
    assert not finished.is_set()  # answered before the slow turn ended
    assert [m["custom"]["notice"] for m in messages if "custom" in m] == [UNAVAILABLE]
    await asyncio.wait_for(finished.wait(), 10)  # shielded: the turn still completed
    assert all(m.get("text") != "Late." for m in messages)


async def test_a_fault_after_the_answer_went_out_adds_no_second_topic(caplog):
    async def answer_then_fail(message: UserMessage) -> None:
        await message.output_channel.send_response(
            message.sender_id, {"text": "An answer.", "custom": {"topic": "pension"}}
        )
        raise OSError("disk full")

    messages = await run(guard(), "hello", answer_then_fail)
    assert [m["custom"] for m in messages if "custom" in m] == [{"topic": "pension"}]
    assert "OSError" in caplog.text


async def test_limits_are_answered_before_rasa_is_asked():
    on_new_message, seen = rasa_answering()
    limited = guard(per_conversation=2, conversation_messages=0)
    replies = [await run(limited, "hello", on_new_message) for _ in range(3)]
    assert len(seen) == 2
    assert replies[-1][-1]["custom"]["notice"] == "slow-down"
