"""Canonical actor names, so that "Putin", "President Putin" and "Vladimir Putin" merge.

Rules a reader can predict: a small table of metonyms and abbreviations (Washington and
US are the United States, the Kremlin and Moscow are Russia), titles and nationality
words dropped from the front, a role and whatever names its office dropped before the
name it introduces ("FBI Director James Comey", "campaign manager Robby Mook": `ROLE_WORDS`
followed by one to three capitalised words), and a bare surname expanded to the fullest
form of the name that the article itself uses.
"""

from __future__ import annotations

import re
from functools import lru_cache

ALIASES: dict[str, str] = {
    "us": "United States",
    "u.s.": "United States",
    "usa": "United States",
    "united states": "United States",
    "america": "United States",
    "washington": "United States",
    "white house": "United States",
    "us government": "United States",
    "us administration": "United States",
    "russia": "Russia",
    "kremlin": "Russia",
    "the kremlin": "Russia",
    "moscow": "Russia",
    "russian federation": "Russia",
    "ukraine": "Ukraine",
    "kyiv": "Ukraine",
    "kiev": "Ukraine",
    "china": "China",
    "beijing": "China",
    "eu": "European Union",
    "european union": "European Union",
    "brussels": "European Union",
    "un": "United Nations",
    "united nations": "United Nations",
    "uk": "United Kingdom",
    "britain": "United Kingdom",
    "london": "United Kingdom",
    "nato": "NATO",
}

TITLE_WORDS = frozenset(
    """
    president vice prime minister secretary foreign defense defence state of the
    special envoy chancellor senator sen. rep. representative governor mayor general
    mr mr. mrs mrs. ms ms. dr dr. spokesman spokeswoman spokesperson leader chief
    former acting deputy ambassador us u.s. american russian ukrainian belarusian
    british french german chinese european ceo chairman head king queen a an and
    after as at before but for however if in meanwhile on when while with
    house senate speaker majority minority whip attorney director candidate nominee
    democratic republican presidential gov. sen secretary-general commissioner
    """.split()
)  # also the capitalised sentence openers that can stand before a name

# Roles that introduce a person's name; with what stands before them ("FBI Director",
# "Federal Reserve Chair") they are dropped when one to three capitalised words follow.
ROLE_WORDS = frozenset(
    """
    president secretary minister chancellor senator representative governor mayor
    spokesman spokeswoman spokesperson leader chief ambassador ceo chairman chairwoman
    chair director candidate nominee speaker whip attorney commissioner envoy manager
    adviser advisor strategist founder editor anchor host correspondent
    """.split()
)
_NAME_AFTER_ROLE = 3

_CAPITALISED_RUN = r"(?:[A-Z][\w.'-]*\s+){1,4}"


def _key(name: str) -> str:
    name = re.sub(r"['’]s\b", "", name.strip())
    return " ".join(name.split()).casefold()


def strip_titles(tokens: list[str]) -> list[str]:
    while len(tokens) > 1 and tokens[0].casefold() in TITLE_WORDS:
        tokens = tokens[1:]
    return _after_role(tokens)


def _after_role(tokens: list[str]) -> list[str]:
    """The name after the last role word, when all that follows it is one to three
    capitalised words ("Office of the Director of National Intelligence" stays)."""
    roles = [i for i, t in enumerate(tokens[:-1]) if t.casefold() in ROLE_WORDS]
    if not roles:
        return tokens
    rest = tokens[roles[-1] + 1 :]
    if len(rest) > _NAME_AFTER_ROLE or not all(_capitalised(t) for t in rest):
        return tokens
    return rest


def _capitalised(token: str) -> bool:
    return token[:1].isupper() and any(c.islower() for c in token)


def canonical_name(name: str, text: str) -> str:
    """The one name under which this actor's records are merged."""
    key = _key(name)
    if key in ALIASES:
        return ALIASES[key]
    tokens = strip_titles(re.sub(r"['’]s\b", "", name).split())
    if not tokens:
        return name.strip()
    if _key(" ".join(tokens)) in ALIASES:
        return ALIASES[_key(" ".join(tokens))]
    if len(tokens) == 1:
        return _fullest_form(tokens[0], text)
    return " ".join(_without_initials(tokens))


def _without_initials(tokens: list[str]) -> list[str]:
    """A middle initial is not part of the name a person is known by: "Donald J. Trump"
    is "Donald Trump"."""
    return [
        t
        for i, t in enumerate(tokens)
        if not (0 < i < len(tokens) - 1 and re.fullmatch(r"[A-Z]\.", t))
    ]


@lru_cache(maxsize=512)  # one scan of the article per surname, however many records
def _fullest_form(surname: str, text: str) -> str:
    """The longest title-free "First Last" the article writes for a bare surname."""
    best = [surname]
    pattern = re.compile(rf"({_CAPITALISED_RUN}){re.escape(surname)}\b")
    for m in pattern.finditer(text):
        run = re.split(r"(?<=[a-z])\.\s+", m.group(1))[-1]  # not across a sentence end
        tokens = strip_titles([*run.split(), surname])
        if len(tokens) > len(best):
            best = tokens
    return " ".join(_without_initials(best))
