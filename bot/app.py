"""The composition root's parts: build everything a transport needs, and close it again."""

from __future__ import annotations

import gc
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.errors import StartupError
from bot.i18n import LOCALES_DIR, Translator
from bot.keys import KeyBuilder, load_or_create_secret
from bot.orgs.desk import StaffDesk
from bot.orgs.store import OrgStore
from bot.rendering import HTML, TextRenderer
from bot.runtime import Runtime
from bot.settings import Settings
from bot.storage import conversation_store, open_database, prepare_data_dir
from bot.storage.guesses import guess_counter
from bot.storage.instance import check_key_fingerprint
from bot.tips.performer import TipEffects
from bot.tips.store import TipStore
from flows import languages
from flows.deps import FlowDeps
from flows.distress import DistressDetector
from flows.engine import Engine
from flows.learn.content import Guidance
from flows.red_flags import Analyzer, detect_language
from flows.registry import all_flows
from referral_directory import Directory, DirectoryError, load_directory
from referral_directory.gazetteer import Gazetteer
from referral_directory.overlay import load_overlay, merge
from referral_directory.routing import RoutingRules
from referral_directory.search import DirectoryIndex

if TYPE_CHECKING:
    # Imported when first used (App.digests): the console never needs them at start, and
    # they bring Pillow, APScheduler and aiosmtplib (a sixth of its imports).
    from bot.orgs.digests import DigestService
    from bot.orgs.scheduler import DigestScheduler

log = logging.getLogger(__name__)

# Test-only fault injection: exit right after a tip is committed, before the reply.
CRASH_AFTER_COMMIT = "SAFEWORK_TEST_CRASH_AFTER_COMMIT"


@dataclass
class App:
    settings: Settings
    db: AsyncEngine
    keys: KeyBuilder
    translator: Translator
    runtime: Runtime
    deps: FlowDeps
    data_dir: Path
    orgs: OrgStore
    desk: StaffDesk
    effects: TipEffects
    tip_store: TipStore
    clock: Callable[[], datetime] = field(repr=False)
    _digests: DigestService | None = field(default=None, repr=False)
    _scheduler: DigestScheduler | None = field(default=None, repr=False)

    @property
    def digests(self) -> DigestService:
        """Built on first use (an urgent tip, a digest, a staff command), not at start."""
        if self._digests is None:
            from bot.orgs.digests import DigestService
            from bot.orgs.mail import Mailer, SmtpConfig

            settings = self.settings
            self._digests = DigestService(self.db, self.tip_store, self.orgs,
                                          self.deps.directory,
                                          TextRenderer(self.translator, HTML), sender=None,
                                          retention_days=settings.tip_retention_days,
                                          clock=self.clock)
            smtp = SmtpConfig.from_settings(settings)
            self._digests.mailer = Mailer(smtp) if smtp else None
        return self._digests

    @property
    def scheduler(self) -> DigestScheduler:
        if self._scheduler is None:
            from bot.orgs.scheduler import DigestScheduler

            self._scheduler = DigestScheduler(self.db, self.digests, self.orgs,
                                              self.deps.directory,
                                              self.settings.tip_retention_days,
                                              self.data_dir, clock=self.clock)
        return self._scheduler

    async def close(self) -> None:
        await self.db.dispose()


class Deferred:
    """A part of the flows' data loaded once, by whichever comes first: the start-up's
    background thread or a message that needs it (which then waits for it or loads it
    itself). A load that failed fails every use again, with its own error."""

    def __init__(self, load: Callable[[], Any]) -> None:
        self._load = load
        self._lock = threading.Lock()
        self._done = False
        self._value: Any = None
        self._error: BaseException | None = None

    def get(self) -> Any:
        if not self._done:
            with self._lock:
                if not self._done:
                    try:
                        self._value = self._load()
                    except Exception as exc:
                        self._error = exc
                    self._done = True
        if self._error is not None:
            raise self._error
        return self._value


class Loading:
    """Stands in ``FlowDeps`` for a deferred part: every attribute is the loaded part's."""

    __slots__ = ("_deferred",)

    def __init__(self, deferred: Deferred) -> None:
        self._deferred = deferred

    def __getattr__(self, name: str) -> Any:
        return getattr(self._deferred.get(), name)


def build_deps() -> FlowDeps:
    """Loads the analyzer's pattern data and the referral directory, once per process."""
    try:
        directory = load_directory()
    except DirectoryError as exc:
        raise StartupError("the referral directory is invalid:\n" + str(exc)) from exc
    return FlowDeps(analyzer=Analyzer.load(), directory=directory,
                    distress=DistressDetector.load(),
                    guidance=Guidance.load(LOCALES_DIR),
                    places=DirectoryIndex(directory, Gazetteer.load()),
                    routing=RoutingRules.load())


def with_operator_directory(deps: FlowDeps, data_dir: Path) -> FlowDeps:
    """The shipped directory with the operator's overlay under DATA_DIR merged over it
    (``directory import`` writes it: referral_directory/overlay.py); as it was without one."""
    directory = operator_directory(deps.directory, data_dir)
    if directory is deps.directory:
        return deps
    return replace(deps, directory=directory,
                   places=DirectoryIndex(directory, deps.places.gazetteer))


