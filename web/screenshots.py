"""Screenshots of the widget for the README, taken from a running web app and assistant.

    make run                      # in one terminal
    python -m web.screenshots     # in another; writes docs/screenshots/*.png

The browser tests call capture() too, so this script cannot silently rot.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from web.browser import launch

OUT_DIR = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
QUESTION = "What is the Legal Trainee Scheme?"
VIEWPORTS = {"desktop": (1280, 800), "mobile": (375, 740)}


def capture(base_url: str, out_dir: Path = OUT_DIR, question: str = QUESTION,
            browser=None) -> list[Path]:
    """Write the screenshots; `browser` is a running Playwright browser, or one is started."""
    if browser is None:
        from playwright.sync_api import sync_playwright  # a dev tool, not a runtime need

        with sync_playwright() as playwright:
            own = launch(playwright)
            try:
                return capture(base_url, out_dir, question, own)
            finally:
                own.close()

    from playwright.sync_api import expect

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (width, height) in VIEWPORTS.items():
        context = browser.new_context(
            viewport={"width": width, "height": height}, reduced_motion="reduce"
        )
        try:
            page = context.new_page()
            page.goto(base_url + "/")
            launcher = page.get_by_role("button", name="Ask our careers assistant")
            if name == "desktop":
                expect(launcher).to_be_visible()
                written.append(_shot(page, out_dir / "widget-closed.png"))
            launcher.click()
            bot = page.locator(".cw-message--bot")
            expect(bot).to_have_count(1, timeout=30_000)
            page.get_by_label("Type your question").fill(question)
            page.keyboard.press("Enter")
            expect(bot).to_have_count(2, timeout=30_000)
            expect(page.locator(".cw-typing")).to_be_empty()
            written.append(_shot(page, out_dir / f"widget-{name}.png"))
        finally:
            context.close()
    return written


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
