"""A readable summary of a run, for stderr: what was found in each article, and why
anything was dropped or failed."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.markup import escape

from extractor.schemas import ArticleResult

_POSITION_STYLE = {"support": "green", "oppose": "red", "neutral": "yellow", "unclear": "dim"}


def print_summary(results: list[ArticleResult], stream: TextIO, max_warnings: int = 5) -> None:
    console = Console(file=stream, highlight=False, width=120)
    for r in results:
        head = f"[bold]{escape(r.article.id)}[/] ({r.model}, strategy {r.strategy})"
        if r.error:
            said = (  # the crash was told once already, whole
                "the embedded model server died (see above)"
                if r.error.kind == "model_crashed"
                else escape(r.error.message)
            )
            console.print(f"{head}: [red]failed[/] {escape(f'[{r.error.kind}]')} {said}")
            continue
        console.print(head)
        for s in r.stances:
            ev = s.evidence[0]
            style = _POSITION_STYLE[s.position]
            console.print(
                f"  stance  {escape(s.actor.canonical)} [{style}]{s.position}[/] "
                f"{escape(repr(s.target))} ({s.act}) [dim]@{ev.start}-{ev.end} {ev.match}[/]"
            )
            for c in s.conditions:
                of = f" (of {escape(c.required_of.canonical)})" if c.required_of else ""
                console.print(f"          if {escape(repr(c.text))} [{c.kind}]{of}")
        for cl in r.claims:
            ev = cl.evidence[0]
            console.print(
                f"  claim   {escape(cl.claimant.canonical)} {escape(cl.cue or '-')}: "
                f"{escape(repr(cl.content))} ({cl.attribution}) [dim]@{ev.start}-{ev.end}[/]"
            )
        u = r.usage
        console.print(
            f"  {len(r.stances)} stances, {sum(len(s.conditions) for s in r.stances)} conditions, "
            f"{len(r.claims)} claims; {len(r.warnings)} dropped or flagged; "
            f"{u.requests} requests, {u.prompt_tokens}+{u.completion_tokens} tokens"
        )
        for w in r.warnings[:max_warnings]:
            console.print(f"  [dim]warning: {escape(w)}[/]")
        if len(r.warnings) > max_warnings:
            console.print(f"  [dim]... {len(r.warnings) - max_warnings} more in the JSONL[/]")
    failed = sum(1 for r in results if r.error)
    console.print(f"{len(results) - failed} ok, {failed} failed")
