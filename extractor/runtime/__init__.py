"""How articles are run: the answer cache (`cache`) and asking through it (`asking`), one
article's usage and failure (`attempt`), results kept in input order while several run at
once (`ordered`), and tokens and money (`costs`, `prices.json`)."""
