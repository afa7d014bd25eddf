"""The command line behind ``main.py`` (the contract of DESIGN.md).

``python main.py`` with no subcommand starts the console chat. Exit status: 0 success,
1 failure (a bad file, an unknown id: one line on stderr says which), 2 the bot cannot start
or the command line is wrong (the message names what to fix), 130 interrupted (Ctrl-C),
141 the reader of stdout went away (``… | head``): the output was cut short, quietly, as a
tool killed by SIGPIPE reports.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import select
import sys
from collections.abc import Callable, Sequence
from typing import Any

from bot.errors import StartupError

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_STARTUP = 2
# 128 + SIGPIPE, what a shell reports for a C tool cut off by `head`: under `set -o
# pipefail` a script sees that the output was truncated, not a complete run.
EXIT_PIPE = 141
EXIT_INTERRUPTED = 130  # 128 + SIGINT

# The directory's topics (referral_directory.schema.Topic, a test holds them equal), written
# out so that building the parser for `analyze` does not import the directory and pydantic
# (0.2 s of every run's start-up).
_TOPICS = ("trafficking, child_sexual_exploitation, forced_labour, migrant_workers, "
           "violence_against_women_children, emergency, shelter, legal_aid")
_COUNTRY_HELP = ("only organisations of this country: an ISO 3166-1 alpha-2 code such as KG, "
                 "or its name in English, Russian or Indonesian (Kyrgyzstan, Кыргызстан, "
                 "Kirgizstan)")
_DIRECTORY_FILE = (".csv (the columns 'export' writes: id, name_local, name_en, kind, country, "
                   "places, languages, topics, contacts, hours, sources, verified_on, "
                   "confidence, caveats, notes; any encoding, commas, semicolons or tabs), "
                   ".xlsx (the same columns, first sheet), .yaml/.yml (the format of "
                   "referral_directory/data/organisations.yaml) or .json (HSDS 3.0)")
_DIRECTORY_FORMAT = ("csv, xlsx, yaml or hsds (HSDS 3.0 JSON: Open Referral organizations "
                     "with their services); default: by the file's ending")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="main.py",
        description="Safe-work bot: check job offers, learn, report tips, find help.",
        epilog="Exit status: 0 done, 1 failed (one line on stderr says why), 2 cannot start "
               "or a wrong command line, 141 stdout was closed early (… | head).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND",
                                help="one of these (without one: the console chat); "
                                     "main.py COMMAND --help tells more")
    sub.add_parser("chat", help="the console chat (the default without a command)",
                   description="The console chat on the SQLite database under DATA_DIR. "
                               "Reads one message per line when stdin is not a terminal; "
                               "/quit or the end of input ends it.")
    _add_analyze(sub)
    run = sub.add_parser("run", help="serve one transport",
                         description="Serve one transport until SIGTERM or Ctrl-C.")
    run.add_argument("transport", choices=("telegram", "whatsapp"),
                     help="telegram: long polling, or a webhook when TELEGRAM_WEBHOOK_URL "
                          "is set; whatsapp: the Cloud API webhook on WEB_HOST:WEB_PORT")
    _add_directory(sub)
    _add_org(sub)
    _add_digest(sub)
    from bot.commands.campaign import add_parser as add_campaign

    add_campaign(sub)
    return parser


def _add_analyze(sub: Any) -> None:
    analyze = sub.add_parser(
        "analyze", help="check offers for recruitment red flags",
        description="Explain one offer in plain words, or with --jsonl check many.")
    analyze.add_argument(
        "--jsonl", action="store_true",
        help='read one JSON object per line, {"id": string or integer, "text": string, '
             '"lang": "id", "ru" or "en" (optional)}, and write one line per input line, '
             'in order: {"id", "risk" (high, medium or low), "flags" (ids of red_flags.md), '
             '"evidence", "good_signs", "language", "kind"}, or {"id", "line", "error"} for a '
             "line that cannot be checked")
    analyze.add_argument(
        "input", nargs="?", default=None, metavar="FILE_OR_TEXT",
        help="with --jsonl: the UTF-8 JSONL file to read (stdin when left out or '-'); "
             "otherwise: the offer's text itself (stdin when left out)")
    analyze.add_argument(
        "--lang", choices=("id", "ru", "en"),
        help="the language: of the explanation (default: the text's own); with --jsonl, "
             'of lines that give no "lang" (default: detected per line)')
    analyze.add_argument(
        "--country", metavar="CC",
        help="the country the person is in, an ISO 3166-1 alpha-2 code or a name (KG, "
             "Kyrgyzstan, Кыргызстан): a job there is not abroad (abroad_service_job and "
             "the destination pay are judged from it), and the explanation's emergency "
             "numbers, hotlines and advice are that country's (default: Indonesia for "
             "Indonesian and English, Russia for Russian; the explanation then gives the "
             "emergency numbers of the language's countries and asks)")
    analyze.add_argument(
        "--image", metavar="FILE",
        help="read the offer from a picture (a flyer's photo, a chat screenshot: JPEG, PNG, "
             "WebP, GIF, BMP or TIFF) with Tesseract, then explain it like a text")
    analyze.add_argument(
        "--json", action="store_true",
        help='with --image: print one JSON object, the fields of an --jsonl line ("id" is '
             'FILE) plus "ocr_text", the text read in the picture')


def _add_directory(sub: Any) -> None:
    directory = sub.add_parser("directory", help="the referral directory",
                               description="The referral directory of organisations.")
    dsub = directory.add_subparsers(dest="action", metavar="ACTION", required=True,
                                    help="one of these; ACTION --help tells more")
    dsub.add_parser("validate", help="check the directory data",
                    description="Check the directory: schema, places the gazetteer does "
                                "not know, sources older than a year.")
    dlist = dsub.add_parser("list", help="list organisations")
    dlist.add_argument("--json", action="store_true",
                       help="print a JSON array of every organisation's full record")
    dsearch = dsub.add_parser("search", help="search by place and topic",
                              description="Organisations serving a place, then its "
                                          "province, then the national ones; a query that "
                                          "names no place matches organisation names.")
    dsearch.add_argument("query", help="a city, province or country (Latin or Cyrillic, "
                                       "typos allowed), or an organisation's name")
    dsearch.add_argument("--topic", metavar="TOPIC",
                         help=f"only organisations working on TOPIC, one of: {_TOPICS}")
    dsearch.add_argument("--country", metavar="COUNTRY", help=_COUNTRY_HELP)
    dsearch.add_argument("--json", action="store_true",
                         help='print JSON: {"query", "place" (id, name, kind, country, '
                              'region, or null), "results": [{"tier": place, region, '
                              'national or name, and the organisation\'s record}]}')
    dimport = dsub.add_parser("import", help="import organisations (CSV, XLSX, YAML, HSDS)",
                              description="Make the directory the bot serves hold exactly "
                                          "the file's entries, only if every one is valid. "
                                          "It is written to the operator's overlay, "
                                          "DATA_DIR/directory/organisations.yaml (the "
                                          "previous one kept beside it), never to the "
                                          "shipped data; restart the bot to serve it.")
    dimport.add_argument("file", metavar="FILE", help=f"a {_DIRECTORY_FILE}")
    dimport.add_argument("--format", choices=("csv", "xlsx", "yaml", "hsds"),
                         help=_DIRECTORY_FORMAT)
    dexport = dsub.add_parser("export", help="export organisations (CSV, XLSX, YAML, HSDS)",
                              description="Write the directory the bot serves: the shipped "
                                          "data with the operator's overlay merged.")
    dexport.add_argument("file", metavar="FILE",
                         help=f"where to write, by its ending: {_DIRECTORY_FILE}")
    dexport.add_argument("--format", choices=("csv", "xlsx", "yaml", "hsds"),
                         help=_DIRECTORY_FORMAT)
    ddiff = dsub.add_parser("diff", help="what the operator's overlay changes",
                            description="Entries the overlay under DATA_DIR adds, the "
                                        "fields it changes, and the shipped entries it "
                                        "hides, against the shipped directory.")
    ddiff.add_argument("--json", action="store_true",
                       help='print JSON: {"overlay", "added", "changed": [{"id", "fields": '
                            '{FIELD: {"shipped", "overlay"}}}], "hidden", '
                            '"same_as_shipped", "hidden_unknown"}')


def _add_org(sub: Any) -> None:
    org = sub.add_parser("org", help="organisations and their staff chats")
    osub = org.add_subparsers(dest="action", metavar="ACTION", required=True,
                              help="one of these; ACTION --help tells more")
    olist = osub.add_parser("list", help="list organisations")
    olist.add_argument("--json", action="store_true",
                       help="print a JSON array: each organisation's record and "
                            '"staff_chats", the number of chats registered for it')
    oinvite = osub.add_parser("invite", help="a one-time code for an organisation's chat",
                              description="Print a one-time invite code; the "
                                          "organisation's chat sends /register CODE.")
    oinvite.add_argument("org_id", metavar="ORG_ID",
                         help="an organisation id, as 'org list' shows it")
    oemail = osub.add_parser("email", help="send an organisation's digests and urgent "
                             "alerts to an e-mail address too (needs SMTP_HOST)")
    oemail.add_argument("org_id", metavar="ORG_ID",
                        help="an organisation id, as 'org list' shows it")
    oemail.add_argument("address", metavar="ADDRESS", help="the e-mail address")
    oemail.add_argument("--remove", action="store_true", help="stop e-mailing this address")


def _add_digest(sub: Any) -> None:
    digest = sub.add_parser("digest", help="referral digests for organisations")
    gsub = digest.add_subparsers(dest="action", metavar="ACTION", required=True,
                                 help="one of these; ACTION --help tells more")
    gpreview = gsub.add_parser("preview", help="print what would be sent")
    gpreview.add_argument("--org", required=True, metavar="ORG_ID",
                          help="an organisation id, as 'org list' shows it")
    gsend = gsub.add_parser("send", help="send pending digests")
    gsend.add_argument("--now", action="store_true", required=True,
                       help="required: send every pending digest now, to every "
                            "organisation (so that a bare 'digest send' sends nothing)")


def main(argv: Sequence[str] | None = None) -> int:
    try:
        status = _parse_and_dispatch(argv)
        sys.stdout.flush()  # a reader gone before the last buffered lines shows up here
        return status
    except BrokenPipeError:
        if not _stdout_closed():
            # Not our reader: a connection (SMTP, HTTP) broke while we wrote to it.
            print("error: a connection closed while sending (broken pipe); try again",
                  file=sys.stderr)
            return EXIT_FAILURE
        _discard_stdout()
        return EXIT_PIPE
    except KeyboardInterrupt:  # Ctrl-C in a long analyze --jsonl: stop, no traceback
        return EXIT_INTERRUPTED


def _parse_and_dispatch(argv: Sequence[str] | None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2), already printed
        return exc.code if isinstance(exc.code, int) else EXIT_STARTUP
    try:
        return _command(args)(args)
    except StartupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_STARTUP


def _command(args: argparse.Namespace) -> Callable[[argparse.Namespace], int]:
    """The subcommand's runner; imported lazily, so that `analyze` never loads aiogram."""
    command = args.command or "chat"
    if command == "chat":
        from bot.commands.chat import run_chat

        return lambda _: _run(run_chat())
    if command == "run" and args.transport == "telegram":
        from bot.commands.telegram import run_telegram

        return lambda _: _run(run_telegram())
    if command == "run":
        from bot.commands.whatsapp import run_whatsapp

        return lambda _: _run(run_whatsapp())
    if command == "directory":
        from bot.commands.directory import main as directory

        return directory
    if command == "org":
        from bot.commands.orgs import org_main

        return lambda a: _run(org_main(a))
    if command == "digest":
        from bot.commands.orgs import digest_main

        return lambda a: _run(digest_main(a))
    if command == "campaign":
        from bot.commands.campaign import main as campaign

        return campaign
    from bot.commands.analyze import main as analyze  # argparse allows no other command

    return lambda a: analyze(a.jsonl, a.input, a.lang, a.country, image=a.image,
                             as_json=a.json)


def _run(coro: object) -> int:
    try:
        return int(asyncio.run(coro))  # type: ignore[arg-type]
    except KeyboardInterrupt:
        return EXIT_OK


def _stdout_closed() -> bool:
    """Whether stdout's reader is gone (a pipe or socket whose other end closed)."""
    if not hasattr(select, "poll"):
        return True  # no way to tell (Windows): stdout is by far the likeliest pipe
    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        events = poller.poll(0)
    except (OSError, ValueError):
        return True
    return any(mask & (select.POLLERR | select.POLLHUP) for _, mask in events)


def _discard_stdout() -> None:
    """Point stdout at devnull, so that the interpreter's final flush of what is still
    buffered neither fails nor prints "Exception ignored" (the recipe of the Python docs,
    signal module, "Note on SIGPIPE")."""
    try:
        target = sys.stdout.fileno()
    except (OSError, ValueError):
        return  # not a file (a test's capture): nothing to flush into a closed pipe
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, target)
    finally:
        os.close(devnull)
