"""LangExtract in its own virtualenv: one article in, its extractions out (JSON on stdio).

Run by benchmarks/lxrow.py as `.venv-bench/bin/python benchmarks/lxworker.py`, in a venv
that holds only `langextract[openai]` (benchmarks/langextract.txt): langextract pulls
google-genai, which pins tenacity < 9.2, and extractor needs tenacity >= 9.2.1, so the two
cannot share a venv. This file imports nothing of extractor.

Contract: stdin is {"text", "base_url", "model_id", "timeout"}; stdout is one JSON object
{"extractions": [{"class", "text", "start", "end", "alignment", "attributes"}],
 "usage": {"requests", "prompt_tokens", "completion_tokens"}, "seconds", "unparsed",
 "error"}. `--describe` prints the version, settings, prompt and example instead (what
the cache key of lxrow.py is made of). Requests go one at a time through an openai client
with the given per-request timeout and no SDK retries: a failure is reported in "error",
never retried silently. LangExtract drops chunks whose answer it cannot parse; "unparsed"
counts those answers.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

SETTINGS: dict[str, Any] = {
    "max_char_buffer": 1000,  # LangExtract's default chunk size, in characters
    "batch_length": 10,  # its default; with one worker the chunks still go one by one
    "max_workers": 1,  # llama.cpp's server answers one request at a time
    "fence_output": False,  # the provider asks for response_format json_object: raw JSON
    "use_schema_constraints": False,  # it would send json_schema, which llama.cpp 0.3.36 rejects
    "temperature": 0.0,
    "max_output_tokens": 2048,  # as our article strategy
    "extraction_passes": 1,
}

PROMPT = """\
Extract from a news article every stance and every attributed claim, in order of appearance.
A stance is an actor's position on a proposal, plan, policy, candidate or proposition:
attributes actor (the name the article uses), target (the proposal, a short phrase),
position (one of support, oppose, neutral, unclear) and conditions (a list of what must
happen for the position to hold, such as "if ..." or "only if ..." clauses; empty if none).
A claim is what a named person or organization says or asserts: attributes claimant (the
name the article uses) and content (what is asserted, as one self-contained sentence).
Use exact text from the article for extraction_text; do not paraphrase it or overlap spans."""

EXAMPLE_TEXT = (
    "Harbor City council member Dana Ortiz said on Monday she would vote for the bus lane "
    'plan on Main Street if the transit agency first publishes a noise study. "We cannot '
    'vote blind," Ortiz told reporters. The Riverside Merchants Association rejected the '
    "plan outright, saying the lanes would cost shops half of their parking. Mayor Lee "
    "Chang said the city would fund the lanes only if the state pays for the new buses."
)


def example() -> Any:
    """Our one few-shot example, as LangExtract ExampleData (every span is in the text)."""
    import langextract as lx

    def span(text: str) -> str:
        assert text in EXAMPLE_TEXT, text
        return text

    x = lx.data.Extraction
    return lx.data.ExampleData(
        text=EXAMPLE_TEXT,
        extractions=[
            x(
                "stance",
                span("she would vote for the bus lane plan on Main Street"),
                attributes={
                    "actor": "Dana Ortiz",
                    "target": "bus lane plan on Main Street",
                    "position": "support",
                    "conditions": ["the transit agency first publishes a noise study"],
                },
            ),
            x(
                "claim",
                span('"We cannot vote blind," Ortiz told reporters.'),
                attributes={
                    "claimant": "Dana Ortiz",
                    "content": "The council cannot vote on the plan without a noise study.",
                },
            ),
            x(
                "stance",
                span("The Riverside Merchants Association rejected the plan outright"),
                attributes={
                    "actor": "Riverside Merchants Association",
                    "target": "bus lane plan on Main Street",
                    "position": "oppose",
                    "conditions": [],
                },
            ),
            x(
                "claim",
                span("saying the lanes would cost shops half of their parking"),
                attributes={
                    "claimant": "Riverside Merchants Association",
                    "content": "The bus lanes would cost shops half of their parking.",
                },
            ),
            x(
                "stance",
                span("the city would fund the lanes only if the state pays for the new buses"),
                attributes={
                    "actor": "Lee Chang",
                    "target": "funding the bus lanes",
                    "position": "support",
                    "conditions": ["the state pays for the new buses"],
                },
            ),
        ],
    )


class _CountingClient:
    """Wraps the openai client that the provider calls: counts requests, tokens, and
    answers LangExtract cannot use (it drops those chunks without saying so)."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.chat = self  # the provider calls self._client.chat.completions.create
        self.completions = self
        self.usage = {"requests": 0, "prompt_tokens": 0, "completion_tokens": 0}
        self.unparsed = 0

    def create(self, **params: Any) -> Any:
        self.usage["requests"] += 1
        response = self._client.chat.completions.create(**params)
        if response.usage is not None:
            self.usage["prompt_tokens"] += response.usage.prompt_tokens or 0
            self.usage["completion_tokens"] += response.usage.completion_tokens or 0
        content = response.choices[0].message.content if response.choices else None
        try:
            ok = isinstance(json.loads(content or "").get("extractions"), list)
        except (ValueError, AttributeError):
            ok = False
        self.unparsed += not ok
        return response


