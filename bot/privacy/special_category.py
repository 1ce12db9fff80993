"""Statements about the visitor that are special-category or criminal-offence data.

UK GDPR article 9 (health, disability, sexual orientation, religion or belief, racial or
ethnic origin, political opinions, trade union membership) and article 10 (criminal
convictions and offences; for the CPS also being a victim or witness of a crime) need
more care than other personal data. They are not redacted: a recruiter improving the
answers for disabled candidates needs "I have MS, can I get adjustments?". Instead the
conversation is marked sensitive (the console's summaries), kept out of console search and
exports unless a recruiter chooses otherwise (audited), and kept for a shorter time
(``SENSITIVE_RETENTION_DAYS``). docs/security.md, "Data protection impact assessment",
says why.

What counts is a statement **about the visitor**: a first-person form ("I'm", "I have",
"I was", "my", "as a ...") followed, within a few qualifying words, by a term of the
lexicon below. A question about the subject is not a disclosure: "do you support disabled
staff?" and "is there an LGBT+ network?" are careers questions; "I'm disabled" and "I have
MS" are disclosures. A conditional ("if I have a criminal record, can I apply?") counts:
it is read the cautious way. A case or police reference already redacted from the text
counts as criminal-offence data too.

The lexicon is here and only here; the tests in tests/privacy/test_special_category.py
hold examples of both kinds.
"""

from __future__ import annotations

import re

HEALTH = "health"
DISABILITY = "disability"
SEXUALITY = "sexuality"
RELIGION = "religion"
ETHNICITY = "ethnicity"
PREGNANCY = "pregnancy"
POLITICS = "political-opinion"
TRADE_UNION = "trade-union"
CRIMINAL_OFFENCE = "criminal-offence"
VICTIM = "victim"

SPECIAL_CATEGORIES = (
    HEALTH,
    DISABILITY,
    SEXUALITY,
    RELIGION,
    ETHNICITY,
    PREGNANCY,
    POLITICS,
    TRADE_UNION,
    CRIMINAL_OFFENCE,
    VICTIM,
)

# ---------------------------------------------------------------- how a visitor says it
_I_AM = r"(?:i\s*'?\s*m|i\s+am|i\s+was|i\s*'?\s*ve\s+been|i\s+have\s+been|i\s+had\s+been"
_I_AM += r"|i\s+became|i\s+identify\s+as|i\s+consider\s+myself|as\s+an?|being\s+an?)"
_I_HAVE = (
    r"(?:i\s+have|i\s*'?\s*ve(?:\s+got)?|i\s+had|i\s+got|i\s+suffer\s+(?:from|with)"
    r"|i\s+live\s+with|i\s*'?\s*m\s+living\s+with|i\s+am\s+living\s+with|i\s+struggle\s+with"
    r"|(?:i\s*'?\s*ve\s+been|i\s+have\s+been|i\s+was|i\s+got)\s+diagnosed\s+with|my)"
)
# Words that may stand between the visitor and the term ("I'm registered blind").
_QUALIFIERS = (
    r"a|an|the|now|currently|also|just|recently|newly|still|always|severely|profoundly"
    r"|partially|registered|clinically|very|quite|really|mildly|moderately|openly|proudly"
    r"|practising|practicing|devout|british|english|scottish|welsh|irish|young|older|single"
    r"|long[\s-]term|chronic|severe|mild|hidden|invisible|diagnosed|type\s+[12]|[0-9]+\s+weeks"
    r"|[0-9]+\s+months|serious|bad|terrible|ongoing|physical|mental|medical|lifelong"
)
_GAP = rf"(?:(?:{_QUALIFIERS})\s+){{0,3}}"

