"""axe-core in a page: the WCAG 2.2 A and AA rules every browser test applies."""

from __future__ import annotations

from playwright.sync_api import Page

from bot import PROJECT_ROOT

# Installed by `npm ci` (package.json pins it); each browser test adds it to its pages.
AXE_SCRIPT = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page: Page) -> list[str]:
    """axe-core's WCAG 2.2 A/AA violations in the whole page (shadow roots included)."""
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]
