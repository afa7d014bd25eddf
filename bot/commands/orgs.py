"""``python main.py org …`` and ``digest …``: invite codes, and digests by hand."""

from __future__ import annotations

import json
import sys
from typing import Any

from bot.app import App, build_app
from bot.logging_setup import configure_logging
from bot.orgs.store import INVITE_LIFETIME
from bot.rendering import TextRenderer
from bot.settings import Settings
from referral_directory.tabular import to_record


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
        code = await app.orgs.invite(args.org_id)
        print(code)
        print(f"Valid for {INVITE_LIFETIME.days} days, once. In the organisation's Telegram "
              f"chat send: /register {code}", file=sys.stderr)
        return 0

    return await _with_app(work)


async def digest_main(args: Any) -> int:
    async def work(app: App) -> int:
        if args.action == "preview":
            if app.deps.directory.get(args.org) is None:
                print(f"error: no organisation {args.org!r}", file=sys.stderr)
                return 1
            rows = await app.digests.pending(args.org)
            plain = TextRenderer(app.translator)
            reply = app.digests.content(args.org, rows)
            print(plain.parts(reply.parts, app.digests.language(args.org)))
            return 0
        from bot.commands.telegram import build_telegram

        service = build_telegram(app)  # the digests go out through the Telegram bot
        try:
            sent = await app.digests.send_all()
        finally:
            await service.bot.session.close()
        for org_id, count in sent.items():
            if count:
                print(f"{org_id}: {count} tips")
        print(f"{sum(sent.values())} tips sent in {sum(1 for c in sent.values() if c)} "
              "digests")
        return 0

    return await _with_app(work)
