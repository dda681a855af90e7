"""Text from bytes: text files (`decode`), HTML pages (trafilatura), PDF files (pypdf,
the `pdf` extra) and Word files (python-docx, the `docx` extra), as a `Document`.

The text is what the library extracts, and an article's offsets index that text (the
record's `source` says "pdf" or "docx"; the report shows the extracted text):

- PDF: each page's text layer in page order, pages separated by a blank line holding a
  form feed (`"\\n\\f\\n"`, as pdftotext marks a page break). A PDF whose pages have no
  text (a scan) raises `NoTextLayer`: the loader skips it with one warning, it is not an
  empty article. A password-protected or broken PDF is an `InputError`.
- HTML: the article body trafilatura extracts; title and date from the page's metadata
  and markup (htmldate's search of the text is off: no date guessed from the body).
- DOCX: the body's paragraphs and table rows in document order, one per line with a
  blank line between (a table row's cells joined by tabs); empty paragraphs are left
  out. The title is the document's core property, when set.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from extractor.errors import InputError
from extractor.inputs.extras import require

PAGE_BREAK = "\n\f\n"


class NoTextLayer(InputError):
    """A PDF with pages but no text on them: it needs OCR first."""


@dataclass(frozen=True)
class Document:
    text: str
    title: str | None = None
    date: str | None = None  # ISO YYYY-MM-DD, when the input states it
    source: str = "text"  # what the text was extracted from: text, html, pdf, docx, feed
    fetched: str | None = None  # for a page fetched by URL: ISO 8601 UTC time


def decode(data: bytes, where: str) -> str:
    """A text file's bytes as text: UTF-8 (a BOM dropped), or UTF-16 with a BOM."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\0" in data[:4096]:
        raise InputError(
            f"{where}: binary data, not text. Pass a .txt, .md, .html, .jsonl, .pdf or .docx file."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{where}: not UTF-8 text (byte {exc.start}). Convert it, e.g. iconv -t UTF-8."
        ) from exc


def html_text(html: str | bytes, where: str, url: str | None = None) -> Document:
    import trafilatura  # heavy: imported only for HTML input

    body = trafilatura.extract(html, url=url, include_comments=False, include_tables=False)
    if not body or not body.strip():
        raise InputError(f"{where}: no article text found in this HTML page.")
    meta = trafilatura.extract_metadata(html, default_url=url, extensive=False)
    return Document(body, meta.title if meta else None, meta.date if meta else None, source="html")


def pdf_text(data: bytes, where: str) -> Document:
    pypdf = require("pdf", where)
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings would reach stderr
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(f"{where}: the PDF is password-protected; save a copy without it.")
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
        title = reader.metadata.title if reader.metadata else None
    except InputError:
        raise
    except Exception as exc:  # pypdf raises many kinds on a damaged file
        raise InputError(
            f"{where}: not a readable PDF ({exc.__class__.__name__}: {exc})."[:300]
        ) from exc
    if not any(pages):
        raise NoTextLayer(
            f"{where}: no text layer ({len(pages)} pages of images?): run OCR first, "
            "e.g. ocrmypdf IN.pdf OUT.pdf."
        )
    return Document(PAGE_BREAK.join(pages), _clean_title(title), source="pdf")


def docx_text(data: bytes, where: str) -> Document:
    docx = require("docx", where)
    try:
        doc = docx.Document(io.BytesIO(data))
        blocks: list[str] = []
        for block in doc.iter_inner_content():
            if isinstance(block, docx.table.Table):
                blocks += ["\t".join(c.text.strip() for c in row.cells) for row in block.rows]
            else:
                blocks.append(block.text.strip())
        title = doc.core_properties.title
    except Exception as exc:  # python-docx raises zipfile, KeyError, lxml errors
        raise InputError(
            f"{where}: not a readable Word file ({exc.__class__.__name__}: {exc})."[:300]
        ) from exc
    text = "\n\n".join(b for b in blocks if b.strip())
    if not text:
        raise InputError(f"{where}: the Word file has no text; nothing to extract.")
    return Document(text, _clean_title(title), source="docx")


def _clean_title(title: object) -> str | None:
    return title.strip() or None if isinstance(title, str) else None
