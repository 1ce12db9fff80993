"""Keyboard-only helpers for driving the widget in a page, and the axe-core check.

Playwright's locators pierce the widget's open shadow root, so the tests find
controls by role and name as a screen-reader user would.
"""

from __future__ import annotations

from accessibility import axe_violations  # noqa: F401 (the widget tests import it from here)
from playwright.sync_api import Locator, Page, expect

ANSWER_TIMEOUT = 30_000  # ms; the first answers of a fresh Rasa can be slow

# The focused element, looking inside shadow roots (document.activeElement stops at the host).
DEEP_FOCUS = """() => {
  let active = document.activeElement;
  while (active && active.shadowRoot && active.shadowRoot.activeElement) {
    active = active.shadowRoot.activeElement;
  }
  return active;
}"""


def is_focused(locator: Locator) -> bool:
    return locator.evaluate(f"(el) => ({DEEP_FOCUS})() === el")


def focus_in_widget(page: Page) -> bool:
    return page.evaluate(f"() => {{ const a = ({DEEP_FOCUS})(); "
                         "return !!a && a.getRootNode() !== document; }")


def tab_to(page: Page, target: Locator, backwards: bool = False, limit: int = 80) -> None:
    """Press Tab (or Shift+Tab) until `target` has focus, as a keyboard user would."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        if is_focused(target):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{target} never received focus after {limit} presses of {key}")


def launcher(page: Page) -> Locator:
    return page.get_by_role("button", name="Ask our careers assistant")


def message_box(page: Page) -> Locator:
    return page.get_by_role("textbox", name="Type your question")


def bot_messages(page: Page) -> Locator:
    return page.locator(".cw-message--bot")


def user_messages(page: Page) -> Locator:
    return page.locator(".cw-message--user")


def open_by_keyboard(page: Page) -> None:
    """Tab to the launcher, press Enter, and wait for the greeting (or the history)."""
    tab_to(page, launcher(page))
    page.keyboard.press("Enter")
    expect(page.get_by_role("region", name="Careers assistant")).to_be_visible()
    assert is_focused(message_box(page)), "opening the panel puts focus in the message box"


def wait_for_greeting(page: Page) -> Locator:
    greeting = bot_messages(page).first
    expect(greeting).to_have_attribute("data-topic", "greeting", timeout=ANSWER_TIMEOUT)
    return greeting


def ask(page: Page, question: str) -> Locator:
    """Type into the focused message box, press Enter, and return the answer."""
    before = bot_messages(page).count()
    assert is_focused(message_box(page))
    page.keyboard.type(question)
    page.keyboard.press("Enter")
    expect(bot_messages(page)).to_have_count(before + 1, timeout=ANSWER_TIMEOUT)
    expect(page.locator(".cw-typing")).to_be_empty()
    return bot_messages(page).nth(before)  # pinned: `.last` would move on with later answers


def stored_conversation(page: Page) -> dict:
    return page.evaluate("() => JSON.parse(sessionStorage.getItem('cps-careers-assistant'))")
