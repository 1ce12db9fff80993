"""Keyboard-only helpers for driving the widget in a page, and the axe-core check.

Playwright's locators pierce the widget's open shadow root, so the tests find
controls by role and name as a screen-reader user would, in the widget's own words
(the knowledge file's `widget-` labels) in the language it speaks.
"""

from __future__ import annotations

from accessibility import axe_violations  # noqa: F401 (the widget tests import it from here)
from playwright.sync_api import Locator, Page, expect

from bot.knowledge import load_knowledge
from bot.knowledge.welsh import ENGLISH

ANSWER_TIMEOUT = 30_000  # ms; the first answers of a fresh Rasa can be slow

# The focused element, looking inside shadow roots (document.activeElement stops at the host).
DEEP_FOCUS = """() => {
  let active = document.activeElement;
  while (active && active.shadowRoot && active.shadowRoot.activeElement) {
    active = active.shadowRoot.activeElement;
  }
  return active;
}"""


def words(lang: str, key: str, **values: str) -> str:
    """The widget's words for ``key`` in ``lang``, with their {placeholders} filled in."""
    text = load_knowledge().label(f"widget-{key}", lang).text
    for name, value in values.items():
        text = text.replace(f"{{{name}}}", value)
    return text


def is_focused(locator: Locator) -> bool:
    return locator.evaluate(f"(el) => ({DEEP_FOCUS})() === el")


def tab_to(page: Page, target: Locator, backwards: bool = False, limit: int = 80) -> None:
    """Press Tab (or Shift+Tab) until `target` has focus, as a keyboard user would."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        if is_focused(target):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{target} never received focus after {limit} presses of {key}")


class Widget:
    """The chat widget on a page, speaking ``lang`` (its controls are found by their names
    in that language)."""

    def __init__(self, page: Page, lang: str = ENGLISH) -> None:
        self.page = page
        self.lang = lang

    def words(self, key: str, **values: str) -> str:
        return words(self.lang, key, **values)

    @property
    def launcher(self) -> Locator:
        return self.page.get_by_role("button", name=self.words("launcher"))

    @property
    def panel(self) -> Locator:
        return self.page.get_by_role("region", name=self.words("title"))

    @property
    def message_box(self) -> Locator:
        return self.page.get_by_role("textbox", name=self.words("input-label"))

    @property
    def bot_messages(self) -> Locator:
        return self.page.locator(".cw-message--bot")

    @property
    def user_messages(self) -> Locator:
        return self.page.locator(".cw-message--user")

    def has_focus(self) -> bool:
        """Is the focus somewhere inside the widget?"""
        return self.page.evaluate(
            f"() => {{ const a = ({DEEP_FOCUS})(); return !!a && a.getRootNode() !== document; }}"
        )

    def open_by_keyboard(self) -> None:
        """Tab to the launcher, press Enter, and wait for the panel to open."""
        tab_to(self.page, self.launcher)
        self.page.keyboard.press("Enter")
        expect(self.panel).to_be_visible()
        assert is_focused(self.message_box), "opening the panel puts focus in the message box"

    def start_at(self, url: str) -> Locator:
        """A visitor's start: go to ``url``, open the widget by keyboard and wait for the
        greeting, which is returned."""
        self.page.goto(url)
        self.open_by_keyboard()
        return self.wait_for_greeting()

    def wait_for_greeting(self) -> Locator:
        greeting = self.bot_messages.first
        expect(greeting).to_have_attribute("data-topic", "greeting", timeout=ANSWER_TIMEOUT)
        return greeting

    def ask(self, question: str) -> Locator:
        """Type into the focused message box, press Enter, and return the answer."""
        before = self.bot_messages.count()
        assert is_focused(self.message_box)
        self.page.keyboard.type(question)
        self.page.keyboard.press("Enter")
        expect(self.bot_messages).to_have_count(before + 1, timeout=ANSWER_TIMEOUT)
        expect(self.page.locator(".cw-typing")).to_be_empty()
        return self.bot_messages.nth(before)  # pinned: `.last` would move on with later answers

    def stored_conversation(self) -> dict:
        return self.page.evaluate(
            "() => JSON.parse(sessionStorage.getItem('cps-careers-assistant'))"
        )
