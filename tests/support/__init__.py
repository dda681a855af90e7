"""Test support, kept out of the wheel: a real loopback OpenAI-compatible server
(`fakeserver`) and answers built from the request's own text (`fakeanswers`). The tests
and the benchmarks import it as `tests.support` (pytest's `pythonpath` puts the repository
root first; `make bench` runs the benchmark scripts with PYTHONPATH=.)."""
