"""Command line: ``ocr-repair clean FILE...`` and ``ocr-repair run INPUT --out OUT``.

The parser is built from one ``_add_<command>`` function per subcommand, each setting its
handler with ``set_defaults(handler=...)``; ``run`` (a Luigi batch) and ``eval`` (scoring)
are meant to be added beside ``clean`` the same way, importing Luigi inside their handler
only, so that ``clean`` and ``--help`` never pay for it.

Inputs are read as bytes and decoded by :func:`pipeline.documents.decode_bytes` (UTF-8, or
UTF-16/32 with a byte-order mark; with ``--decode auto`` also cp1252 and Latin-1); output is
written as UTF-8 bytes, so neither the locale nor the platform's newline translation can alter
a single character.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import difflib
import io
import json
import logging
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
    _add_run(commands)
    _add_eval(commands)
    _add_gc(commands)
    return parser


def _add_gc(commands: argparse._SubParsersAction) -> None:
    from .batch import GC_MIN_AGE

    gc = commands.add_parser(
        "gc",
        help="free the space in OUT/.work that the published result does not need",
        description=(
            "Remove from OUT/.work the shards of other configurations (each upgrade or\n"
            "settings change leaves a full set behind), shards of the published configuration\n"
            "that its input no longer has, and folders of interrupted runs. The published\n"
            "files never depend on them. Anything changed within --min-age hours is kept: a\n"
            "run of another configuration may be using it. Takes the publish lock."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    gc.add_argument("out", type=Path, metavar="OUT", help="an output folder of 'ocr-repair run'")
    gc.add_argument(
        "--min-age",
        type=_hours,
        default=GC_MIN_AGE / 3600,
        metavar="HOURS",
        help=f"keep what changed in the last HOURS (default {GC_MIN_AGE / 3600:g}; 0 removes at once)",
    )
    gc.add_argument("-n", "--dry-run", action="store_true", help="say what would go, remove nothing")
    gc.set_defaults(handler=_run_gc)


def _run_gc(args: argparse.Namespace) -> int:
    from .batch import WORK, collect_garbage

    if not (args.out / WORK).is_dir():
        print(f"{PROG}: {args.out}: not an output folder of '{PROG} run' (no {WORK}/ in it)", file=sys.stderr)
        return EXIT_INPUT_FAILED
    try:
        result = collect_garbage(args.out, args.min_age * 3600, args.dry_run)
    except OSError as error:
        print(f"{PROG}: {args.out}: {error.strerror or error}", file=sys.stderr)
        return EXIT_INPUT_FAILED
    verb = "would remove" if args.dry_run else "removed"
    for name in result["removed"]:
        print(f"{verb} {name}")
    for name, why in result["kept"]:
        print(f"kept {name}: {why}")
    print(f"{verb} {len(result['removed'])} folders, {result['bytes'] / 2**20:.1f} MiB")
    return EXIT_OK


def _add_eval(commands: argparse._SubParsersAction) -> None:
    # The scoring has its own parser (pipeline/evaluate.py); everything after "eval" goes to it.
    evaluate = commands.add_parser(
        "eval",
        help="score the repair against ground truth: folders, or the sets in ../shared/eval (eval --help)",
        add_help=False,
    )
    evaluate.add_argument("arguments", nargs=argparse.REMAINDER)
    evaluate.set_defaults(handler=_run_eval)


def _run_eval(args: argparse.Namespace) -> int:
    from .evaluate import main as evaluate_main

    return evaluate_main(args.arguments)


def _add_set_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--set",
        dest="settings",
        action="append",
        default=[],
        type=_setting,
        metavar="NAME=VALUE",
        help="set any configuration field, e.g. --set reflow=false (repeatable)",
    )


def _add_clean(commands: argparse._SubParsersAction) -> None:
    clean = commands.add_parser(
        "clean",
        help="repair files and print the clean text (or a diff, or the edit log)",
        description=(
            "Repair each FILE (or standard input, '-') and print the result to standard\n"
            "output, one file after another. Input must be UTF-8 (a BOM is allowed and is\n"
            "dropped), or UTF-16/UTF-32 with a byte-order mark; --decode auto also reads\n"
            "other files (see 'decoding' in `run --help`). Output is UTF-8 whatever the\n"
            "locale, with line ends as the repair left them."
        ),
        epilog=(
            "edit records (--edits):\n"
            "  one JSON object per line: start, end, before, after, rule, confidence, why;\n"
            "  start:end index the input's characters (as decoded, BOM dropped), and\n"
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
    _add_set_option(clean)
    clean.add_argument(
        "-o", "--output", type=Path, metavar="PATH", help="write the output to PATH (atomically) instead of stdout"
    )
    _add_decode(clean, "utf-8")
    clean.set_defaults(handler=_run_clean, parser=clean)


def _add_decode(parser: argparse.ArgumentParser, default: str | None) -> None:
    parser.add_argument(
        "--decode",
        choices=("utf-8", "auto"),
        default=default,
        help="utf-8: UTF-8, or UTF-16/32 with a byte-order mark, anything else is refused; auto: "
        "also a few bad bytes in UTF-8 (replaced by U+FFFD), else cp1252, else Latin-1"
        + (" (default utf-8)" if default else " (default: [reading] decode in luigi.cfg, else utf-8)"),
    )


RUN_EXIT_STATUS_HELP = """\
exit status:
  0  every document was cleaned and the result is published in OUT
  1  published, but some files or JSONL lines were skipped or failed (binary, not UTF-8,
     too large, unreadable, a link to outside INPUT, bad JSON...); each is named with its
     reason on stderr and in OUT/summary.json
  2  usage error: bad option, --set value or [repair] / [reading] setting in luigi.cfg;
     INPUT is not a folder, or lies inside OUT
  3  a task failed or could not be scheduled, or OUT cannot be written (full, read-only);
     the cause is named on stderr, Luigi's summary and log say more. Nothing new was
     published and OUT keeps its previous result; or, if it failed while publishing, OUT
     holds complete files of the previous and the new result, .work/published.json says
     "complete": false, and the new summary.json is not written yet. Either way a re-run
     resumes where this one stopped (so does one after the run was killed, or the machine
     went down), and its result is byte for byte the one an uninterrupted run gives.
