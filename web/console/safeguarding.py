"""Safeguarding: the conversations where a visitor described danger, a crime or distress,
for a recruiter to check that the safety signposting came and fitted. Viewing the list is
audited like the conversation list."""

from __future__ import annotations

from urllib.parse import urlencode

from sanic import Request
from sanic.response import HTTPResponse

from web.console import queries
from web.console.common import audit, console, in_db, render, signed_in


@console.get("/safeguarding")
@signed_in()
async def safeguarding(request: Request) -> HTTPResponse:
    error = ""
    try:
        filters = queries.Filters.parse(request.args)
    except queries.BadFilter as bad:
        filters, error = queries.Filters(), str(bad)
    # Only these filters apply here: the list is always the safeguarding one, newest first.
    filters = queries.Filters(
        safety=True,
        reviewed=filters.reviewed,
        page=filters.page,
        after=filters.after,
        before=filters.before,
    )

    def load(connection):
        page = queries.conversation_page(connection, filters)
        audit(
            request, connection, "view-safeguarding", shown=len(page.rows), **filters.audit_detail()
        )
        return page

    page = await in_db(request, load)

    def page_link(number: int, **key: str | None) -> str:
        return "/console/safeguarding?" + urlencode(filters.query_args(page=number, **key))

    return render(
        request,
        "safeguarding.html",
        status=400 if error else 200,
        error=error,
        filters=filters,
        page=page,
        page_link=page_link,
    )
