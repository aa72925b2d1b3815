"""Command line: ``ocr-repair clean FILE...``.

The parser is built from one ``_add_<command>`` function per subcommand, each setting its
handler with ``set_defaults(handler=...)``; ``run`` (a Luigi batch) and ``eval`` (scoring)
are meant to be added beside ``clean`` the same way, importing Luigi inside their handler
only, so that ``clean`` and ``--help`` never pay for it.

Inputs are read as bytes and decoded as strict UTF-8; output is written as UTF-8 bytes, so
neither the locale nor the platform's newline translation can alter a single character.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import difflib
import io
import json
import os
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Callable, Iterable, Sequence

from . import __version__
from .config import Config, config_from_mapping
from .edits import Edit, write_jsonl
from .repair import clean_text

PROG = "ocr-repair"
STDIN_NAME = "-"

EXIT_OK = 0
EXIT_INPUT_FAILED = 1
EXIT_USAGE = 2

EXIT_STATUS_HELP = """\
exit status:
  0  every input was read and cleaned
  1  some input (or the -o file) failed; each failure is named on stderr, and the
     other inputs are still processed and printed
  2  usage error: unknown option, bad --set or --min-confidence value
"""


class InputError(Exception):
    """An input that cannot be used; the message names the reason, the caller the file."""


# --- parser ------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Find and repair the damage that PDF extraction and OCR leave in articles.",
        epilog=EXIT_STATUS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _add_clean(commands)
    return parser


def _add_clean(commands: argparse._SubParsersAction) -> None:
    clean = commands.add_parser(
        "clean",
        help="repair files and print the clean text (or a diff, or the edit log)",
        description=(
            "Repair each FILE (or standard input, '-') and print the result to standard\n"
            "output, one file after another. Input must be UTF-8 (a BOM is allowed and is\n"
            "dropped); output is UTF-8 whatever the locale, with line ends as the repair\n"
            "left them."
        ),
        epilog=(
            "edit records (--edits):\n"
            "  one JSON object per line: start, end, before, after, rule, confidence, why;\n"
            "  start:end index the input's characters (after the BOM is dropped), and\n"
            "  applying the records to the input gives the clean text. With --suggestions,\n"
            "  every record also has \"applied\": true, or false for a suggestion that fell\n"
            "  below --min-confidence and was not applied. With several FILEs, every record\n"
            "  has \"file\": the name as given.\n\n"
            "settings:\n"
            "  --set takes any Config field (fix_encoding, reflow, repair_joiners, ...);\n"
            "  --keep-line-breaks and --min-confidence override a --set of the same field.\n\n"
            + EXIT_STATUS_HELP
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    clean.add_argument("files", nargs="+", metavar="FILE", help="input file, or - for standard input")
    show = clean.add_mutually_exclusive_group()
    show.add_argument(
        "--diff",
        action="store_true",
        help="print a unified diff (a/FILE -> b/FILE) instead of the text; nothing for an unchanged file",
    )
    show.add_argument("--edits", action="store_true", help="print the applied edits as JSON lines instead of the text")
    clean.add_argument(
        "--suggestions",
        action="store_true",
        help='with --edits: also print the edits below --min-confidence, marked "applied": false',
    )
    clean.add_argument(
        "--keep-line-breaks", action="store_true", help="keep every line break of the input (no reflow)"
    )
    clean.add_argument(
        "--min-confidence",
        type=_confidence,
        metavar="X",
        help="apply only edits at least this confident, 0..1 (default %.2g); the rest are suggestions"
        % Config().min_confidence,
    )
    clean.add_argument(
        "--set",
        dest="settings",
        action="append",
        default=[],
        type=_setting,
        metavar="NAME=VALUE",
        help="set any configuration field, e.g. --set reflow=false (repeatable)",
    )
    clean.add_argument(
        "-o", "--output", type=Path, metavar="PATH", help="write the output to PATH (atomically) instead of stdout"
    )
    clean.set_defaults(handler=_run_clean, parser=clean)


def _confidence(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {raw!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {raw}")
    return value


def _setting(raw: str) -> tuple[str, str]:
    name, sep, value = raw.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {raw!r}")
    return name.strip(), value


# --- entry point -------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (see ``EXIT_STATUS_HELP``)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        return args.handler(args)
    except SystemExit as done:  # argparse's --help, --version and usage errors
        return done.code if isinstance(done.code, int) else EXIT_USAGE
    except BrokenPipeError:
        # The reader (say `| head`) has gone; point stdout at /dev/null so that Python's
        # final flush does not raise a second time.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_INPUT_FAILED
    except KeyboardInterrupt:
        return 130


# --- clean -------------------------------------------------------------------------------


@dataclass
class _CleanOptions:
    config: Config
    mode: str  # "text", "diff" or "edits"
    suggestions: bool
    several: bool


def _run_clean(args: argparse.Namespace) -> int:
    parser: argparse.ArgumentParser = args.parser
    if args.suggestions and not args.edits:
        parser.error("--suggestions needs --edits")
    values: dict[str, object] = dict(args.settings)
    if args.keep_line_breaks:
        values["keep_line_breaks"] = True
    if args.min_confidence is not None:
        values["min_confidence"] = args.min_confidence
    try:
        config = config_from_mapping(values)
    except ValueError as error:
        parser.error(str(error))
    options = _CleanOptions(
        config=config,
        mode="diff" if args.diff else "edits" if args.edits else "text",
        suggestions=args.suggestions,
        several=len(args.files) > 1,
    )

    collected: list[str] = []
    if args.output is not None:
        emit: Callable[[str], None] = collected.append
    else:
        emit = _stdout_writer()

    status = EXIT_OK
    succeeded = 0
    for name in args.files:
        try:
            text = read_input(name)
        except InputError as error:
            _error(f"{_display(name)}: {error}")
            status = EXIT_INPUT_FAILED
            continue
        try:
            emit(render(name, text, options))
        except BrokenPipeError:
            raise
        except Exception as error:  # one file's failure must not stop the batch
            _error(f"{_display(name)}: repair failed: {type(error).__name__}: {error}")
            status = EXIT_INPUT_FAILED
            continue
        succeeded += 1

    # Only replace an existing output when there is something to put there: a run where
    # every input failed should not wipe the previous result.
    if args.output is not None and succeeded:
        try:
            write_atomic(args.output, "".join(collected).encode("utf-8"))
        except OSError as error:
            _error(f"cannot write {args.output}: {error.strerror or error}")
            status = EXIT_INPUT_FAILED
    return status


def render(name: str, text: str, options: _CleanOptions) -> str:
    """What ``clean`` prints for one input."""
    result = clean_text(text, options.config)
    if options.mode == "text":
        return result.text
    if options.mode == "diff":
        return unified_diff(text, result.text, _display(name))
    extra = {"file": name} if options.several else {}
    if not options.suggestions and not extra:
        return edit_lines(result.edits)
    records = [(edit, True) for edit in result.edits]
    if options.suggestions:
        records += [(edit, False) for edit in result.suggestions]
    records.sort(key=lambda item: (item[0].start, item[0].end))
    lines = []
    for edit, applied in records:
        data = edit.to_dict()
        if options.suggestions:
            data["applied"] = applied
        data.update(extra)
        lines.append(json.dumps(data, ensure_ascii=False) + "\n")
    return "".join(lines)


def edit_lines(edits: Iterable[Edit]) -> str:
    sink = io.StringIO()
    write_jsonl(sorted(edits, key=lambda e: (e.start, e.end)), sink)
    return sink.getvalue()


def unified_diff(before: str, after: str, name: str) -> str:
    """A line-based unified diff; lines end at "\\n" only (not at form feeds or U+2028)."""
    lines = []
    for line in difflib.unified_diff(
        _split_lines(before), _split_lines(after), fromfile=f"a/{name}", tofile=f"b/{name}"
    ):
        lines.append(line)
        if not line.endswith("\n"):
            # patch(1)'s marker, so that the next line is not glued onto this one
            lines.append("\n\\ No newline at end of file\n")
    return "".join(lines)


def _split_lines(text: str) -> list[str]:
    lines = text.split("\n")
    out = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        out.append(lines[-1])
    return out


# --- input and output --------------------------------------------------------------------


def read_input(name: str) -> str:
    """The text of FILE (or of stdin for "-"), decoded as strict UTF-8 without its BOM."""
    if name == STDIN_NAME:
        stream = sys.stdin
        data = stream.buffer.read() if hasattr(stream, "buffer") else stream.read().encode("utf-8")
    else:
        path = Path(name)
        try:
            if path.is_dir():
                raise InputError("is a directory")
            data = path.read_bytes()
        except InputError:
            raise
        except FileNotFoundError:
            raise InputError("no such file") from None
        except IsADirectoryError:
            raise InputError("is a directory") from None
        except PermissionError:
            raise InputError("permission denied") from None
        except OSError as error:
            raise InputError(f"cannot read: {error.strerror or error}") from None
    return decode_utf8(data)


def decode_utf8(data: bytes) -> str:
    """Strict UTF-8, BOM dropped; the error gives the byte offset in the file as stored.

    >>> decode_utf8(b"\\xef\\xbb\\xbfcaf\\xc3\\xa9")
    'café'
    >>> decode_utf8(b"caf\\xe9 au lait")
    Traceback (most recent call last):
    ...
    pipeline.cli.InputError: not valid UTF-8 at byte 3 (0xe9: invalid continuation byte)
    """
    skipped = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[skipped:].decode("utf-8")
    except UnicodeDecodeError as error:
        offset = skipped + error.start
        raise InputError(f"not valid UTF-8 at byte {offset} (0x{data[offset]:02x}: {error.reason})") from None


def _stdout_writer() -> Callable[[str], None]:
    stream = sys.stdout
    buffer: IO[bytes] | None = getattr(stream, "buffer", None)

    def emit(text: str) -> None:
        if buffer is None:  # stdout replaced by a text-only object (an embedding program)
            stream.write(text)
            stream.flush()
            return
        stream.flush()  # anything already written through the text layer goes first
        buffer.write(text.encode("utf-8"))
        buffer.flush()

    return emit


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` all at once: readers see the old file or the new one.

    The temporary file sits in the same folder, since os.replace is atomic only within one
    file system; it gets the mode the file has (or would get from a plain open).
    """
    path = Path(path)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _display(name: str) -> str:
    return "<stdin>" if name == STDIN_NAME else name


def _error(message: str) -> None:
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
