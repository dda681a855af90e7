"""The string grammar the parse is replacing: regular expressions and word lists over
English text, still used by the `agenda` strategy to ground the model's answers (its
drafts, `agenda`; the phrases it cuts, `phrases`; the conditions it reads off words,
`conditions`). It lives beside the parse's reading, under the contract that grounding
never imports it, and goes as the parse takes over (issue 22)."""