"""

DECODING_HELP = """\
decoding (--decode, or decode in the [reading] section of luigi.cfg):
  utf-8 (the default): a file is read as UTF-8 (a BOM is dropped), or as UTF-16 or
     UTF-32 when it starts with their byte-order mark. Any other file is skipped, naming
     the first bad byte and what --decode auto would read it as.
  auto: as utf-8, then a file that is mostly UTF-8 with a few bad bytes is read with each
     bad spot replaced by U+FFFD ("utf-8 with replacement"); else as cp1252 if every byte
     is defined there; else as Latin-1, which reads any byte.
  Either way a binary file (PDF, PNG, zip, gzip, JPEG, ELF, Office... by its signature,
  or by its share of NUL and control bytes) is skipped as "binary file (PDF)" etc.
  Decodings are counted in summary.json and summary.html ("decodings"); the documents
  not read as plain UTF-8 are listed under "decoded_as" in summary.json and counted on
  stderr. Edit offsets count the decoded characters. NUL and other control characters
  inside text are kept as they are. A .jsonl file must be UTF-8 (in auto, a line that
  is not is read as above); one in UTF-16/32 is skipped.
size limit (--max-file-mb, or max_file_mb in [reading]; default %(limit)g):
  a .txt file or a .jsonl line larger than this many MiB is skipped, saying so: memory
  grows with the repairs (up to about 290 MB per MiB), and at 5 MiB a worker peaks at
  about 0.5 GB on damaged prose, 1.5 GB at worst. A large .jsonl file of small lines is
  fine: it is read in pieces.