def operator_directory(shipped: Directory, data_dir: Path) -> Directory:
    """``shipped`` with the operator's overlay merged over it; ``shipped`` without one."""
    try:
        overlay = load_overlay(data_dir)
    except DirectoryError as exc:
        raise StartupError("the operator's directory is invalid (fix it, or import a good "
                           "file again):\n" + str(exc)) from exc
    return shipped if overlay is None else merge(shipped, overlay)


def deferred_deps(data_dir: Path) -> tuple[FlowDeps, Callable[[], None]]:
    """The deps of ``build_deps`` with the operator's overlay, of which only the directory
    is loaded now (a broken one still stops the start); the analyzer, the distress
    detector, the gazetteer's index (~0.75 s of CPU together) and the language layer's
    dictionaries (~0.5 s) load in the background, so the console answers its first
    message without them. Also returns what starts that loading."""
    try:
        shipped = load_directory()
    except DirectoryError as exc:
        raise StartupError("the referral directory is invalid:\n" + str(exc)) from exc
    directory = operator_directory(shipped, data_dir)
    parts = {"distress": Deferred(DistressDetector.load), "analyzer": Deferred(Analyzer.load),
             "places": Deferred(lambda: DirectoryIndex(directory, Gazetteer.load()))}

    def load(name: str) -> None:
        try:
            parts[name].get()
        except Exception as exc:  # raised again, and logged, where it is used
            log.error("startup.load_failed part=%s error=%s", name, type(exc).__name__)

    def load_all() -> None:
        # In the order messages need them: distress triage reads every text, an offer's
        # check the analyzer and the dictionaries; places only a place typed or named.
        load("distress")
        load("analyzer")
        for language in languages.LANGUAGES.values():
            language.known("a")
        load("places")
        gc.freeze()  # what was loaded lives as long as the process (see build_app)

    def start() -> None:
        threading.Thread(target=load_all, name="deps-loading", daemon=True).start()

    deps = FlowDeps(directory=directory, guidance=Guidance.load(LOCALES_DIR),
                    routing=RoutingRules.load(),
                    **{name: Loading(deferred) for name, deferred in parts.items()})
    return deps, start


def build_engine(deps: FlowDeps | None = None) -> Engine:
    return Engine(all_flows(), deps or build_deps(), detect_language=detect_language)


def _utc_now() -> datetime:
    return datetime.now(UTC)


async def build_app(settings: Settings, clock: Callable[[], datetime] = _utc_now,
                    background: bool = False) -> App:
    """Checks DATA_DIR, opens and migrates the database, and wires the runtime.

    ``clock`` is the one source of "now" for tips, invites, digests and the scheduler, so
    tests can fix it. ``background`` loads the flows' larger data after start-up
    (``deferred_deps``: the console). Raises ``StartupError`` with a message for the
    operator when something is unusable.
    """
    data_dir = prepare_data_dir(settings.data_dir)
    secret_value = settings.bot_secret_key.get_secret_value() if settings.bot_secret_key else None
    keys = KeyBuilder(load_or_create_secret(secret_value, data_dir))
    db = await open_database(settings.resolved_database_url())
    try:
        await check_key_fingerprint(db, keys.fingerprint)
    except StartupError:
        await db.dispose()
        raise
    store = conversation_store(db, ttl=timedelta(hours=settings.conversation_ttl_hours))
    if background:
        deps, start_loading = deferred_deps(data_dir)
    else:
        deps, start_loading = with_operator_directory(build_deps(), data_dir), None
    translator = Translator.load()
    tip_store = TipStore(db, data_dir, keys.salt("draft"), clock=clock)
    orgs = OrgStore(db, keys.salt("invite"), clock=clock)

    async def alert(tip_id: int) -> None:
        await app.digests.alert(tip_id)

    tips = TipEffects(tip_store, keys.salt("receipt"), keys.salt("rate-limit"),
                      tips_per_hour=settings.tips_per_hour,
                      crash_after_commit=os.environ.get(CRASH_AFTER_COMMIT) == "1",
                      on_urgent=alert)
    tips.guesses = guess_counter(db, keys.salt("receipt-guesses"))
    runtime = Runtime(store, build_engine(deps), tips)
    app = App(settings=settings, db=db, keys=keys, translator=translator,
              runtime=runtime, deps=deps, data_dir=data_dir, orgs=orgs,
              desk=StaffDesk(db), effects=tips, tip_store=tip_store, clock=clock)
    if start_loading is not None:
        start_loading()
    else:
        # The language layer's dictionaries (pymorphy3, PySastrawi, simplemma: ~0.6 s)
        # load in the background, so the first message a person sends does not wait.
        languages.warm_up()
    # What start-up loaded (lexicons, gazetteer, directory, catalogs: ~290,000 objects)
    # lives as long as the process; frozen, it is no longer traversed by every full
    # collection. Measured: the 100-organisation digest run 1.6 s -> 1.0 s.
    gc.freeze()
    return app
