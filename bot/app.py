"""The composition root's parts: build everything a transport needs, and close it again."""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.errors import StartupError
from bot.i18n import LOCALES_DIR, Translator
from bot.keys import KeyBuilder, load_or_create_secret
from bot.orgs.desk import StaffDesk
from bot.orgs.digests import DigestService
from bot.orgs.mail import Mailer, SmtpConfig
from bot.orgs.scheduler import DigestScheduler
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
from referral_directory import DirectoryError, load_directory
from referral_directory.gazetteer import Gazetteer
from referral_directory.overlay import load_overlay, merge
from referral_directory.routing import RoutingRules
from referral_directory.search import DirectoryIndex

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
    digests: DigestService
    scheduler: DigestScheduler
    effects: TipEffects

    async def close(self) -> None:
        await self.db.dispose()


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
    try:
        overlay = load_overlay(data_dir)
    except DirectoryError as exc:
        raise StartupError("the operator's directory is invalid (fix it, or import a good "
                           "file again):\n" + str(exc)) from exc
    if overlay is None:
        return deps
    directory = merge(deps.directory, overlay)
    return replace(deps, directory=directory,
                   places=DirectoryIndex(directory, deps.places.gazetteer))


def build_engine(deps: FlowDeps | None = None) -> Engine:
    return Engine(all_flows(), deps or build_deps(), detect_language=detect_language)


def _utc_now() -> datetime:
    return datetime.now(UTC)


async def build_app(settings: Settings, clock: Callable[[], datetime] = _utc_now) -> App:
    """Checks DATA_DIR, opens and migrates the database, and wires the runtime.

    ``clock`` is the one source of "now" for tips, invites, digests and the scheduler, so
    tests can fix it. Raises ``StartupError`` with a message for the operator when
    something is unusable.
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
    deps = with_operator_directory(build_deps(), data_dir)
    translator = Translator.load()
    tip_store = TipStore(db, data_dir, keys.salt("draft"), clock=clock)
    orgs = OrgStore(db, keys.salt("invite"), clock=clock)
    digests = DigestService(db, tip_store, orgs, deps.directory,
                            TextRenderer(translator, HTML), sender=None,
                            retention_days=settings.tip_retention_days, clock=clock)
    smtp = SmtpConfig.from_settings(settings)
    digests.mailer = Mailer(smtp) if smtp else None
    tips = TipEffects(tip_store, keys.salt("receipt"), keys.salt("rate-limit"),
                      tips_per_hour=settings.tips_per_hour,
                      crash_after_commit=os.environ.get(CRASH_AFTER_COMMIT) == "1",
                      on_urgent=digests.alert)
    tips.guesses = guess_counter(db, keys.salt("receipt-guesses"))
    runtime = Runtime(store, build_engine(deps), tips)
    # The language layer's dictionaries (pymorphy3, PySastrawi, simplemma: ~0.6 s) load in
    # the background, so the first message a person sends does not wait for them.
    languages.warm_up()
    # What start-up loaded (lexicons, gazetteer, directory, catalogs: ~290,000 objects)
    # lives as long as the process; frozen, it is no longer traversed by every full
    # collection. Measured: the 100-organisation digest run 1.6 s -> 1.0 s.
    gc.freeze()
    return App(settings=settings, db=db, keys=keys, translator=translator,
               runtime=runtime, deps=deps, data_dir=data_dir, orgs=orgs,
               desk=StaffDesk(db), digests=digests,
               scheduler=DigestScheduler(db, digests, orgs, deps.directory,
                                         settings.tip_retention_days, data_dir,
                                         clock=clock),
               effects=tips)
