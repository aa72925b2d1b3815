"""Luigi tasks for batch and scheduled runs. The tasks are thin: the work (listing, hashing,
sharding, cleaning, publishing) is in :mod:`pipeline.batch`, which does not know Luigi.

Task graph::

    RangeDailyBase(of=DailyClean)          backfill / cron: every missing day in a range
      └─ DailyClean(date, inbox, out)      one day: INBOX/YYYY-MM-DD -> OUT/YYYY-MM-DD
           └─ CleanBatch(input, out)       publishes OUT/clean, OUT/reports, OUT/summary.*
                ├─ CleanShard(shard) x N   cleans one shard into OUT/.work/<config>/shards/<id>/
                └─ InputFolder(input)      only while the input folder does not exist

Run the Luigi way (settings from the ``[repair]`` section of ``luigi.cfg``, or
``--repair-<setting>`` flags; how files are read from the ``[reading]`` section: ``decode`` and
``max_file_mb``, see :class:`pipeline.batch.Reading`)::

    luigi --module pipeline.tasks CleanBatch --input IN --out OUT --local-scheduler
    luigi --module pipeline.tasks DailyClean --date 2024-05-01 --inbox INBOX --out OUT --local-scheduler
    luigi --module pipeline.tasks RangeDailyBase --of DailyClean \\
        --of-params '{"inbox": "INBOX", "out": "OUT"}' --start 2024-05-01 --local-scheduler

A day whose inbox folder does not exist is *not done*: Luigi reports InputFolder as a
missing external dependency and the next run does that day once the folder appears. An
existing, empty folder is a day with no articles (an empty result is published).
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from collections import Counter

import luigi
import luigi.tools.range  # noqa: F401  (RangeDaily and RangeDailyBase, for `luigi --module`)
from luigi.execution_summary import LuigiStatusCode
from luigi.parameter import ParameterVisibility

from . import batch
from .config import Config, config_from_mapping

# A child of Luigi's logger: it gets Luigi's handler and --log-level on the `luigi` command.
logger = logging.getLogger("luigi.pipeline")

# --- configuration -------------------------------------------------------------------------

#: The ``[repair]`` section of luigi.cfg: one optional string per :class:`Config` field,
#: parsed by :func:`config_from_mapping` (unset fields keep Config's defaults).
repair = type(
    "repair",
    (luigi.Config,),
    {
        "__doc__": "Repair settings: any pipeline.config.Config field, e.g. reflow = false.",
        **{
            name: luigi.OptionalParameter(default=None, description=f"Config.{name} (default {default!r})")
            for name, default in Config._field_defaults.items()
        },
    },
)


#: The ``[reading]`` section of luigi.cfg: how input files are read (:class:`batch.Reading`).
#: Not part of :class:`Config`, which is about the repair; both go into the configuration hash.
reading_section = type(
    "reading",
    (luigi.Config,),
    {
        "__doc__": "How input files are read: decode = utf-8 | auto, max_file_mb = N.",
        "decode": luigi.Parameter(default=batch.Reading.decode, description="utf-8 (default) or auto"),
        "max_file_mb": luigi.FloatParameter(
            default=batch.DEFAULT_MAX_FILE_MB, description="larger .txt files and .jsonl lines are skipped"
        ),
    },
)


def resolve_reading(decode: str | None = None, max_file_mb: float | None = None) -> batch.Reading:
    """Reading defaults, then ``[reading]`` in luigi.cfg, then the values given (``ocr-repair
    run --decode / --max-file-mb``). A bad value raises ValueError."""
    section = reading_section()
    return batch.Reading(
        decode=decode if decode is not None else section.decode,
        max_file_mb=max_file_mb if max_file_mb is not None else section.max_file_mb,
    )


def resolve_config(settings: dict | None = None) -> Config:
    """Config defaults, then ``[repair]`` in luigi.cfg (or ``--repair-*`` flags), then
    ``settings`` (``ocr-repair run --set``). An unknown name raises ValueError: a typo in
    luigi.cfg must not silently run with defaults."""
    parser = luigi.configuration.get_config()
    if parser.has_section("repair"):
        unknown = sorted(
            name for name in parser.options("repair") if name.replace("-", "_") not in Config._fields
        )
        if unknown:
            raise ValueError(
                f"unknown setting(s) in the [repair] section of luigi.cfg: {', '.join(unknown)}; "
                f"known: {', '.join(Config._fields)}"
            )
    section = repair()
    values = {name: getattr(section, name) for name in Config._fields if getattr(section, name) is not None}
    values.update(settings or {})
    return config_from_mapping(values)


class _InProcess(luigi.Parameter):
    """A value handed from the task that requires this one, in the same process: not part
    of the task id (the id already says what it is) and never sent to the scheduler."""

    def __init__(self, **kwargs):
        super().__init__(significant=False, visibility=ParameterVisibility.PRIVATE, **kwargs)


# --- tasks ---------------------------------------------------------------------------------


class InputFolder(luigi.ExternalTask):
    """An input folder that something outside the pipeline fills (an inbox day)."""

    path = luigi.PathParameter(absolute=True)

    def output(self):
        return luigi.LocalTarget(str(self.path))


class CleanShard(luigi.Task):
    """Clean one shard into ``OUT/.work/<config>/shards/<shard_id>/`` (which appears whole)."""

    out = luigi.PathParameter(absolute=True)
    config_hash = luigi.Parameter()
    shard_id = luigi.Parameter()
    shard = _InProcess()
    root = _InProcess()
    config = _InProcess()

    def output(self):
        return luigi.LocalTarget(str(batch.shard_dir(self.out, self.config_hash, self.shard_id) / batch.MANIFEST))

    def run(self):
        # With a central scheduler another worker may have finished this shard between our
        # completeness check and now; doing it again would be wasted work.
        if self.complete():
            return
        started = time.perf_counter()
        folder = batch.new_shard_folder(self.out, self.config_hash, self.shard_id)
        try:
            batch.process_shard(self.root, self.shard, self.config, folder, on_document=self._progress)
            kept = batch.commit_shard(folder, self.out, self.config_hash, self.shard_id)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        batch.log_run(self.out, self.config_hash, self.shard_id, time.perf_counter() - started, kept)

    _last_report = 0.0  # monotonic time of the last report to the scheduler

    def _progress(self, done: int, total: int) -> None:
        # For the scheduler's web page; with a central scheduler each call is a request.
        now = time.monotonic()
        if done == total or now - self._last_report >= 2.0:
            self._last_report = now
            self.set_progress_percentage(round(100 * done / max(total, 1)))
            self.set_status_message(f"{done}/{total} documents")


class CleanBatch(luigi.Task):
    """Clean every .txt and .jsonl file under ``input`` (recursively) into ``out``.

    Complete when ``out`` holds the published result of the current plan: the same input
    bytes, configuration, word lists and version. Anything else re-plans, and only shards
    whose inputs changed are cleaned again.
    """

    input = luigi.PathParameter(absolute=True)
    out = luigi.PathParameter(absolute=True)
    shard_size = luigi.IntParameter(default=batch.DEFAULT_SHARD_SIZE)
    settings = luigi.DictParameter(default={}, description="Config overrides on top of [repair]")
    decode = luigi.OptionalParameter(default=None, description="utf-8 or auto; default: [reading] decode")
    max_file_mb = luigi.OptionalFloatParameter(default=None, description="default: [reading] max_file_mb")

    def repair_config(self) -> Config:
        return resolve_config(dict(self.settings))

    def reading(self) -> batch.Reading:
        return resolve_reading(self.decode, self.max_file_mb)

    def plan(self) -> batch.Plan | None:
        """The plan for the input as it is now; None while the input folder does not exist."""
        if not self.input.is_dir():
            return None
        reading = self.reading()
        config_hash = batch.config_identity(self.repair_config(), reading)
        return batch.plan_batch(self.input, config_hash, shard_size=self.shard_size, exclude=[self.out],
                                reading=reading)

    def requires(self):
        plan = self.plan()
        if plan is None:
            return InputFolder(path=self.input)
        # run() publishes what was scheduled, even if the input changes in between.
        self._plan = plan
        config = self.repair_config()
        # Load the word lists and the stage modules here, in the scheduling process: Luigi
        # forks a process per task when --workers > 1, and every fork then starts with them
        # in memory instead of paying for them again.
        from .repair import clean_text

        clean_text("warm up", config)
        return [
            CleanShard(out=self.out, config_hash=plan.config_hash, shard_id=shard.id, shard=shard,
                       root=str(self.input), config=config)
            for shard in plan.shards
        ]

    def output(self):
        return luigi.LocalTarget(str(self.out / "summary.json"))

    def complete(self):
        plan = self.plan()
        return plan is not None and batch.is_published(self.out, plan.id)

    def run(self):
        plan = getattr(self, "_plan", None) or self.plan()
        # publish() does nothing when another worker has published this plan meanwhile.
        summary = batch.publish(self.out, plan, self.repair_config())
        for item in summary.get("skipped", []):
            logger.warning("skipped %s: %s", item["path"], item["reason"])


class DailyClean(luigi.WrapperTask):
    """One day of a scheduled run: ``inbox/YYYY-MM-DD/`` -> ``out/YYYY-MM-DD/``."""

    date = luigi.DateParameter()
    inbox = luigi.PathParameter(absolute=True)
    out = luigi.PathParameter(absolute=True)
    shard_size = luigi.IntParameter(default=batch.DEFAULT_SHARD_SIZE)
    settings = luigi.DictParameter(default={})

    def requires(self):
        # How files are read comes from the [reading] section of luigi.cfg, as for cron.
        day = self.date.isoformat()
        return CleanBatch(
            input=self.inbox / day, out=self.out / day, shard_size=self.shard_size, settings=self.settings
        )

    @classmethod
    def bulk_complete(cls, parameter_tuples):
        # RangeDaily asks this instead of listing output folders: a day is done only when its
        # published result matches its inbox as it is now (late files make it not done).
        return [date for date in parameter_tuples if cls(date).complete()]


# --- running -------------------------------------------------------------------------------

#: Run statuses after which the batch may still be finishing on another worker: NOT_RUN is
#: what a worker reports for tasks the scheduler gave to other workers.
_MAY_BE_RUNNING_ELSEWHERE = {LuigiStatusCode.SUCCESS, LuigiStatusCode.SUCCESS_WITH_RETRY, LuigiStatusCode.NOT_RUN}
#: Polls in a row that see none of our tasks running anywhere before a worker stops waiting
#: (a short gap is normal: between the last shard and the publish step).
_IDLE_POLLS = 5


def _running_elsewhere(scheduler_url: str) -> bool:
    """Whether the central scheduler has any of this pipeline's tasks running."""
    from luigi.rpc import RemoteScheduler

    try:
        running = RemoteScheduler(scheduler_url).task_list("RUNNING", "")
    except Exception:  # an unreachable scheduler is reported by the next build
        return False
    families = (CleanShard.get_task_family(), CleanBatch.get_task_family())
    return any(str(task_id).startswith(families) for task_id in running or {})


