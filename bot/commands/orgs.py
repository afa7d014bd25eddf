"""``python main.py org …`` and ``digest …``: invite codes, and digests by hand."""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from bot.app import App, build_app
from bot.logging_setup import configure_logging
from bot.orgs.digests import EMAIL, FAILED
from bot.orgs.store import INVITE_LIFETIME
from bot.rendering import TextRenderer
from bot.settings import Settings
from referral_directory.tabular import to_record

# Enough to catch a typo; the SMTP server is the judge of the rest.
EMAIL_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


async def _with_app(work: Any) -> int:
    settings = Settings()
    configure_logging("WARNING")
    app = await build_app(settings)
    try:
        return int(await work(app))
    finally:
        await app.close()


async def org_main(args: Any) -> int:
    async def work(app: App) -> int:
        if args.action == "list":
            rows = []
            for org in app.deps.directory:
                chats = await app.orgs.chats_of(org.id)
                rows.append({**to_record(org), "staff_chats": len(chats)})
            if args.json:
                print(json.dumps(rows, ensure_ascii=False, indent=1))
            else:
                for row in rows:
                    print(f"{row['id']:34} chats={row['staff_chats']}  {row['names']['en']}")
            return 0
        if app.deps.directory.get(args.org_id) is None:
            print(f"error: no organisation {args.org_id!r} in the directory "
                  "(python main.py org list)", file=sys.stderr)
            return 1
        if args.action == "email":
            return await _email(app, args)
        code = await app.orgs.invite(args.org_id)
        print(code)
        print(f"Valid for {INVITE_LIFETIME.days} days, once. In the organisation's Telegram "
              f"chat send: /register {code}", file=sys.stderr)
        return 0

    return await _with_app(work)


async def _email(app: App, args: Any) -> int:
    address = args.address.strip()
    if not EMAIL_ADDRESS.fullmatch(address):
        print(f"error: {address!r} does not look like an e-mail address", file=sys.stderr)
        return 1
    if args.remove:
        done = await app.orgs.unbind(args.org_id, EMAIL, address)
        print(f"{address}: {'removed' if done else 'was not bound'} for {args.org_id}")
        return 0
    added = await app.orgs.bind(args.org_id, EMAIL, address)
    print(f"{address}: {'added' if added else 'already bound'} for {args.org_id}")
    if app.digests.mailer is None:
        print("warning: SMTP_HOST is not set; its digests wait until it is (README, "
              "E-mail)", file=sys.stderr)
    return 0


async def digest_main(args: Any) -> int:
    async def work(app: App) -> int:
        if args.action == "preview":
            if app.deps.directory.get(args.org) is None:
                print(f"error: no organisation {args.org!r}", file=sys.stderr)
                return 1
            digest = (await app.digests.prepare([args.org]))[args.org]
            plain = TextRenderer(app.translator)
            print(plain.parts(digest.reply.parts, app.digests.language(args.org)))
            print(f"\n(attachments: {digest.csv_name}, {len(digest.csv)} bytes; "
                  f"{digest.chart_name}, {len(digest.chart)} bytes)")
            return 0
        from bot.commands.telegram import telegram_sender

        async with telegram_sender(app):  # e-mail-only set-ups run without a token
            sent = await app.digests.send_all()
        failed = [org for org, count in sent.items() if count == FAILED]
        done = {org: count for org, count in sent.items() if count > 0}
        for org_id, count in done.items():
            print(f"{org_id}: {count} tips")
        for org_id in failed:
            print(f"{org_id}: failed, kept for the next run (see the log above)")
        print(f"{sum(done.values())} tips sent in {len(done)} digests")
        return 1 if failed else 0

    return await _with_app(work)
