"""From the model's answer to records: the answers' shape (`drafts`), finding quotes and
names in the article (`locate`), whether they are there (`checks`), building records with
computed offsets (`records`), naming actors (`actors`), merging duplicates (`merge`) and
joining what the parse read with what the model answered (`confidence`). Offsets are
computed here, never trusted. What reads English grammar is in extractor.reading; the
title and pronoun lists of `actors`, `locate` and `checks` are English still."""
