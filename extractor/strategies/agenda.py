"""The `agenda` strategy: the article's agenda first, then each sentence against it, for
small local models that choose well from a short list.

The article's parse is read first (stances and claims, extractor.reading). Then two
rounds. First, one question per chunk: the proposals under debate and the actors
(extractor.reading.regex.agenda's `AgendaDraft`, grounded by `ground_agenda`). Then, for
every chunk whose agenda names an actor of the text, one question per sentence of that
chunk that carries an attribution or position cue (`worth_asking`) and holds no claim the
parse read (those claims stand for their sentences); a sentence in two overlapping chunks
is asked once, by the first. The answer's actor and target are chosen
from the chunk's agenda (`statement_model`: enums in the schema) and grounded by
`ground_statements`. Then one position per actor and agenda item (`resolve_conflicts`),
each target in its sentences' own words (`word_targets`), and what the parse read joined
in (`reads_parse`, extractor.strategies.parsed). Every request of an article starts with
the same system prompt and the same chunk text, so a llama.cpp server reuses its prompt
cache.

An unusable answer costs its chunk's sentences (agenda) or its sentence (statement),
never the article; the warnings say so.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from extractor.errors import InvalidOutput
from extractor.grounding.merge import merge_stances
from extractor.grounding.records import Grounded
from extractor.pipeline.prompts import Templates
from extractor.pipeline.segment import Span
from extractor.reading.regex.agenda import (
    Agenda,
    AgendaDraft,
    ground_agenda,
    ground_statements,
    resolve_conflicts,
    statement_model,
    word_targets,
    worth_asking,
)
from extractor.strategies.parsed import read_parse
from extractor.strategies.plan import (
    Question,
    Reply,
    Settings,
    Steps,
    Strategy,
    Unasked,
    answer_of,
    chunks,
    extend,
    finished,
    no_records,
    sentence_spans,
)

AGENDA_MAX_TOKENS = 400
STATEMENT_MAX_TOKENS = 300
# What the estimate counts with: an agenda of one actor, so every cued sentence is asked
SIZED = Agenda((), ("",))


@dataclass(frozen=True)
class Statement:
    """A sentence's question and what its answer is grounded against."""

    question: Question
    agenda: Agenda
    around: Span  # the sentences beside it, where its conditions may be


class AgendaStrategy(Strategy):
    name = "agenda"
    templates = Templates("agenda.system.j2", "agenda.user.j2", "examples/agenda.json")
    summary = "the agenda of the article first, then each cued sentence against it"
    reads_parse = True

    def room(self, context_tokens: int, overhead: int, context_sentences: int) -> int:
        # + the agenda's lists and one sentence (up to 300 tokens)
        return context_tokens - overhead - max(AGENDA_MAX_TOKENS, STATEMENT_MAX_TOKENS + 500)

    def plan(self, text: str, title: str | None, settings: Settings) -> Steps:
        agendas = [
            Question(
                messages=settings.prompts.messages(
                    article=text[start:end], title=title, sentence=""
                ),
                response_model=AgendaDraft,
                context={"text": text, "window": (start, end)},
                max_tokens=AGENDA_MAX_TOKENS,
                span=(start, end),
                window=(start, end),
                lenient=True,
            )
            for start, end in chunks(text, settings.chunk_tokens, settings.overlap_tokens)
        ]
        read = read_parse(settings.reading, text)
        said = [(e.start, e.end) for c in read.claims for e in c.evidence] if read else []
        replies = yield agendas
        estimate = any(isinstance(r, Unasked) for r in replies)
        spans = sentence_spans(text, settings.chunk_tokens)
        parts: list[tuple[Grounded, list[Statement]]] = []
        for i, (q, reply) in enumerate(zip(agendas, replies, strict=True)):
            part = Grounded([], [], [])
            agenda = agenda_of(reply, q, text, part)
            first = agendas[i - 1].window[1] if i else 0  # where chunk i's own sentences begin
            asked = statements(settings, text, title, agenda, q.window, first, spans, said)
            parts.append((part, asked))
        replies = yield [s.question for _, asked in parts for s in asked]
        found = Grounded([], [], [])
        answers = iter(replies)
        for part, asked in parts:
            extend(found, part)
            for s in asked:
                draft = answer_of(s.question, next(answers), found)
                if draft is not None:
                    extend(found, grounded_statement(s, draft, text))
        if estimate:
            return no_records()  # an estimate: nothing to read or settle
        return finished(settings, text, settled(found, text), read)


def agenda_of(reply: Reply, q: Question, text: str, out: Grounded) -> Agenda:
    """The grounded agenda of a chunk. An unusable answer, or one that names no actor of
    the text, leaves the chunk's sentences unasked; the warnings say so."""
    if isinstance(reply, Unasked):
        return SIZED
    if isinstance(reply, InvalidOutput):
        out.warnings.append(f"agenda of the chunk at {q.span[0]}: {reply}")
        return Agenda((), ())
    assert isinstance(reply, AgendaDraft)
    agenda, warnings = ground_agenda(reply, text, q.window)
    out.warnings.extend(warnings)
    if not agenda.actors:
        out.warnings.append(
            f"the agenda of the chunk at {q.span[0]} names no actor of the text: "
            "its sentences were not asked"
        )
    return agenda


def statements(
    settings: Settings,
    text: str,
    title: str | None,
    agenda: Agenda,
    chunk: Span,
    first: int,
    sentence_spans: list[Span],
    read: list[Span],
) -> list[Statement]:
    """The second round for one chunk: a question per sentence that starts at or after
    `first` (so overlapping chunks ask each sentence once), carries a cue, and holds no
    claim the parse has read (`read`: the parse's claims stand for their sentences, see
    extractor.grounding.confidence). Empty when the agenda names no actor: every answer
    would then be an invention."""
    if not agenda.actors:
        return []
    model = statement_model(agenda)
    spans = [s for s in sentence_spans if chunk[0] <= s[0] < chunk[1]]
    out = []
    for i, (start, end) in enumerate(spans):
        if start < first or not worth_asking(text[start:end]):
            continue
        if any(start < b and a < end for a, b in read):
            continue
        before = spans[max(0, i - settings.context_sentences) : i]
        window = (before[0][0] if before else start, end)
        around = (spans[i - 1][0] if i else start, spans[i + 1][1] if i + 1 < len(spans) else end)
        question = Question(
            messages=settings.prompts.messages(
                article=text[chunk[0] : chunk[1]],
                title=title,
                sentence=text[start:end],
                proposals=agenda.proposals,
                actors=agenda.actors,
            ),
            response_model=model,
            context={"text": text, "window": window, "strict": True},
            max_tokens=STATEMENT_MAX_TOKENS,
            span=(start, end),
            window=window,
            lenient=True,
        )
        out.append(Statement(question, agenda, around))
    return out


def grounded_statement(s: Statement, draft: BaseModel, text: str) -> Grounded:
    q = s.question
    return ground_statements(
        draft,
        text,
        sentence=q.span,
        window=q.window,
        around=s.around,
        actors=s.agenda.actors,
        proposals=s.agenda.proposals,
    )


def settled(found: Grounded, text: str) -> Grounded:
    """One position per actor and agenda item (see reading.regex.agenda.resolve_conflicts),
    then each target in its sentences' own words (`word_targets`)."""
    stances, warnings = resolve_conflicts(merge_stances(found.stances))
    stances = word_targets(stances, text)
    return Grounded(stances, found.claims, [*found.warnings, *warnings])
