"""Welsh initial consonant mutations: the forms a Welsh phrase takes in a sentence.

A Welsh word changes its first letters after certain words: "cwmni" is "gwmni" after
"pa" (soft), "nghwmni" after "fy" (nasal) and "chwmni" after "a" (aspirate). Visitors
write "pa gwmnïau cyfreithiol" and "yng Nghaerdydd", so a phrase of the knowledge file
written in its plain form must also match its mutated forms. Only the first word
mutates here: it is the one a preceding word acts on.
"""

from __future__ import annotations

# Radical -> its soft, nasal and aspirate forms. Two-letter radicals first.
MUTATIONS: dict[str, tuple[str, ...]] = {
    "ll": ("l",),
    "rh": ("r",),
    "c": ("g", "ngh", "ch"),
    "p": ("b", "mh", "ph"),
    "t": ("d", "nh", "th"),
    "g": ("", "ng"),
    "b": ("f", "m"),
    "d": ("dd", "n"),
    "m": ("f",),
}
# Digraphs that are letters of their own and never mutate ("chweched", "ffurflen").
UNMUTATED = ("ch", "dd", "ff", "ng", "ph", "th")
SHORTEST = 4  # a mutated word shorter than this ("ig" from "gig") is too likely to be noise


def mutated_forms(phrase: str) -> list[str]:
    """The phrase with its first word in each mutated form, plain form excluded."""
    first, _, rest = phrase.partition(" ")
    if first.startswith(UNMUTATED):
        return []
    for radical, forms in MUTATIONS.items():
        if first.startswith(radical):
            stem = first[len(radical) :]
            words = (form + stem for form in forms)
            return [" ".join(filter(None, (word, rest))) for word in words if len(word) >= SHORTEST]
    return []
