"""Scoring runs: against gold annotations (`gold`, `evaluate`), and against PolNeAR's
attributions (`polnear`, reading brat standoff with `brat`)."""
