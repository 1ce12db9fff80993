"""The widget's web app API limits a conversation and an address with a 429 the widget shows.

A web app of our own with low limits, in front of the running assistant. It trusts one
proxy (SANIC_PROXIES_COUNT=1), as behind a reverse proxy in production, so each test
request says which visitor address the proxy saw.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from assistant_client import new_sender
from channel_client import KB

from bot.ops.services import Service, free_port, web_app

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def limited_web(assistant, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    port = free_port()
    service = web_app(
        port,
        rasa_url=assistant.rasa_url,
        log_path=tmp_path_factory.mktemp("limited-web") / "web.log",
        env={
            "RATE_LIMIT_PER_CONVERSATION": "3",
            "RATE_LIMIT_PER_ADDRESS": "4",
            "SANIC_PROXIES_COUNT": "1",
        },
    )
    service.start()
    try:
        service.wait_until_healthy(timeout=60)
        yield service
    finally:
        service.stop()


def send(web: Service, conversation: str, address: str | None = None) -> requests.Response:
    headers = {"X-Forwarded-For": address} if address else {}
    return requests.post(
        f"{web.url}/api/messages",
        json={"conversation": conversation, "message": "/thanks"},
        headers=headers,
        timeout=30,
    )


def assert_rate_limited(response: requests.Response) -> None:
    assert response.status_code == 429
    assert response.json() == {
        "error": "rate_limited",
        "reason": KB.conversation["slow-down"].answer,
    }
    assert response.headers["Retry-After"] == "60"
    assert response.headers["Cache-Control"] == "no-store"


def test_a_conversation_sending_too_fast_gets_a_429(limited_web):
    conversation = new_sender()
    for _ in range(3):
        assert send(limited_web, conversation).status_code == 200
    assert_rate_limited(send(limited_web, conversation))
    assert send(limited_web, new_sender()).status_code == 200


def test_an_address_sending_too_fast_gets_a_429(limited_web):
    for _ in range(4):
        assert send(limited_web, new_sender(), "203.0.113.20").status_code == 200
    assert_rate_limited(send(limited_web, new_sender(), "203.0.113.20"))
    assert send(limited_web, new_sender(), "203.0.113.21").status_code == 200


@pytest.mark.browser
def test_the_widget_tells_the_visitor_to_slow_down(limited_web, browser):
    from playwright.sync_api import expect

    page = browser.new_page()
    try:
        page.goto(limited_web.url + "/")
        page.get_by_role("button", name="Ask our careers assistant").click()
        bot_messages = page.locator(".cw-message--bot")
        expect(bot_messages).to_have_count(1, timeout=30_000)  # the greeting: message 1 of 3
        box = page.get_by_role("textbox", name="Type your question")
        box.fill("thanks")
        box.press("Enter")
        expect(bot_messages).to_have_count(2, timeout=30_000)
        box.fill("thank you")
        box.press("Enter")
        expect(bot_messages).to_have_count(3, timeout=30_000)
        box.fill("one more question")
        box.press("Enter")
        expect(page.locator(".cw-error")).to_contain_text("Please wait a minute", timeout=30_000)
        expect(box).to_have_value("one more question")  # the words are kept to send later
        expect(page.locator(".cw-retry")).to_have_count(0)
    finally:
        page.close()
