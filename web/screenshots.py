"""Screenshots of the widget for the README, taken from a running web app and assistant.

    make run                      # in one terminal
    python -m web.screenshots     # in another; writes docs/screenshots/*.png

The browser tests call capture() too, so this script cannot silently rot.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.knowledge import load_knowledge
from web.browser import launch

OUT_DIR = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
QUESTION = "What is the Legal Trainee Scheme?"
WELSH_QUESTION = "Beth yw Cynllun yr Hyfforddeion Cyfreithiol?"
VIEWPORTS = {"desktop": (1280, 800), "mobile": (375, 740)}


def capture(
    base_url: str, out_dir: Path = OUT_DIR, question: str = QUESTION, browser=None
) -> list[Path]:
    """Write the screenshots; `browser` is a running Playwright browser, or one is started."""
    if browser is None:
        from playwright.sync_api import sync_playwright  # a dev tool, not a runtime need

        with sync_playwright() as playwright:
            own = launch(playwright)
            try:
                return capture(base_url, out_dir, question, own)
            finally:
                own.close()

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, viewport in VIEWPORTS.items():
        answered = out_dir / f"widget-{name}.png"
        closed = out_dir / "widget-closed.png" if name == "desktop" else None
        home = base_url + "/"
        written += _conversation(browser, home, "en", question, viewport, answered, closed)
    # The Welsh page, where the widget starts in Welsh.
    welsh = out_dir / "widget-welsh.png"
    written += _conversation(
        browser, base_url + "/cy/", "cy", WELSH_QUESTION, VIEWPORTS["desktop"], welsh
    )
    return written


def _conversation(
    browser, url: str, lang: str, question: str, viewport, answered: Path, closed=None
) -> list[Path]:
    """Open the widget on `url`, ask `question` and shoot the answer (the closed widget first,
    if `closed` says where)."""
    from playwright.sync_api import expect

    kb = load_knowledge()
    width, height = viewport
    context = browser.new_context(
        viewport={"width": width, "height": height}, reduced_motion="reduce"
    )
    shots = []
    try:
        page = context.new_page()
        page.goto(url)
        launcher = page.get_by_role("button", name=kb.label("widget-launcher", lang).text)
        if closed is not None:
            expect(launcher).to_be_visible()
            shots.append(_shot(page, closed))
        launcher.click()
        bot = page.locator(".cw-message--bot")
        expect(bot).to_have_count(1, timeout=30_000)
        page.get_by_label(kb.label("widget-input-label", lang).text).fill(question)
        page.keyboard.press("Enter")
        expect(bot).to_have_count(2, timeout=30_000)
        expect(page.locator(".cw-typing")).to_be_empty()
        shots.append(_shot(page, answered))
    finally:
        context.close()
    return shots


def _shot(page, path: Path) -> Path:
    page.screenshot(path=str(path))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the web app's address")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args()
    for path in capture(args.url.rstrip("/"), args.out):
        print(path)


if __name__ == "__main__":
    main()
