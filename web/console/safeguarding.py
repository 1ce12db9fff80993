"""Safeguarding: the conversations where a visitor described danger, a crime or distress,
for a recruiter to check that the safety signposting came and fitted. Viewing the list is
audited like the conversation list."""

from __future__ import annotations

from sanic import Request
from sanic.response import HTTPResponse

from web.console import queries
from web.console.common import audit, console, in_db, signed_in
from web.console.views import conversation_list_page, filters_or_error


@console.get("/safeguarding")
@signed_in()
async def safeguarding(request: Request) -> HTTPResponse:
    filters, error = filters_or_error(request)
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
    return conversation_list_page(
        request, "safeguarding.html", "/console/safeguarding", filters, error, page
    )
