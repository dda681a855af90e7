"""PolNeAR attribution scoring on a tiny hand-written brat corpus
(tests/fixtures/polnear-synthetic, not PolNeAR data)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT

from extractor.cli.main import main
from extractor.errors import ConfigError
from extractor.evaluation.brat import parse_ann, read_ann
from extractor.evaluation.polnear import evaluate_polnear, load_corpus
from extractor.pipeline.articles import load
from extractor.schemas import Actor, ArticleInfo, ArticleResult, Claim, Evidence

CORPUS = ROOT / "tests" / "fixtures" / "polnear-synthetic"
TEXT_FILE = CORPUS / "text" / "synthetic_2016-01-01_senate-bill.txt"
TEXT = TEXT_FILE.read_text("utf-8")


def test_brat_loader_reads_spans_fragments_and_roles() -> None:
    atts = read_ann(CORPUS / "attributions" / "synthetic_2016-01-01_senate-bill_aaaa.ann")
    assert [a.id for a in atts] == ["E1", "E2", "E3", "E4", "E5"]
    first = atts[0]
    assert (
        first.source_text == "Senator Mary Diaz"
        and TEXT[slice(*first.source[0])] == "Senator Mary Diaz"
    )
    assert TEXT[slice(*first.cue[0])] == "said"
    assert first.content_text == "the bill would cut taxes for families"
    spokesman = atts[2]  # discontinuous Content: "it ... reckless"
    assert [TEXT[s:e] for s, e in spokesman.content] == ["it", "reckless"]
    assert spokesman.content_text == "it reckless"
    assert atts[3].source == [] and atts[3].content_text == "the vote was delayed"  # no source


def test_brat_errors_name_the_line() -> None:
    with pytest.raises(ConfigError, match=r"x.ann:2: not a brat standoff line"):
        parse_ann(["T1\tSource 0 5\tHello", "T2\tSource zero five\tbad"], "x.ann")
    with pytest.raises(ConfigError, match="refers to T9"):
        parse_ann(["E1\tAttribution:T9 Source:T9"], "x.ann")


def test_corpus_picks_one_annotator_deterministically() -> None:
    (doc,) = load_corpus(CORPUS).values()
    assert doc.annotators == ["aaaa", "bbbb"] and doc.annotator == "aaaa"
    assert len(doc.attributions) == 4 and doc.no_source == 1
    (other,) = load_corpus(CORPUS, annotator="bbbb").values()
    assert other.annotator == "bbbb" and len(other.attributions) == 1


def _claim(claimant: str, sentence: str) -> Claim:
    start = TEXT.index(sentence)
    actor = Actor(name=claimant, canonical=claimant, kind="person")
    span = Evidence(quote=sentence, start=start, end=start + len(sentence), match="exact")
    return Claim(claimant=actor, content=sentence, cue=None, attribution="direct", evidence=[span])


def _run() -> ArticleResult:
    (article,) = load([str(TEXT_FILE)])
    return ArticleResult(
        article=ArticleInfo(
            id=article.id, path=article.path, sha256=article.sha256, chars=len(article.text)
        ),
        claims=[
            # right source (its words are within "Senator Mary Diaz"), right content
            _claim("Mary Diaz", "Senator Mary Diaz said the bill would cut taxes for families."),
            # right content, but the annotated Source is the pronoun "she": no coreference
            _claim("Mary Diaz", '"We will pass it this week," she told reporters.'),
            # content overlaps the spokesman's "it ... reckless", source is not the governor
            _claim("governor", "The governor opposes the bill, and his spokesman called it"),
            _claim("Analysts", "Analysts said the plan is unlikely to pass."),
        ],
        model="hand-written",
        strategy="sentences",
        prompt_version="hand",
    )


def test_claims_match_attributions_by_content_and_source() -> None:
    ev = evaluate_polnear([_run()], CORPUS)
    (art,) = ev.articles
    assert art.attributions.as_dict() == {
        "matched": 2, "predicted": 4, "gold": 4, "precision": 0.5, "recall": 0.5, "f1": 0.5
    }  # fmt: skip
    assert art.content_only.matched == 4
    assert art.by_name.matched == 2
    assert art.no_source == 1 and art.annotator == "aaaa"


def test_a_claim_s_mention_of_its_claimant_matches_a_pronoun_source() -> None:
    run = _run()
    told = run.claims[1]
    at = TEXT.index("she told")
    told.claimant_mention = Evidence(quote="she", start=at, end=at + 3, match="exact")
    (art,) = evaluate_polnear([run], CORPUS).articles
    assert art.attributions.matched == 3  # the pronoun Source "she" is the claim's "she"
    assert art.by_name.matched == 2  # the rule before mentions: names only
    # Counterexample: a mention elsewhere in the sentence (the reporters) is not the source.
    at = TEXT.index("reporters", at)
    told.claimant_mention = Evidence(quote="reporters", start=at, end=at + 9, match="exact")
    (art,) = evaluate_polnear([run], CORPUS).articles
    assert art.attributions.matched == 2


def test_run_without_polnear_text_is_an_error() -> None:
    run = _run()
    run.article.sha256 = "0" * 64
    with pytest.raises(ConfigError, match="none of the run's articles is a PolNeAR text"):
        evaluate_polnear([run], CORPUS)


def test_cli_polnear_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = tmp_path / "run.jsonl"
    run.write_text(_run().model_dump_json() + "\n")
    assert main(["eval", "--polnear", str(CORPUS), str(run), "--json"]) == 0
    out = capsys.readouterr()
    total = json.loads(out.out)["polnear"]["total"]
    assert total["attributions"]["recall"] == 0.5 and total["content_only"]["recall"] == 1.0
    assert "synthetic_2016-01-01_senate-bill" in out.err


def test_cli_polnear_not_a_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = tmp_path / "run.jsonl"
    run.write_text(_run().model_dump_json() + "\n")
    assert main(["eval", "--polnear", str(tmp_path), str(run)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("extractor: ") and "needs text/ and attributions/" in err