def failures(result, out=None) -> list[str]:
    """A line per distinct failure of our tasks in this run (of the batch writing to
    ``out``, when given): the task family and the last line of its error, which names the
    cause (say "OSError: [Errno 28] No space left on device"), with a count when several
    tasks failed alike. Asked of the scheduler that ran them, local or central; empty when
    it cannot say."""
    scheduler = getattr(getattr(result, "worker", None), "_scheduler", None)
    if scheduler is None:
        return []
    families = (CleanShard.get_task_family(), CleanBatch.get_task_family())
    lines = []
    try:
        failed = scheduler.task_list("FAILED", "") or {}
        for task_id, info in sorted(failed.items()):
            family = str(info.get("name", task_id))
            params = info.get("params") or {}
            if family not in families or (out is not None and params.get("out") != str(out)):
                continue
            error = (scheduler.fetch_error(task_id) or {}).get("error") or ""
            try:
                error = json.loads(error)  # the worker sends it JSON-encoded
            except (TypeError, ValueError):
                pass
            last = next((line.strip() for line in reversed(str(error).splitlines()) if line.strip()), "no reason given")
            lines.append(f"{family} failed: {last}")
    except Exception:  # a diagnosis must never hide the failure it diagnoses
        pass
    # A full disk fails every shard the same way: say it once, with a count.
    counts = Counter(lines)
    return [line if n == 1 else f"{n} x {line}" for line, n in counts.items()]


