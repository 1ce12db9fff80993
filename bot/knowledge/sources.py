"""The rules for the web addresses and wording of the knowledge file.

Which sources count as official (one list, here), which addresses stop working
(session ids), notes left for an editor, and absolute promises that no source
should be stretched into. The schema and `make check-knowledge` both use these.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlsplit

# Pages published by the CPS, the Civil Service, government and Parliament. A host
# counts when it is one of these or ends with "." and one of them, so "gov.uk"
# covers cps.gov.uk, civil-service-careers.gov.uk and civilservicejobs.service.gov.uk.
OFFICIAL_DOMAINS = (
    "gov.uk",
    "parliament.uk",
    "civilservicepensionscheme.org.uk",
    "police.uk",
)
# At least this share of the entries' main sources must be official.
MIN_OFFICIAL_SHARE = 0.75

# Query parameters that tie an address to one browser session (Civil Service Jobs'
# index.cgi?SID=...): the link stops working for everyone else. Civil Service Jobs
# has a stable address for each advert: /csr/jobs.cgi?jcode=<vacancy number>.
SESSION_PARAMETERS = frozenset({"sid", "sessionid", "session_id", "jsessionid", "phpsessid"})

# A note to an editor ("EDITOR: confirm this page") must be done and removed.
EDITOR_NOTE = re.compile(r"\bEDITOR\b")

# Wording that promises more than a recruitment source can: a candidate reads it as a
# guarantee. Allowed only where the entry lists the words under `quoted`.
ABSOLUTE_PROMISES = (
    re.compile(r"\beveryone who\b", re.IGNORECASE),
    re.compile(
        r"\ball\b(?:\s+[\w'-]+){0,3}?\s+"
        r"(?:jobs|roles|posts|vacancies|applicants|candidates|trainees|staff)\b",
        re.IGNORECASE,
    ),
    re.compile(r"\bevery (?:applicant|candidate|trainee|advert|job|role)\b", re.IGNORECASE),
    # "not guaranteed" and "no guarantee" are the honest opposite of a promise.
    re.compile(r"(?<!not )(?<!no )(?<!never )\bguarantee(?:d|s)?\b", re.IGNORECASE),
    re.compile(r"\b(?:will definitely|certain to|always be offered)\b", re.IGNORECASE),
)
# The same promises in Welsh texts (which are checked against both lists). Welsh "pob"
# is also "each" ("pob hysbyseb": each advert), so only "every applicant" and "every
# trainee" are refused; "heb ei warantu" and "dim gwarant" are the honest opposite.
WELSH_PROMISES = (
    re.compile(r"\bpawb sy'n\b", re.IGNORECASE),
    re.compile(
        r"\bholl\s+(?:[\w'-]+\s+){0,2}?(?:swyddi|rolau|ymgeiswyr|hyfforddeion|staff)\b",
        re.IGNORECASE,
    ),
    re.compile(r"\b(?:pob|bob|mhob) (?:ymgeisydd|hyfforddai)\b", re.IGNORECASE),
    re.compile(r"(?<!dim )(?<!heb ei )(?<!heb eu )\b(?:g|ng)?warant\w*", re.IGNORECASE),
    re.compile(r"\b(?:yn sicr o|bob amser yn cael cynnig)\b", re.IGNORECASE),
)


def host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def is_official(url: str) -> bool:
    name = host(url)
    return any(name == domain or name.endswith("." + domain) for domain in OFFICIAL_DOMAINS)


def session_problem(url: str) -> str | None:
    """Why `url` will stop working for visitors, or None."""
    parts = urlsplit(url)
    names = {name.lower() for name, _ in parse_qsl(parts.query, keep_blank_values=True)}
    if names & SESSION_PARAMETERS or ";jsessionid=" in parts.path.lower():
        hint = (
            " (for Civil Service Jobs, use the advert's stable address "
            "https://www.civilservicejobs.service.gov.uk/csr/jobs.cgi?jcode=<vacancy number>)"
            if "civilservicejobs" in parts.netloc.lower()
            else ""
        )
        return (
            "is tied to one browser session (it has a session id), so it stops working "
            f"for visitors; link to the page's permanent address{hint}"
        )
    return None


def promises(text: str, quoted: Iterable[str] = (), lang: str = "en") -> list[str]:
    """The absolute promises in `text` that are not inside one of the `quoted` passages
    (a Welsh text, `lang="cy"`, is checked for the Welsh promises too)."""
    allowed = [
        range(match.start(), match.end())
        for passage in quoted
        for match in re.finditer(re.escape(passage), text)
    ]
    found = []
    patterns = ABSOLUTE_PROMISES + (WELSH_PROMISES if lang == "cy" else ())
    for pattern in patterns:
        for match in pattern.finditer(text):
            if not any(match.start() in span and match.end() - 1 in span for span in allowed):
                found.append(match.group(0))
    return found


def official_share(urls: Iterable[str]) -> tuple[int, int]:
    """(official, total) for the addresses given."""
    urls = list(urls)
    return sum(is_official(url) for url in urls), len(urls)
