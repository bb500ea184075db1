"""Settings: explicit, frozen, validated once, with defaults named here."""

from __future__ import annotations

import codecs
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from policylens.model import SourceFormat
from policylens.vocabulary import load_vocabulary

DEFAULT_ENCODING = "utf-8"
DEFAULT_TIME_LIMIT_S = 300.0
DEFAULT_JOBS = 1
DEFAULT_FORMAT_PREFERENCE: tuple[SourceFormat, ...] = (SourceFormat.TEXT, SourceFormat.PDF, SourceFormat.HTML)


def parse_formats(text: str) -> tuple[SourceFormat, ...]:
    """ "text,pdf" -> (TEXT, PDF): the formats to read, in order of preference."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    known = [f.value for f in SourceFormat]
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ValueError(f"{', '.join(unknown)} is no format policylens reads; give {', '.join(known)}, in order")
    return tuple(SourceFormat(name) for name in names)


def _setting_error(name: str, expected: str, got: object) -> ValueError:
    return ValueError(f"The {name!r} setting must be {expected}. Got {got!r} instead.")


@dataclass(frozen=True, slots=True)
class ReaderSettings:
    """How readers decode and lay out a source file.

    encoding: text encoding of text sources.
    layout_rules: a TOML file of layout cues replacing the packaged
        `policylens/data/text_layout.toml` (None: the packaged file).
    password: the password of encrypted PDFs.
    time_limit_s: how long one document may take to read before it fails.
    join_wrapped_rows: in tables without cell borders, join the text lines of a row whose
        cells wrap (parted by rules or wider gaps); False keeps one row per text line, the
        convention of Camelot and tabula.
    ocr: read PDF pages that have no text layer (scans) with Tesseract when it is installed;
        pages with text are never OCR'd. False (or no Tesseract) reports them in a warning instead.
    vocabulary: a TOML file of action-plan header synonyms replacing the packaged
        `policylens/data/action_plans.toml` (None: the packaged file). Readers use it to turn
        "Label: value" runs into tables; the main job's action stage reads those tables with the
        same file, so a label the readers group is a header the action stage understands.
    """

    encoding: str = DEFAULT_ENCODING
    layout_rules: Path | None = None
    password: str | None = None
    time_limit_s: float = DEFAULT_TIME_LIMIT_S
    join_wrapped_rows: bool = True
    ocr: bool = True
    vocabulary: Path | None = None

    def __post_init__(self) -> None:
        if not self.time_limit_s > 0:
            raise _setting_error("time_limit_s", "a positive number of seconds", self.time_limit_s)
        try:
            codecs.lookup(self.encoding)
        except LookupError:
            raise _setting_error("encoding", "a codec Python knows", self.encoding) from None
        if self.layout_rules is not None and not Path(self.layout_rules).is_file():
            raise _setting_error("layout_rules", "an existing TOML file", str(self.layout_rules))
        if self.vocabulary is not None:
            _check_vocabulary(Path(self.vocabulary))


@dataclass(frozen=True, slots=True)
class IngestSettings:
    """What `ingest` reads.

    formats: for manifest documents published in several formats, which
        edition to read, in order of preference.
    reader: settings passed to every reader.
    jobs: how many documents `build` processes at once, each in its own worker process
        (1: in this process). Never changes the results, only how fast they come. The
        default is 1 because worker processes pay off only for several slow documents
        (PDFs); a library call should not fork a pool the caller did not ask for.
    """

    formats: tuple[SourceFormat, ...] = DEFAULT_FORMAT_PREFERENCE
    reader: ReaderSettings = field(default_factory=ReaderSettings)
    jobs: int = DEFAULT_JOBS

    def __post_init__(self) -> None:
        if not self.formats or not all(isinstance(f, SourceFormat) for f in self.formats):
            raise _setting_error("formats", "a non-empty tuple of SourceFormat", self.formats)
        if isinstance(self.jobs, bool) or not isinstance(self.jobs, int) or self.jobs < 1:
            raise _setting_error("jobs", "a whole number of worker processes, 1 or more", self.jobs)


def _check_vocabulary(path: Path) -> None:
    """A user's vocabulary file fails here, once, naming itself, rather than in every document."""
    if not path.is_file():
        raise _setting_error("vocabulary", "an existing TOML file", str(path))
    try:
        load_vocabulary(path)
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        problem = f"missing {exc}" if isinstance(exc, KeyError) else str(exc)
        raise ValueError(
            f"The 'vocabulary' setting {str(path)!r} is not a vocabulary file like "
            f"policylens/data/action_plans.toml ({problem}); fix it or leave the setting out."
        ) from None
