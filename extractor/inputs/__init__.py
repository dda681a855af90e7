"""Inputs that are not plain text files: web pages by URL, RSS and Atom feeds, PDF and
DOCX files, and the date a plain text's own top lines give.

Each module turns bytes (or a URL) into text and metadata, never into an `Article`:
`extractor.pipeline.articles` builds those, so this package imports nothing of the
pipeline. The libraries of the optional kinds (feedparser, pypdf, python-docx) are
imported only when an input needs them; `extras.require` turns a missing one into one
line naming the `pip install 'extractor[...]'` to run.
"""