def extract_one(text: str, base_url: str, model_id: str, timeout: float) -> dict[str, Any]:
    """One article through LangExtract; a failure is recorded in "error"."""
    import langextract as lx
    import openai
    from langextract.providers.openai import OpenAILanguageModel

    model = OpenAILanguageModel(
        model_id=model_id,
        api_key="not-needed",  # llama.cpp's server checks no key
        base_url=base_url,
        temperature=SETTINGS["temperature"],
        max_workers=SETTINGS["max_workers"],
        max_output_tokens=SETTINGS["max_output_tokens"],
    )
    counting = _CountingClient(
        openai.OpenAI(api_key="not-needed", base_url=base_url, timeout=timeout, max_retries=0)
    )
    model._client = counting  # the provider builds its client without a timeout
    out: dict[str, Any] = {"extractions": [], "error": None}
    started = time.perf_counter()
    try:
        doc = lx.extract(
            text,
            prompt_description=PROMPT,
            examples=[example()],
            model=model,
            fence_output=SETTINGS["fence_output"],
            use_schema_constraints=SETTINGS["use_schema_constraints"],
            max_char_buffer=SETTINGS["max_char_buffer"],
            batch_length=SETTINGS["batch_length"],
            max_workers=SETTINGS["max_workers"],
            extraction_passes=SETTINGS["extraction_passes"],
            show_progress=False,
        )
        out["extractions"] = [_as_dict(e) for e in doc.extractions or []]
    except Exception as exc:
        out["error"] = f"{type(exc).__name__}: {exc}"[:500]
    out["seconds"] = round(time.perf_counter() - started, 2)
    out["usage"] = dict(counting.usage)
    out["unparsed"] = counting.unparsed
    return out


def _as_dict(e: Any) -> dict[str, Any]:
    ci = e.char_interval
    return {
        "class": e.extraction_class,
        "text": e.extraction_text,
        "start": ci.start_pos if ci else None,
        "end": ci.end_pos if ci else None,
        "alignment": e.alignment_status.name if e.alignment_status else None,
        "attributes": e.attributes or {},
    }


def describe() -> dict[str, Any]:
    from importlib.metadata import version

    return {
        "langextract": version("langextract"),
        "settings": SETTINGS,
        "prompt": PROMPT,
        "example": EXAMPLE_TEXT,
        "extractions": repr(example().extractions),
    }


def main() -> int:
    if sys.argv[1:] == ["--describe"]:
        print(json.dumps(describe()))
        return 0
    request = json.load(sys.stdin)
    out = extract_one(request["text"], request["base_url"], request["model_id"], request["timeout"])
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
