"""The HTML report: one self-contained page (inline CSS and JS, nothing fetched) showing
each article's text with its evidence highlighted, the records by actor, and the run's
warnings and errors.

Rendered from `templates/report.html.j2` with autoescaping on, so article text and model
output are always text, never markup. A Content-Security-Policy allows only the page's
own inline style and script (by hash) and no network at all.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from extractor.inputs.web import PAGES_FILE
from extractor.reports.spans import EvidenceRef, Token, evidence_refs, layout, misplaced
from extractor.results.texts import ArticleText, TextFinder
from extractor.runtime.cache import default_path
from extractor.schemas import Actor, ArticleResult, Claim, Stance

TEMPLATES = Path(__file__).parent / "templates"


@dataclass
class ActorView:
    canonical: str
    kind: str
    names: list[str] = field(default_factory=list)
    stances: list[tuple[str, Stance]] = field(default_factory=list)  # (record id, stance)
    claims: list[tuple[str, Claim]] = field(default_factory=list)

    def saw(self, actor: Actor) -> None:
        if actor.name not in self.names:
            self.names.append(actor.name)


@dataclass
class ArticleView:
    anchor: str
    result: ArticleResult
    text: ArticleText
    refs: list[EvidenceRef]
    tokens: list[Token] | None  # None: shown without highlights
    problems: list[str]
    actors: list[ActorView]

    @property
    def highlighted(self) -> int:
        return sum(1 for t in self.tokens or [] if t.kind == "open" and not t.cont)


@dataclass(frozen=True)
class HtmlReport:
    html: str
    problems: list[str]  # one line each: articles shown without (some) highlights
    highlighted: int  # evidence items highlighted in the text
    evidence: int  # evidence items in the run


def render_html(
    results: list[ArticleResult], *, text_dir: str | Path | None = None, title: str | None = None
) -> HtmlReport:
    """The report page for `results`; article texts are re-read and checked (see report_text)."""
    pages = default_path().with_name(PAGES_FILE)  # where `extract` keeps pages read by URL
    finder = TextFinder(Path(text_dir) if text_dir is not None else None, pages)
    views = [_view(f"a{n}", r, finder) for n, r in enumerate(results)]
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    js = (TEMPLATES / "report.js").read_text(encoding="utf-8")
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    html = env.get_template("report.html.j2").render(
        title=title or "extractor report",
        articles=views,
        totals=_totals(results),
        css=css,
        js=js,
        csp=f"default-src 'none'; style-src '{_hash(css)}'; script-src '{_hash(js)}'",
    )
    problems = [p for v in views for p in v.problems]
    return HtmlReport(
        html=html,
        problems=problems,
        highlighted=sum(v.highlighted for v in views),
        evidence=sum(len(v.refs) for v in views),
    )


def _view(anchor: str, result: ArticleResult, finder: TextFinder) -> ArticleView:
    found = finder.find(result.article)
    refs = evidence_refs(result, anchor)
    problems = [found.problem] if found.problem else []
    tokens = None
    if found.status == "ok" and found.text is not None:
        bad = misplaced(found.text, refs)
        if bad:
            problems.append(
                f"{result.article.path}: {len(bad)} evidence item(s) do not match the text at "
                "their offsets and are not highlighted; the run file may have been edited."
            )
        tokens = layout(found.text, [r for r in refs if r not in bad])
    return ArticleView(anchor, result, found, refs, tokens, problems, _actors(result, anchor))


def _actors(result: ArticleResult, anchor: str) -> list[ActorView]:
    actors: dict[str, ActorView] = {}

    def of(actor: Actor) -> ActorView:
        view = actors.setdefault(actor.canonical, ActorView(actor.canonical, actor.kind))
        view.saw(actor)
        return view

    for i, s in enumerate(result.stances):
        of(s.actor).stances.append((f"{anchor}-s{i}", s))
    for i, c in enumerate(result.claims):
        of(c.claimant).claims.append((f"{anchor}-c{i}", c))
    return list(actors.values())


def _totals(results: list[ArticleResult]) -> dict[str, int]:
    return {
        "articles": len(results),
        "stances": sum(len(r.stances) for r in results),
        "conditions": sum(len(s.conditions) for r in results for s in r.stances),
        "claims": sum(len(r.claims) for r in results),
        "warnings": sum(len(r.warnings) for r in results),
        "errors": sum(1 for r in results if r.error),
    }


def _hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")