# ---------------------------------------------------------------- what they say about themselves
# After "I'm" / "I was" / "as a": states and identities.
_STATES = {
    HEALTH: r"diabetic|epileptic|asthmatic|bipolar|anorexic|bulimic|ill|unwell|sick(?!\s+of)"
    r"|off\s+sick"
    r"|on\s+(?:sick\s+leave|medication|antidepressants|chemo(?:therapy)?)|in\s+recovery"
    r"|recovering\s+from|hiv\s+positive|a\s+cancer\s+(?:patient|survivor)|in\s+remission"
    r"|immunocompromised|clinically\s+vulnerable|depressed|suicidal|in\s+hospital",
    DISABILITY: r"disabled|deaf|blind|partially\s+sighted|visually\s+impaired"
    r"|hearing\s+impaired|hard\s+of\s+hearing|autistic|dyslexic|dyspraxic|dyscalculic"
    r"|neurodivergent|neurodiverse|a\s+wheelchair\s+user|in\s+a\s+wheelchair|an?\s+amputee"
    r"|on\s+the\s+(?:autism|autistic)\s+spectrum|registered\s+disabled",
    SEXUALITY: r"gay|lesbian|bisexual|bi(?![\w-])|queer|trans|transgender|non[\s-]?binary|asexual"
    r"|pansexual|intersex|lgbt\w*\+?|a\s+trans\s+(?:man|woman)",
    RELIGION: r"muslim|christian|jewish|hindu|sikh|buddhist|catholic|jain|atheist|agnostic"
    r"|pagan|rastafarian|religious|a\s+person\s+of\s+faith|orthodox|evangelical|quaker"
    r"|mormon|jehovah'?s\s+witness",
    ETHNICITY: r"black|asian|mixed\s+race|mixed\s+heritage|biracial|bame|bme|a\s+person\s+of"
    r"\s+colou?r|gypsy|romany|roma|an?\s+irish\s+traveller|a\s+traveller"
    r"|from\s+an?\s+(?:ethnic\s+minority|minority\s+ethnic|bame|black|asian|mixed)"
    r"(?:\s+(?:background|community|family))?|of\s+(?:african|caribbean|south\s+asian|pakistani"
    r"|indian|bangladeshi|chinese|arab)\s+(?:heritage|descent|origin)",
    PREGNANCY: r"pregnant|expecting\s+(?:a\s+baby|twins)|expecting(?=\s*(?:[.,!?]|$))"
    r"|on\s+maternity\s+leave|due\s+to\s+give\s+birth"
    r"|having\s+a\s+baby|trying\s+for\s+a\s+baby|going\s+through\s+ivf",
    POLITICS: r"a\s+(?:member|supporter)\s+of\s+the\s+(?:labour|conservative|tory|liberal"
    r"|lib\s+dem|green|reform|snp|scottish\s+national|plaid|dup|sinn)\w*"
    r"|an?\s+(?:labour|tory|conservative|lib\s+dem|green|reform|snp|ukip)\s+(?:party\s+)?"
    r"(?:member|voter|supporter|activist|councillor|candidate)",
    TRADE_UNION: r"(?:a\s+)?(?:member\s+of|in)\s+(?:a|the|my)\s+(?:trade\s+)?union"
    r"|an?\s+(?:pcs|fda|unison|unite|gmb|prospect|union)\s+(?:member|rep|representative)",
    CRIMINAL_OFFENCE: r"convicted|arrested|charged\s+with|cautioned|sentenced|on\s+probation"
    r"|on\s+licence|on\s+bail|in\s+prison|an?\s+ex[\s-]?offender|an?\s+ex[\s-]?con"
    r"|released\s+from\s+prison|on\s+the\s+sex\s+offenders?\s+register|a\s+defendant"
    r"|the\s+defendant|under\s+investigation",
    VICTIM: r"an?\s+victim|the\s+victim|a\s+survivor\s+of|assaulted|attacked|raped|abused"
    r"|stalked|harassed|robbed|mugged|burgled|stabbed|threatened|groomed|trafficked"
    r"|strangled|kidnapped|blackmailed|scammed|defrauded|hacked|spiked|a\s+witness"
    r"|the\s+witness|sexually\s+assaulted|domestically\s+abused",
}
# After "I have" / "I suffer from" / "my": conditions and records.
_THINGS = {
    HEALTH: r"cancer|diabetes|epilepsy|ms(?!\s+(?:office|word|excel|teams|365|access))"
    r"|multiple\s+sclerosis|depression|anxiety|ptsd|bipolar|schizophrenia|ocd"
    r"|an\s+eating\s+disorder|anorexia|bulimia|long\s+covid|hiv|aids|arthritis|crohn'?s"
    r"|colitis|fibromyalgia|chronic\s+fatigue|cfs|m\.e\.|migraines|a\s+heart\s+condition"
    r"|heart\s+disease|asthma|a\s+stroke|a\s+brain\s+injury|mental\s+health\s+(?:problems"
    r"|issues|condition|difficulties)|a\s+mental\s+illness|an?\s+(?:chronic\s+|long[\s-]term\s+)?"
    r"(?:illness|condition|medical\s+condition|health\s+condition)|illness|medical\s+condition"
    r"|health\s+condition|condition|diagnosis|medication|treatment|chemo(?:therapy)?"
    r"|mental\s+health|sick\s+leave|surgery|operation|therapist|psychiatrist",
    DISABILITY: r"(?:an?\s+)?disability(?!\s+(?:question|query|network|confident|scheme|policy"
    r"|support|leave|inclusion|staff|team|group))|disabilities|a\s+learning\s+disability|adhd"
    r"|autism|asd|dyslexia|dyspraxia|dyscalculia|tourette'?s|cerebral\s+palsy"
    r"|hearing\s+loss|sight\s+loss|a\s+(?:visual|hearing)\s+impairment|impairment"
    r"|wheelchair|guide\s+dog|hearing\s+aids?|access\s+to\s+work\s+(?:grant|support)",
    SEXUALITY: r"sexuality|sexual\s+orientation|gender\s+transition|gender\s+identity"
    r"|same[\s-]sex\s+partner",
    RELIGION: r"religion|faith|religious\s+beliefs?|church|mosque|temple|synagogue|gurdwara"
    r"|prayers?|hijab|turban|kippah|niqab",
    ETHNICITY: r"ethnicity|race|ethnic\s+(?:background|origin)|skin\s+colou?r|heritage",
    PREGNANCY: r"pregnancy|due\s+date|maternity\s+leave|baby\s+due|miscarriage|ivf",
    POLITICS: r"political\s+(?:views|beliefs|opinions|party|affiliation)|party\s+membership",
    TRADE_UNION: r"union\s+(?:membership|rep|representative|card)|trade\s+union",
    CRIMINAL_OFFENCE: r"an?\s+(?:criminal|police|spent|unspent)\s+(?:record|conviction)"
    r"|criminal\s+record|police\s+record|a\s+conviction|convictions?|spent\s+convictions?"
    r"|unspent\s+convictions?|an?\s+caution|cautions|an?\s+arrest|arrest|court\s+case"
    r"|probation\s+officer|offence|offences|driving\s+ban",
    VICTIM: r"abuser|attacker|rapist|stalker|assault|abuse|rape|attack|crime\s+report"
    r"|(?:ex|partner|husband|wife|boyfriend|girlfriend)\s+(?:hit|hits|beat|beats|assaulted"
    r"|abused|abuses|threatened|threatens|stalks|stalked|attacked|raped|hurt|hurts)",
}
# Said another way: "he assaulted me", "I reported it to the police", "I pray five times".
_PHRASES = {
    VICTIM: r"(?:assaulted|attacked|raped|abused|stalked|stalking|harassed|harassing|hit|beat"
    r"|beaten|hurt|stabbed|threatened|threatening|robbed|mugged|groomed|trafficked|strangled"
    r"|kidnapped|blackmailed|punched|kicked|molested|sexually\s+assaulted|spiked|scammed)"
    r"\s+(?:me|us|my\s+(?:child|son|daughter|kids|children|mum|mother|dad|father))"
    r"|stole\s+(?:my|from\s+me)|broke\s+into\s+my|i\s+reported\s+(?:a|the|it|him|her|them)"
    r"(?:\s+crime)?\s+to\s+the\s+police|i\s+(?:called|rang|phoned)\s+the\s+police"
    r"|i\s+gave\s+(?:a\s+)?(?:statement|evidence)",
    CRIMINAL_OFFENCE: r"i\s*'?\s*(?:ve|have)\s+been\s+(?:to|in)\s+prison|i\s+did\s+time"
    r"|i\s+served\s+(?:time|a\s+sentence)|i\s+(?:was|got)\s+(?:given\s+)?an?\s+(?:caution"
    r"|conviction|suspended\s+sentence|community\s+order)|i\s+pleaded\s+guilty"
    r"|\[(?:case|police)\s+reference\]",
    RELIGION: r"i\s+pray|i\s+wear\s+an?\s+(?:hijab|turban|kippah|niqab|headscarf|cross)"
    r"|i\s+(?:observe|celebrate|fast\s+(?:during|for))\s+(?:ramadan|eid|shabbat|the\s+sabbath"
    r"|diwali|vaisakhi|yom\s+kippur|lent)|i\s+go\s+to\s+(?:church|mosque|temple|synagogue"
    r"|gurdwara)",
    SEXUALITY: r"i\s+came\s+out\s+as",
    DISABILITY: r"i\s+use\s+an?\s+(?:wheelchair|walking\s+stick|hearing\s+aid|guide\s+dog"
    r"|screen\s+reader|mobility\s+scooter|cochlear\s+implant)|i\s+(?:can'?t|cannot)\s+(?:see|hear"
    r"|walk)",
    POLITICS: r"i\s+vote[ds]?\s+(?:for\s+)?(?:labour|tory|tories|conservative|lib\s+dem|green"
    r"|reform|snp|plaid|ukip)",
}


def _compile() -> dict[str, re.Pattern[str]]:
    patterns = {}
    for category in SPECIAL_CATEGORIES:
        forms = []
        if category in _STATES:
            forms.append(rf"{_I_AM}\s+{_GAP}(?:{_STATES[category]})")
        if category in _THINGS:
            forms.append(rf"{_I_HAVE}\s+{_GAP}(?:{_THINGS[category]})")
        if category in _PHRASES:
            forms.append(_PHRASES[category])
        alternatives = "|".join(f"(?:{form})" for form in forms)
        patterns[category] = re.compile(rf"(?<![a-z])(?:{alternatives})(?![a-z])", re.IGNORECASE)
    return patterns


_PATTERNS = _compile()


def special_categories(text: str | None) -> frozenset[str]:
    """The special categories of what the visitor says about themselves in ``text``."""
    if not text:
        return frozenset()
    normalised = " ".join(text.replace("’", "'").replace("‘", "'").split())
    return frozenset(
        category for category, pattern in _PATTERNS.items() if pattern.search(normalised)
    )
