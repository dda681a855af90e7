"""Where the requests go: the openai client wrapped by instructor with its two retry loops
(`client`), choosing a backend from options or a short string (`choose`), the embedded
llama.cpp server (`embedded`, `build`), key redaction (`redact`) and the one patch of an
instructor internal (`speedups`). Nothing here knows the pipeline."""
