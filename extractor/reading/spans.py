"""Phrases cut from a parse: a head token's subtree without the parts that do not belong to
the phrase (relative and adverbial clauses, appositions, a verb's subject, trailing
coordinated clauses), as one contiguous run of tokens."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

# Dependents whose subtrees are cut from a phrase: they describe or extend it, they are not it.
_CUT = frozenset(
    {
        "relcl",
        "advcl",
        "appos",
        "parataxis",
        "mark",
        "cc",
        "punct",
        "nsubj",
        "nsubjpass",
        "csubj",
        "aux",
        "auxpass",
        "neg",
        "dative",
    }
)
MAX_TOKENS = 16
_NAMES = ("PERSON", "ORG", "GPE", "NORP")


def phrase(
    head: Token,
    keep_subject: bool = False,
    cut_preps: tuple[str, ...] = (),
    keep_names: bool = False,
    keep_purpose: bool = False,
) -> Span:
    """The phrase headed by `head`: the contiguous run of its kept subtree around it.
    `cut_preps`: prepositions whose phrases are cut too ("criticized Clinton for ...").
    `keep_names`: an apposition of the head that is a name stays, since it says who the
    phrase is ("praised her opponent, Jane Park"). `keep_purpose`: an infinitive saying
    what the head is for stays ("striking the base to stop an attack"). A hyphen inside a
    word ("finger-pointing") always stays."""
    cut: set[int] = set()
    named = {
        c.i
        for c in head.children
        if keep_names and c.dep_ == "appos" and c.ent_type_ in _NAMES and c.i > head.i
    }
    last_name = max((head.doc[i].right_edge.i for i in named), default=-1)
    kept = {c.i for c in head.children if keep_purpose and _purpose(c)}
    for c in head.children:
        if c.i in named or c.i in kept or (c.dep_ == "punct" and c.i < last_name):
            continue  # the name, and the comma before it; a purpose
        if c.dep_ == "punct" and inside_word(c):
            continue
        if (c.dep_ == "prep" and c.lower_ in cut_preps) or is_when(c):
            cut.update(t.i for t in c.subtree)
            continue
        if c.dep_ in _CUT and not (
            keep_subject and c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "neg")
        ):
            if c.dep_ == "aux" and c.i > head.i:
                continue
            cut.update(t.i for t in c.subtree)
        elif c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") and head.pos_ in ("VERB", "AUX"):
            cut.update(t.i for t in c.subtree)
    for t in head.subtree:
        if (
            t is not head
            and t.i not in named
            and t.i not in kept
            and t.dep_ in ("relcl", "advcl", "parataxis", "appos")
        ):
            cut.update(x.i for x in t.subtree)
    start = end = head.i
    left, right = head.left_edge.i, head.right_edge.i
    while start - 1 >= left and start - 1 not in cut:
        start -= 1
    while end + 1 <= right and end + 1 not in cut:
        end += 1
    doc = head.doc
    while start < end and (doc[start].is_punct or doc[start].dep_ in ("cc", "mark")):
        start += 1
    while end > start and (doc[end].is_punct or doc[end].dep_ == "cc"):
        end -= 1
    if end - start + 1 > MAX_TOKENS:
        end = _shorten(doc, start, end, head.i)
    return doc[start : end + 1]


def _purpose(tok: Token) -> bool:
    """An infinitive clause with no conjunction of its own: what its head is for."""
    return (
        tok.dep_ == "advcl"
        and any(c.dep_ == "aux" and c.tag_ == "TO" for c in tok.children)
        and not any(c.dep_ == "mark" for c in tok.children)
    )


def inside_word(tok: Token) -> bool:
    """A hyphen joining two words with no space around it."""
    doc = tok.doc
    return (
        tok.text in ("-", "‐")
        and not tok.whitespace_
        and tok.i > 0
        and not doc[tok.i - 1].whitespace_
    )


def is_when(tok: Token) -> bool:
    """A date or time said of the phrase ("on March 11", "Tuesday"): not part of it."""
    if tok.dep_ == "npadvmod" and tok.ent_type_ in ("DATE", "TIME"):
        return True
    return tok.dep_ == "prep" and any(
        o.dep_ == "pobj" and o.ent_type_ in ("DATE", "TIME") for o in tok.children
    )


def _shorten(doc: Doc, start: int, end: int, head: int) -> int:
    """Cut a long phrase at its first comma after the head, else at MAX_TOKENS."""
    for i in range(max(head, start) + 1, end):
        if doc[i].text in (",", ";", "--", "—") and i - start >= 3:
            return i - 1
    return min(end, start + MAX_TOKENS - 1)