"""


def _add_run(commands: argparse._SubParsersAction) -> None:
    from .batch import DEFAULT_MAX_FILE_MB, DEFAULT_SHARD_SIZE

    run = commands.add_parser(
        "run",
        help="clean a folder of .txt and .jsonl files into OUT (Luigi batch; re-runs do only what changed)",
        description=(
            "Clean every .txt file (one article) and .jsonl file (one article per line: an\n"
            "object with \"id\" and \"text\"; other fields are kept) under INPUT, recursively,\n"
            "with Luigi. Work is done in shards whose identity is the input bytes and the\n"
            "configuration, so a re-run over the same input does nothing, and after files are\n"
            "added or changed only their shards are cleaned again. Hidden files and folders\n"
            "(.*) and OUT itself (when inside INPUT) are left out."
        ),
        epilog=(
            "outputs in OUT:\n"
            "  clean/<path>                 clean text, same name as the input (.jsonl: the same\n"
            "                               records with the clean \"text\")\n"
            "  reports/<path>.html          report of a .txt file\n"
            "  reports/<path>/<id>.html     report of each .jsonl article (id escaped: %XX)\n"
            "  reports/<path>.edits.jsonl   edit records, \"applied\": false for suggestions\n"
            "                               (.jsonl: each record has the article \"id\")\n"
            "  summary.json, summary.html   totals, edits per rule and glyph, rankings,\n"
            "                               skipped files with reasons, timings, configuration\n"
            "  .work/                       shards and state; safe to delete (the next run\n"
            "                               then redoes everything); 'ocr-repair gc OUT'\n"
            "                               frees what the published result does not need\n"
            "standard output gets Luigi's execution summary; standard error the progress line\n"
            "and the skipped inputs.\n\n"
            "settings:\n"
            "  the [repair] section of luigi.cfg (in the current folder, or $LUIGI_CONFIG_PATH)\n"
            "  sets any Config field; --set overrides it. A new setting, word list or version\n"
            "  gives a fresh result: nothing is mixed with results of other settings.\n\n"
            + DECODING_HELP % {"limit": DEFAULT_MAX_FILE_MB}
            + "\n"
            "several machines:\n"
            "  start luigid once, then run the same command with --scheduler-url on each\n"
            "  machine (same INPUT and OUT paths, on shared storage): every shard is cleaned\n"
            "  once, by whichever worker gets it, and each command ends when OUT is published.\n\n"
            + RUN_EXIT_STATUS_HELP
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("input", type=Path, metavar="INPUT", help="folder of .txt and .jsonl files")
    run.add_argument("--out", required=True, type=Path, metavar="OUT", help="output folder (created if needed)")
    run.add_argument(
        "--workers", type=_positive_int, default=1, metavar="N", help="worker processes on this machine (default 1)"
    )
    run.add_argument(
        "--scheduler-url",
        metavar="URL",
        help="central Luigi scheduler (luigid), e.g. http://host:8082; default: a local scheduler",
    )
    _add_set_option(run)
    run.add_argument(
        "--shard-size",
        type=_positive_int,
        default=DEFAULT_SHARD_SIZE,
        metavar="N",
        help=f"files per shard, on average; a large .jsonl file is cut into pieces of N x 5 KB "
        f"(64 KB at least) that count as files (default {DEFAULT_SHARD_SIZE})",
    )
    _add_decode(run, None)
    run.add_argument(
        "--max-file-mb",
        type=_positive_float,
        metavar="N",
        help="skip .txt files and .jsonl lines larger than N MiB (default: [reading] max_file_mb in "
        "luigi.cfg, else %g)" % DEFAULT_MAX_FILE_MB,
    )
    run.add_argument("-q", "--quiet", action="store_true", help="no progress line")
    run.add_argument("-v", "--verbose", action="store_true", help="show Luigi's log at INFO level")
    run.set_defaults(handler=_run_batch, parser=run)


def _bounded(convert: Callable[[str], float], noun: str, fits: Callable[[float], bool], needs: str):
    """An argparse ``type`` that reads a number with ``convert`` and checks it with ``fits``;
    its messages say what it is not (``noun``) or what it must be (``needs``)."""

    def parse(raw: str):
        try:
            value = convert(raw)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not {noun}: {raw!r}") from None
        if not fits(value):
            raise argparse.ArgumentTypeError(f"must be {needs}, got {raw}")
        return value

    return parse


_positive_int = _bounded(int, "a whole number", lambda v: v >= 1, "at least 1")
_positive_float = _bounded(float, "a number", lambda v: 0 < v < float("inf"), "a number above 0")
_confidence = _bounded(float, "a number", lambda v: 0.0 <= v <= 1.0, "between 0 and 1")
_hours = _bounded(float, "a number", lambda v: 0 <= v < float("inf"), "a number of hours, 0 or more")


def _setting(raw: str) -> tuple[str, str]:
    name, sep, value = raw.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {raw!r}")
    return name.strip(), value


# --- entry point -------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (see ``EXIT_STATUS_HELP``)."""
    parser = build_parser()
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        if arguments[:1] == ["eval"]:
            # Handed over whole: argparse's REMAINDER refuses a first argument like "--help".
            return _run_eval(argparse.Namespace(arguments=arguments[1:]))
        args = parser.parse_args(arguments)
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
            text = read_input(name, guess=args.decode == "auto")
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


