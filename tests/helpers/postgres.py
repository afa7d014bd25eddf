"""A real PostgreSQL for tests: a throw-away cluster made with initdb and pg_ctl in a
temporary folder, listening on 127.0.0.1 at a free port, with a fresh database per test.

PostgreSQL refuses to run as root, so as root the cluster belongs to the ``postgres``
user (Debian's package creates it) and its tools run through ``runuser``. Where the
binaries are absent, ``require_postgres()`` skips with the reason and the way to get them.
"""

from __future__ import annotations

import atexit
import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.helpers.local_server import free_port

SUPERUSER = "bot"


def _bin_dir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit()
                        else 0)
    return Path(candidates[-1]).parent if candidates else None


def missing_reason() -> str | None:
    """Why no PostgreSQL can be started here, or None."""
    bin_dir = _bin_dir()
    if bin_dir is None or not (bin_dir / "initdb").exists():
        return ("PostgreSQL binaries (initdb, pg_ctl) are absent: apt-get install postgresql "
                "(.ci/run does this)")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run PostgreSQL as"
        if shutil.which("runuser") is None:
            return "running as root and runuser is absent"
    return None


@dataclass
class PostgresServer:
    root: Path
    port: int
    bin_dir: Path
    _names: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def data(self) -> Path:
        return self.root / "data"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bin_dir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, check=check, capture_output=True, text=True, timeout=120,
                              cwd=self.root)

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "-A", "trust",
                  "-E", "UTF8", "--locale=C", "--no-sync")

    def launch(self, durable: bool = False) -> None:
        """``durable``: fsync as in production (benchmarks); tests run without it."""
        options = [f"-p {self.port}", "-h 127.0.0.1", f"-k {self.root}",
                   "-c max_connections=200", "-c shared_buffers=64MB"]
        if not durable:
            options += ["-c fsync=off", "-c synchronous_commit=off",
                        "-c full_page_writes=off"]
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"),
                  "-o", " ".join(options), "-w", "-t", "60", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+asyncpg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh, empty database; its SQLAlchemy URL."""
        name = f"t{os.getpid()}_{next(self._names)}"
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", SUPERUSER,
                  name)
        return self.url(name)

    def log(self) -> str:
        path = self.root / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""


def start_postgres(durable: bool = False) -> PostgresServer:
    """Starts a cluster; the caller stops it (``stop``) and removes ``root``."""
    reason = missing_reason()
    if reason is not None:
        raise RuntimeError(reason)
    bin_dir = _bin_dir()
    assert bin_dir is not None
    root = Path(tempfile.mkdtemp(prefix="safework-pg-"))
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(root, user.pw_uid, user.pw_gid)
    root.chmod(0o700)
    server = PostgresServer(root=root, port=0, bin_dir=bin_dir)
    server.init()
    for _ in range(3):  # a port taken between free_port() and the start: try another
        server.port = free_port()
        try:
            server.launch(durable)
            return server
        except subprocess.CalledProcessError:
            time.sleep(0.2)
    raise RuntimeError("PostgreSQL did not start:\n" + server.log()[-2000:])


_SHARED: PostgresServer | None = None


def shared_server() -> PostgresServer:
    """One cluster for the whole test session (started on first use, stopped at exit);
    each test takes a database of its own with ``new_database``."""
    global _SHARED
    if _SHARED is None:
        _SHARED = start_postgres()
        atexit.register(_stop_shared)
    return _SHARED


def _stop_shared() -> None:
    if _SHARED is not None:
        _SHARED.stop()
        shutil.rmtree(_SHARED.root, ignore_errors=True)


def require_postgres() -> None:
    reason = missing_reason()
    if reason is not None:
        pytest.skip(f"needs PostgreSQL: {reason}")


@pytest.fixture
def postgres_url() -> str:
    """A fresh database on the session's PostgreSQL (skips where none can start)."""
    require_postgres()
    return shared_server().new_database()
