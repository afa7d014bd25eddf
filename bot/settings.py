"""Settings from the environment and ``.env`` (names are the contract of DESIGN.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting of the bot; secrets are ``SecretStr`` so they never print by accident."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8",
                                      extra="ignore", frozen=True)

    data_dir: Path = Field(default=Path("./data"), description="Where the SQLite file, the "
                           "generated secret key and tip attachments live.")
    database_url: str | None = Field(default=None, description="SQLAlchemy async URL; "
                                     "default sqlite+aiosqlite:///DATA_DIR/bot.sqlite3.")
    bot_secret_key: SecretStr | None = Field(default=None, description="HMAC key for "
                                             "pseudonymous user keys; generated into "
                                             "DATA_DIR/secret.key when unset.")
    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org"
    telegram_bot_username: str | None = Field(default=None, description="The bot's "
                                              "username, for deep links on campaign "
                                              "posters; asked with getMe when unset.")
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_library: str = Field(default="aiogram", description="The Telegram client "
                                  "library of `run telegram`: aiogram or ptb.")
    whatsapp_access_token: SecretStr | None = None
    whatsapp_phone_number_id: str | None = None
    whatsapp_app_secret: SecretStr | None = None
    whatsapp_verify_token: SecretStr | None = None
    whatsapp_api_base_url: str = "https://graph.facebook.com/v21.0"
    web_host: str = "127.0.0.1"
    web_port: int = Field(default=8080, ge=1, le=65535)
    log_level: str = Field(default="INFO", description="Python logging level name.")
    tips_per_hour: int = Field(default=5, ge=1, description="Tips one user may send per "
                               "hour; more are refused politely.")
    run_scheduler: bool = Field(default=True, description="Run the digest and retention "
                                "scheduler in this process; on PostgreSQL the workers "
                                "that run it elect one leader.")
    tip_retention_days: int = Field(default=90, ge=1, description="Tips are deleted this "
                                    "many days after the last digest that carried them.")
    conversation_ttl_hours: int = Field(default=24, ge=1, description="An unfinished "
                                        "conversation step is forgotten after this long; "
                                        "the chosen language is kept.")
    ocr_workers: int = Field(default=1, ge=1, le=16, description="Pictures read at once "
                             "(each a Tesseract process on one core); more wait their turn.")
    ocr_timeout_seconds: float = Field(default=10.0, gt=0, le=120, description="A picture "
                                       "whose reading takes longer is given up on.")

    smtp_host: str | None = Field(default=None, description="SMTP server for e-mail "
                                  "digests; e-mail is off when unset.")
    smtp_port: int | None = Field(default=None, ge=1, le=65535, description="Default 587 "
                                  "(starttls), 465 (tls) or 25 (none).")
    smtp_security: Literal["starttls", "tls", "none"] = Field(
        default="starttls", description="How the connection is encrypted; tips travel in "
        "these messages, so 'none' is for a relay on the same host only.")
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str | None = Field(default=None, description="The From address of digests.")

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'bot.sqlite3').as_posix()}"