# --- run ---------------------------------------------------------------------------------

EXIT_TASK_FAILED = 3


def _run_batch(args: argparse.Namespace) -> int:
    parser: argparse.ArgumentParser = args.parser
    source = Path(os.path.abspath(args.input))
    out = Path(os.path.abspath(args.out))
    if not source.exists():
        parser.error(f"{args.input}: no such folder")
    if not source.is_dir():
        parser.error(f"{args.input}: not a folder (give the folder that holds the files)")
    if out.exists() and not out.is_dir():
        parser.error(f"--out {args.out}: exists and is not a folder")
    if source == out or out in source.parents:
        parser.error(f"{args.input} lies inside --out {args.out}: outputs would become inputs")

    # Luigi is imported here only, so that `clean` and --help never pay for it.
    from . import batch, tasks

    if not args.verbose:
        # Skipped inputs are listed once, at the end, from the published summary.
        tasks.logger.setLevel(logging.ERROR)

    settings = dict(args.settings)
    try:
        tasks.resolve_config(settings)
        tasks.resolve_reading(args.decode, args.max_file_mb)
    except ValueError as error:
        parser.error(str(error))
    task = tasks.CleanBatch(input=source, out=out, shard_size=args.shard_size, settings=settings,
                            decode=args.decode, max_file_mb=args.max_file_mb)
    plan = task.plan()
    if not batch.is_published(out, plan.id):
        # Say so now, in one line, rather than as a traceback per shard.
        problem = batch.cannot_write(out)
        if problem is not None:
            _error(f"cannot write to {out}: {problem}; nothing was changed")
            return EXIT_TASK_FAILED
    pending = [shard for shard in plan.shards if not batch.shard_done(out, plan.config_hash, shard.id)]
    progress = batch.Progress(batch.shards_dir(out, plan.config_hash), [] if args.quiet else pending)
    progress.start()
    try:
        result = tasks.build(
            task,
            workers=args.workers,
            scheduler_url=args.scheduler_url,
            log_level="INFO" if args.verbose else "WARNING",
            on_wait=lambda: _error("waiting for other workers to finish the batch"),
        )
    except Exception as error:  # Luigi raises for an unreachable scheduler, among others
        progress.stop()
        _error(f"the batch could not run: {type(error).__name__}: {error}")
        return EXIT_TASK_FAILED
    progress.stop()
    _stdout_writer()(result.summary_text.strip("\n") + "\n")

    state = batch.read_state(out) or {}
    if not task.complete() and not (state.get("complete") and state.get("plan") == plan.id):
        for line in tasks.failures(result, out)[:10]:
            _error(line)
        if state.get("plan") == plan.id and not state.get("complete"):
            _error(f"the batch did not finish ({result.status.name}) while publishing; a re-run completes {out}")
        else:
            _error(f"the batch did not finish ({result.status.name}); {out} keeps its previous result")
        return EXIT_TASK_FAILED
    summary = batch.read_summary(out) or {}
    skipped = summary.get("skipped", [])
    for item in skipped:
        _error(f"skipped {item['path']}: {item['reason']}")
    for decoding, where in (summary.get("decoded_as") or {}).items():
        _error(f"read as {decoding}: {len(where)} document(s), listed under \"decoded_as\" in summary.json")
    totals = summary.get("totals", {})
    _error(
        f"{totals.get('documents', 0)} documents cleaned, {len(skipped)} skipped; "
        f"summary: {out / 'summary.html'}"
    )
    return EXIT_INPUT_FAILED if skipped else EXIT_OK


# --- input and output --------------------------------------------------------------------


def read_input(name: str, guess: bool = False) -> str:
    """The text of FILE (or of stdin for "-"), decoded by
    :func:`pipeline.documents.decode_bytes` (``guess``: ``--decode auto``)."""
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
    from .documents import DecodeError, decode_bytes

    try:
        return decode_bytes(data, guess)[0]
    except DecodeError as error:
        raise InputError(str(error)) from None


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
