"""Reading a language from a dependency parse: which named actor takes which position on
which span of its sentence, under which conditions. The code works on any spaCy parse; what
is English is data (`data/stances_en.json`, read by `lexicon`). `parse` loads the pipeline,
`actors` resolves a clause's subject to a named entity, `stances` and `conditions` read the
parse, `claims` reads who says what, `records` and `article` turn what was read into
grounded Stance and Claim records, `choices` what a model may choose from in a sentence
(its actors and target phrases) and the records its choice makes. `extractor.grounding`
never imports this package (an import-linter contract): locating and checking work for any
language."""
