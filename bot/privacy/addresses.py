"""Street addresses: a house number and a street, or what follows "my address is".

* Number and street: "10 Downing Street", "221B Baker St", "flat 3, 14 acacia avenue". The
  street is one to three words that are not function words or units ("2 years the hard
  way" is not an address) and ends in a street word. Words that also end ordinary
  phrases ("way", "court", "park", "hill"...) count only Capitalised ("1 Easy Way" yes,
  "1 easy way" no), and courts of law ("94 Crown Court centres") never.
* After a cue ("my address is", "address:", "I live at", "we live at"): the words up to
  the end of the clause, at most six, unless they are "home" or "the moment".

A town or a street name alone ("I live in Leeds", "near Fleet Street") is left: neither
identifies a person. Postcodes have their own detector.
"""

from __future__ import annotations

import re

from bot.privacy.patterns import Span, spans

ADDRESS = "address"
PLACEHOLDER = "[address]"

_FUNCTION_WORDS = (
    "the|a|an|of|and|or|to|in|on|at|for|with|by|from|into|my|your|our|their|his|her|its|is|are"
    "|was|were|be|been|am|i|we|you|they|it|this|that|these|those|per|each|every|more|less|than"
    "|about|around|over|under|very|so|too|also|years?|yrs?|months?|weeks?|days?|hours?|hrs?"
    "|minutes?|mins?|seconds?|miles?|km|metres?|times?|people|staff|kids?|children|jobs?|roles?"
    "|grades?|levels?|bands?|stages?|steps?|hour|week|one|two|three|four|five|six|seven|eight"
    "|nine|ten|main|different|simple|easy|quick|best|only|good|other|new|few"
)
_NAME_WORD = rf"(?!(?:{_FUNCTION_WORDS})(?![A-Za-z]))[A-Za-z][A-Za-z'’.\-]*"
_CAP_WORD = rf"(?!(?:{_FUNCTION_WORDS})(?![A-Za-z]))[A-Z][A-Za-z'’.\-]*"
# Words that end a street and little else.
_STREET = (
    r"street|st|road|rd|avenue|ave|lane|ln|close|drive|crescent|cres|terrace|gardens|gdns"
    r"|grove|mews|boulevard|blvd"
)
# Words that end a street but also ordinary phrases: Capitalised only.
_STREET_CAPITALISED = (
    r"Way|Court|Ct|Place|Pl|Square|Sq|Parade|Row|Walk|Hill|Park|Rise|View|Green|Gate|Quay"
    r"|Chase|Wharf|Villas|Cottages|Heights|Embankment|Circus|Yard|Fields|Meadows|Vale"
)
_COURTS_OF_LAW = r"(?:crown|magistrates['’]?|county|high|supreme|family|youth|coroners['’]?)"
_FLAT = r"(?:(?i:flat|apartment|apt|unit)[ ][0-9]{1,4}[A-Za-z]?,?[ ])?"
_NUMBER = rf"{_FLAT}[0-9]{{1,4}}[A-Za-z]?(?:[\-–][0-9]{{1,4}}[A-Za-z]?)?,?[ ]"

_NUMBER_AND_STREET_RE = re.compile(
    rf"""
    (?<![A-Za-z0-9£$€.,])
    {_NUMBER}
    (?:
        (?:{_NAME_WORD}[ ]){{1,3}}(?i:{_STREET})\.?
      | (?!(?i:{_COURTS_OF_LAW})[ ])(?:{_CAP_WORD}[ ]){{1,3}}(?:{_STREET_CAPITALISED})\.?
    )
    (?![A-Za-z])
    """,
    re.VERBOSE,
)

_CUE = (
    r"my[ ](?:home[ ]|postal[ ]|full[ ]|current[ ]|new[ ])?address(?:[ ](?:is|was))?"
    r"|(?<![A-Za-z])address[ ]?:|i[ ]live[ ]at|we[ ]live[ ]at|i['’]?m[ ]living[ ]at"
    r"|i[ ]am[ ]living[ ]at|i[ ]stay[ ]at"
)
_STOP_WORDS = (
    r"and|but|so|or|because|can|could|do|does|will|would|what|how|please|is|are|was|if|when"
)
_WORD = r"[^\s.,;:?!\n\[\]]+"
_CUED_RE = re.compile(
    rf"""
    (?<![A-Za-z])(?:{_CUE})[ :\-]{{0,3}}
    (?!(?:home|present|the[ ]moment|the[ ]minute|the[ ]weekend|uni|university|{_STOP_WORDS})
        (?![A-Za-z]))
    (?P<secret>{_WORD}(?:[ \t]+(?!(?:{_STOP_WORDS})(?![A-Za-z])){_WORD}){{0,5}})
    """,
    re.IGNORECASE | re.VERBOSE,
)


def find_addresses(text: str) -> list[Span]:
    found = spans(_CUED_RE, text, ADDRESS, PLACEHOLDER, "secret")
    found += spans(_NUMBER_AND_STREET_RE, text, ADDRESS, PLACEHOLDER)
    return found
