"""The error catalogue: every error policylens reports, with a code and a fix.

Library code raises these; the per-document boundary in `ingest` turns them
into `Failure` records so that one bad file never stops a run.
"""

from __future__ import annotations


class PolicylensError(Exception):
    """Base class. `code` is stable and documented; `fix` says what to do."""

    code = "PL000"
    fix = "See the README's troubleshooting notes."

    def __init__(self, target: str, problem: str, *, fix: str | None = None) -> None:
        self.target = target
        self.problem = problem
        if fix is not None:
            self.fix = fix
        # a problem that ends a sentence itself ("… processed.") gets no second full stop
        super().__init__(f"{target}: {problem.rstrip('.')}. {self.fix}".rstrip())


class SourceMissing(PolicylensError):
    code = "PL101"
    fix = "Check the path (manifest paths are relative to the manifest's folder)."


class NotRead(PolicylensError):
    """A document a command needs could not be read: the reader's own error (code and message,
    which already names the file and says what to do), passed on."""

    def __init__(self, target: str, message: str, *, code: str) -> None:
        super().__init__(target, message, fix="")
        self.code = code

    def __str__(self) -> str:
        return self.problem


class SourceUnreadable(PolicylensError):
    code = "PL102"
    fix = "Check the file's permissions and that it is a regular file."


class SourceUndecodable(PolicylensError):
    code = "PL103"
    fix = "Save the file as UTF-8 text, or pass --encoding with its real encoding."


class UnsupportedFormat(PolicylensError):
    code = "PL104"
    fix = "Give a supported file (see `policylens formats`) or convert it first."


class EmptyDocument(PolicylensError):
    code = "PL105"
    fix = "The file has no readable text; check that it is the right file."


class BadManifest(PolicylensError):
    code = "PL201"
    fix = (
        "Fix the manifest: it needs the columns id, council, title, period_start, period_end "
        "and at least one of text, pdf, html, docx."
    )


class BadManifestRow(PolicylensError):
    code = "PL202"
    fix = "Fix that row of the manifest; the other rows are still processed."


class InternalError(PolicylensError):
    code = "PL900"
    fix = "This is a bug in policylens: please report it with the file that caused it."


class NotAPdf(PolicylensError):
    code = "PL106"
    fix = "Check that the file really is a PDF (it may be a web page or a Word file saved with .pdf)."


class EncryptedPdf(PolicylensError):
    code = "PL107"
    fix = "Give the password with --password, or ask the publisher for an unprotected copy."


class CorruptPdf(PolicylensError):
    code = "PL108"
    fix = "Download the file again; if it still fails, open and re-save it with a PDF viewer."


class ScannedPages(PolicylensError):
    code = "PL109"
    fix = (
        "These pages are images with no text layer. Install Tesseract (apt-get install tesseract-ocr "
        "tesseract-ocr-eng) so policylens reads them by OCR, or run OCR on the file first."
    )


class TooSlow(PolicylensError):
    code = "PL110"
    fix = "The document took longer than the time limit; raise it with --time-limit or check the file."


class CorruptDocx(PolicylensError):
    code = "PL111"
    fix = (
        "Download the file again; if it still fails, open it in Word or LibreOffice and save it again as .docx "
        "(an old .doc file renamed to .docx must be converted, not renamed)."
    )


class BadDecisions(PolicylensError):
    code = "PL113"
    fix = (
        "A decisions file is a CSV with the columns a_id, b_id, decision (link or not) and note, one reviewed "
        "pair a row, ids as in actions.csv; fix the row or leave it out."
    )


class NothingToCompare(PolicylensError):
    """A comparison asked of documents that cannot make one: a document with itself, a series of one."""

    code = "PL115"
    fix = "Name two different documents (compare), or a series with two or more documents (audit)."


class EmbeddingsUnavailable(PolicylensError):
    code = "PL112"
    fix = "install the optional extra: pip install 'policylens[embeddings]' (or match without embeddings)"
