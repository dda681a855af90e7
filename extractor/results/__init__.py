"""The run file: the JSONL format written and read (`jsonl`), finding an article's text
again from a run line (`texts`), and the JSON Schema files of the format (`schemafiles`)."""
