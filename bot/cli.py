"""The command line behind ``main.py`` (the contract of DESIGN.md).

``python main.py`` with no subcommand starts the console chat. Exit status: 0 success,
1 failure, 2 the bot cannot start (the message names what to fix).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from bot.errors import StartupError

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_STARTUP = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="main.py",
        description="Safe-work bot: check job offers, learn, report tips, find help.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("chat", help="the console chat (the default without a command)")

    analyze = sub.add_parser("analyze", help="check offers for recruitment red flags")
    analyze.add_argument("--jsonl", action="store_true",
                         help='read {"id", "text"} lines, write one result line each')
    analyze.add_argument("input", nargs="?", default=None,
                         help="with --jsonl a file (default stdin); otherwise the text")
    analyze.add_argument("--lang", choices=("id", "ru", "en"),
                         help="language of the explanation (default: the text's)")

    run = sub.add_parser("run", help="serve one transport")
    run.add_argument("transport", choices=("telegram", "whatsapp"))

    directory = sub.add_parser("directory", help="the referral directory")
    dsub = directory.add_subparsers(dest="action", metavar="ACTION", required=True)
    dsub.add_parser("validate", help="check the directory data")
    dlist = dsub.add_parser("list", help="list organisations")
    dlist.add_argument("--json", action="store_true")
    dsearch = dsub.add_parser("search", help="search by place and topic")
    dsearch.add_argument("query")
    dsearch.add_argument("--topic")
    dsearch.add_argument("--country")
    dsearch.add_argument("--json", action="store_true")
    dimport = dsub.add_parser("import", help="import organisations from CSV or YAML")
    dimport.add_argument("file")
    dexport = dsub.add_parser("export", help="export organisations to CSV or YAML")
    dexport.add_argument("file")

    org = sub.add_parser("org", help="organisations and their staff chats")
    osub = org.add_subparsers(dest="action", metavar="ACTION", required=True)
    olist = osub.add_parser("list", help="list organisations")
    olist.add_argument("--json", action="store_true")
    oinvite = osub.add_parser("invite", help="a one-time code for an organisation's chat")
    oinvite.add_argument("org_id")
    oemail = osub.add_parser("email", help="send an organisation's digests and urgent "
                             "alerts to an e-mail address too (needs SMTP_HOST)")
    oemail.add_argument("org_id")
    oemail.add_argument("address")
    oemail.add_argument("--remove", action="store_true", help="stop e-mailing this address")

    digest = sub.add_parser("digest", help="referral digests for organisations")
    gsub = digest.add_subparsers(dest="action", metavar="ACTION", required=True)
    gpreview = gsub.add_parser("preview", help="print what would be sent")
    gpreview.add_argument("--org", required=True)
    gsend = gsub.add_parser("send", help="send pending digests")
    gsend.add_argument("--now", action="store_true", required=True)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "chat"
    try:
        if command == "chat":
            from bot.commands.chat import run_chat

            return _run(run_chat())
        if command == "run" and args.transport == "telegram":
            from bot.commands.telegram import run_telegram

            return _run(run_telegram())
        if command == "run" and args.transport == "whatsapp":
            from bot.commands.whatsapp import run_whatsapp

            return _run(run_whatsapp())
        if command == "directory":
            from bot.commands.directory import main as directory

            return directory(args)
        if command == "org":
            from bot.commands.orgs import org_main

            return _run(org_main(args))
        if command == "digest":
            from bot.commands.orgs import digest_main

            return _run(digest_main(args))
        if command == "analyze":
            from bot.commands.analyze import main as analyze

            return analyze(args.jsonl, args.input, args.lang)
        raise AssertionError(f"unhandled command {command}")  # argparse allows no other
    except StartupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_STARTUP


def _run(coro: object) -> int:
    try:
        return int(asyncio.run(coro))  # type: ignore[arg-type]
    except KeyboardInterrupt:
        return EXIT_OK

