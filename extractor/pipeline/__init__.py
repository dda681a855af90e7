"""What every strategy reads an article with: loading it (`articles`), cutting it into
sentences and chunks (`segment`), rendering a strategy's prompt templates (`prompts`).
No model client, cache or terminal here; the strategies (extractor.strategies) build on it."""
