"""The Telegram runtime on python-telegram-bot (TELEGRAM_LIBRARY=ptb): the same flows, HTML,
keyboards, photos, groups and staff chats as the aiogram runtime (bot/adapters/telegram/)."""
