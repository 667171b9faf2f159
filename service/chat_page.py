"""The chat page as shoppers get it, or with the designer's state panel (route, slots, flow stack).

The panel is for people building flows: it appears on /?designer=1 (and inside /designer, which loads
that page) only while the `designer` setting is on, so a public shop turns it off with
`SHOPTALK_DESIGNER=0`. The shopper's page never contains the panel's markup or the designer link.
"""
from __future__ import annotations

from pathlib import Path

from fastapi.responses import HTMLResponse

from service.settings import Settings

STATIC = Path(__file__).parent / "static"
SLOT = "<!-- designer panel: inserted here by the server for /?designer=1 (service/static/designer-panel.html) -->"
ON = ("1", "true", "yes", "on")


def wants_panel(settings: Settings, designer: str | None) -> bool:
    return settings.designer and (designer or "").strip().lower() in ON


def chat_page(settings: Settings, designer: str | None) -> HTMLResponse:
    """index.html, with designer-panel.html in its slot when asked for and allowed."""
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    if SLOT not in page:  # the template and this module must agree; say so rather than serve a page without it
        raise RuntimeError(f"{STATIC / 'index.html'} lacks the designer panel's slot comment")
    panel = (STATIC / "designer-panel.html").read_text(encoding="utf-8") if wants_panel(settings, designer) else ""
    return HTMLResponse(page.replace(SLOT, panel.rstrip("\n")), headers={"Cache-Control": "no-cache"})
