"""The Telegram adapter on aiogram 3: updates in, the core's replies out. No flow logic."""
