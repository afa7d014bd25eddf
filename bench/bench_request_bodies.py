"""What one Bot API call costs to encode: aiogram's form against our JSON body (issue #18).

    python bench/bench_request_bodies.py

Each variant encodes the same ``sendMessage`` (a checked offer's reply in Russian and in
Indonesian, with three buttons) into the bytes that go on the wire: aiogram's
``AiohttpSession`` builds a form that aiohttp URL-encodes; ``JsonBodySession`` dumps one
compact UTF-8 JSON document. Prints the best of 5 repeats, per call, and the body's size.
"""

from __future__ import annotations

import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.enums import ParseMode
from aiogram.methods import SendMessage
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.adapters.telegram.json_session import JsonBodySession

REPLIES = {
    "ru": ("<b>Высокий риск.</b> Я вижу 3 тревожных признака, которые используют торговцы "
           "людьми. Не соглашайтесь, не платите и не отдавайте документы, пока не проверите "
           "это предложение.\n\n<b>Документы забирают</b>: «паспорт отдаёте»\nНикто не вправе "
           "забирать ваш паспорт. Без документов вы не сможете уйти, вернуться домой или "
           "обратиться в полицию.\n\n<b>Слишком хорошая зарплата</b>: «3000$»\nЗарплата "
           "намного выше обычной для такой работы нужна, чтобы вы перестали задавать "
           "вопросы.\n\n<b>Что делать сейчас:</b>\n• Никогда не отдавайте паспорт, "
           "удостоверение или диплом.\n• Прежде чем решать, поговорите с человеком, которому "
           "доверяете.\n\n<b>Экстренные службы:</b> Россия: 112, 102 · Киргизия: 102, 112"),
    "id": ("<b>Risiko tinggi.</b> Saya melihat 3 tanda bahaya yang dipakai pelaku perdagangan "
           "orang. Jangan setuju, jangan membayar, dan jangan menyerahkan dokumen apa pun "
           "sebelum kamu mengecek tawaran ini.\n\n<b>Dokumen dipegang orang lain</b>: “paspor "
           "disimpan”\nTidak ada yang boleh menahan paspor atau KTP-mu. Tanpa dokumen itu kamu "
           "tidak bisa pergi, pulang, atau minta tolong polisi.\n\n<b>Yang perlu dilakukan "
           "sekarang:</b>\n• Cek agensi dan job order lewat jalur resmi: KP2MI (SISKOP2MI) "
           "atau Disnaker kabupaten/kota.\n• Jangan pernah menyerahkan paspor, KTP atau "
           "ijazahmu.\n\n<b>Darurat:</b> 112, 110 · SAPA 129"),
}
TOKEN = "123456789:TEST-token-for-the-benchmark-only"


def main() -> None:
    keyboard = InlineKeyboardMarkup(inline_keyboard=[
        [InlineKeyboardButton(text=label, callback_data=f"c:result:{n}:1234567")]
        for n, label in enumerate(("Ответить на вопросы", "Сообщить", "Узнать больше"))])
    form_session, json_session = AiohttpSession(), JsonBodySession()
    bot = Bot(TOKEN, session=form_session, default=DefaultBotProperties(
        parse_mode=ParseMode.HTML, link_preview_is_disabled=True))
    print(f"{'reply':6} {'chars':>5} {'variant':6} {'µs/call':>8} {'bytes':>6}")
    for lang, text in REPLIES.items():
        method = SendMessage(chat_id=123456789, text=text, reply_markup=keyboard)

        def form(method: SendMessage = method) -> bytes:
            payload = form_session.build_form_data(bot, method)()
            return bytes(payload._value)  # what aiohttp writes: the URL-encoded form

        def body(method: SendMessage = method) -> bytes:
            encoded = json_session.json_body(bot, method)
            assert encoded is not None
            return encoded.encode()

        for name, encode in (("form", form), ("json", body)):
            per_call = min(timeit.repeat(encode, number=2000, repeat=5)) / 2000 * 1e6
            print(f"{lang:6} {len(text):5} {name:6} {per_call:8.1f} {len(encode()):6}")


if __name__ == "__main__":
    main()
