"""From the model's answer to records: the answers' shape (`drafts`, and the agenda's in
`agenda`), finding quotes and names in the article (`locate`), whether they are there
(`checks`), building records with computed offsets (`records`), naming actors (`actors`),
conditions read off the text (`conditions`) and merging duplicates (`merge`). Offsets
are computed here, never trusted."""
