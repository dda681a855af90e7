"""The stages of one article, in order: reading it (`articles`), cutting it (`segment`),
rendering the questions (`prompts`, `questions`), and `run`, which owns the order: ask
(through an injected asker), ground, merge, build the output line. No model client, cache
or terminal here."""