def luigid_command(port: int = 8082, *, address: str = "127.0.0.1", logdir: str = "/var/log/luigid",
                   state_path: str = "/var/lib/luigid/state.pickle", luigid: str = ".venv/bin/luigid") -> list[str]:
    """The command that starts Luigi's central scheduler the way the README says: bound to
    loopback unless ``address`` says otherwise (luigid alone listens on every interface, and
    its API runs and removes tasks for anyone who reaches it). Its state file is unpickled
    by luigid at start: keep ``state_path`` in a folder only the scheduler's user can write."""
    return [luigid, "--address", address, "--port", str(port), "--logdir", logdir, "--state-path", state_path]


def build(task: luigi.Task, *, workers: int = 1, scheduler_url: str | None = None,
          log_level: str = "WARNING", poll: float = 1.0, on_wait=None):
    """Run ``task`` with ``workers`` worker processes, on the local scheduler or on the
    central one at ``scheduler_url``; returns Luigi's run result (``detailed_summary``).

    With a central scheduler, a worker whose remaining tasks are run by other workers stops
    before the batch is published. This then polls, building again (which takes over
    whatever the scheduler hands back, say when another worker dies), until the task is
    complete or nothing of ours runs anywhere, so that every worker's exit status describes
    the finished batch.
    """
    params = {"workers": workers, "detailed_summary": True, "log_level": log_level}
    if scheduler_url:
        params.update(local_scheduler=False, scheduler_url=scheduler_url)
        parser = luigi.configuration.get_config()
        if not parser.has_option("worker", "keep_alive"):
            # Stay to pick up shards and the publish step as they become runnable, instead of
            # leaving as soon as everything pending is blocked on other workers.
            if not parser.has_section("worker"):
                parser.add_section("worker")
            parser.set("worker", "keep_alive", "true")
    else:
        params.update(local_scheduler=True)
    idle = 0
    while True:
        result = luigi.build([task], **params)
        if not scheduler_url or result.status not in _MAY_BE_RUNNING_ELSEWHERE or task.complete():
            return result
        idle = 0 if _running_elsewhere(scheduler_url) else idle + 1
        if idle >= _IDLE_POLLS:
            return result
        if on_wait is not None:
            on_wait()
            on_wait = None
        time.sleep(poll)
