"""Running the real product in processes the reliability harness can kill.

Starting ``python main.py`` costs 6-15 s on the CI machine: importing aiogram's types and
the language libraries, then parsing the analyzer's and the directory's YAML; twenty crash
cycles would spend minutes there. So a *zygote* process imports the product's modules once
and loads that read-only data once (``bot.app.build_deps``; no settings read, nothing
under DATA_DIR opened, no database, no event loop) and forks one child per start. The
child sets its environment, working directory and standard streams and runs ``main.py``
itself with ``runpy`` and the command line given (``run whatsapp``, ``run telegram``, the
console), so everything from ``main()`` on - settings, DATA_DIR, the secret key,
migrations, the database, the servers - runs fresh in every child, as after a real
restart. The test kills a child by its pid (SIGKILL) and the zygote reaps it.
RELIABILITY_PRELOAD_DEPS=0 in the test's environment makes each child load the data itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[2]

# Settings the product reads; a developer's shell must not leak any into a child.
_PRODUCT_ENV = ("DATA_DIR", "DATABASE_URL", "BOT_SECRET_KEY", "LOG_LEVEL", "LANG", "LC_ALL",
                "LC_MESSAGES", "WEB_HOST", "WEB_PORT", "TIPS_PER_HOUR", "RUN_SCHEDULER")
_PRODUCT_PREFIXES = ("TELEGRAM_", "WHATSAPP_", "SMTP_", "SAFEWORK_")

_ZYGOTE = r'''
import io, json, os, runpy, signal, sys, traceback
root = sys.argv[1]
sys.path.insert(0, root)
os.chdir(root)
sys.argv = [os.path.join(root, "main.py")]
# Code only: the modules main.py reaches. Nothing here reads settings or touches files.
import bot.cli, bot.app, bot.commands.chat, bot.commands.telegram, bot.commands.whatsapp
# And the read-only data every start loads the same way from the repository (analyzer
# patterns, directory, gazetteer, guidance: bot.app.build_deps); DATA_DIR, the secret,
# the database and the network are each child's own.
if os.environ.get("RELIABILITY_PRELOAD_DEPS", "1") == "1":
    try:
        _build_deps = bot.app.build_deps
        _deps = _build_deps()
        def _preloaded(*args, **kwargs):
            return _deps if not args and not kwargs else _build_deps(*args, **kwargs)
        bot.app.build_deps = _preloaded
    except Exception:
        traceback.print_exc()  # the children load it themselves
commands, replies = os.fdopen(0, "r"), os.fdopen(1, "w")
replies.write("ready\n"); replies.flush()
children = set()
for line in commands:
    cmd = json.loads(line)
    op = cmd["op"]
    if op == "spawn":
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                log = os.open(cmd["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
                err = os.open(cmd.get("stderr") or cmd["log"],
                              os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
                stdin = os.open(cmd.get("stdin") or os.devnull, os.O_RDONLY)
                os.dup2(stdin, 0); os.dup2(log, 1); os.dup2(err, 2)
                os.close(stdin); os.close(log); os.close(err)
                sys.stdin = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r",
                                                                         closefd=False)))
                sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False),
                                              line_buffering=True)
                sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False),
                                              line_buffering=True)
                signal.signal(signal.SIGINT, signal.default_int_handler)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                os.environ.clear(); os.environ.update(cmd["env"])
                os.chdir(cmd["cwd"])
                sys.argv = [os.path.join(root, "main.py"), *cmd["argv"]]
                try:
                    runpy.run_path(sys.argv[0], run_name="__main__")
                    code = 0
                except SystemExit as exc:
                    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None
                                                                         else 1)
            except BaseException:
                traceback.print_exc()
            finally:
                try:
                    sys.stdout.flush(); sys.stderr.flush()
                finally:
                    os._exit(code)
        children.add(pid)
        replies.write(json.dumps({"pid": pid}) + "\n")
    elif op in ("reap", "poll"):
        pid = cmd["pid"]
        try:
            done, status = os.waitpid(pid, 0 if op == "reap" else os.WNOHANG)
        except ChildProcessError:
            done, status = pid, -1
        if done:
            children.discard(pid)
        code = None
        if done:
            code = (-os.WTERMSIG(status) if os.WIFSIGNALED(status) else
                    os.WEXITSTATUS(status)) if status != -1 else -1
        replies.write(json.dumps({"exit": code}) + "\n")
    replies.flush()
for pid in children:  # the test is gone: take our children with us
    try:
        os.kill(pid, signal.SIGKILL); os.waitpid(pid, 0)
    except OSError:
        pass
'''


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def product_env(data_dir: Path, **settings: str) -> dict[str, str]:
    """A clean environment for the product: the machine's, minus any product setting."""
    env = {k: v for k, v in os.environ.items()
           if k not in _PRODUCT_ENV and not k.startswith(_PRODUCT_PREFIXES)}
    env.update({"DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1", **settings})
    return env


@dataclass
class Child:
    pid: int
    log: Path
    zygote: Zygote
    exit: int | None = None

    def alive(self) -> bool:
        if self.exit is None:
            self.exit = self.zygote.poll(self.pid)
        return self.exit is None

    def kill(self, sig: int = signal.SIGKILL) -> int:
        """Sends the signal (SIGKILL by default) and waits until the process is gone."""
        if self.exit is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, sig)
            self.exit = self.zygote.reap(self.pid)
        return self.exit

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def wait(self, seconds: float) -> int:
        """Waits for the process to end by itself; kills it (and fails) after ``seconds``."""
        deadline = time.monotonic() + seconds
        while self.alive():
            if time.monotonic() > deadline:
                self.kill()
                raise AssertionError(f"the product did not finish within {seconds} s:\n"
                                     f"{self.output()[-2000:]}")
            time.sleep(0.05)
        assert self.exit is not None
        return self.exit


class Zygote:
    """Starts importing at once; the first command waits until the imports are done (so
    the fixture can start it early, beside tests that do not need it)."""

    def __init__(self, root: Path = ROOT) -> None:
        self._proc = subprocess.Popen(
            [sys.executable, "-c", _ZYGOTE, str(root)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True, cwd=root)
        self._ready = False

    def _wait_ready(self) -> None:
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if line.strip() != "ready":
            self._proc.kill()
            raise RuntimeError(f"the zygote could not import the product: {line!r}")
        self._ready = True

    def _ask(self, command: Mapping[str, object]) -> dict[str, object]:
        if not self._ready:
            self._wait_ready()
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write(json.dumps(command) + "\n")
        self._proc.stdin.flush()
        answer = self._proc.stdout.readline()
        if not answer:
            raise RuntimeError("the zygote died")
        return dict(json.loads(answer))

    def spawn(self, argv: list[str], env: Mapping[str, str], log: Path, *, cwd: Path,
              stdin: Path | None = None, stderr: Path | None = None) -> Child:
        """Starts ``main.py ARGV``: its output goes to ``log`` (and its standard error to
        ``stderr`` when given, else to ``log`` too), its input comes from ``stdin``."""
        reply = self._ask({"op": "spawn", "argv": argv, "env": dict(env), "log": str(log),
                           "cwd": str(cwd), "stdin": str(stdin) if stdin else None,
                           "stderr": str(stderr) if stderr else None})
        return Child(int(reply["pid"]), log, self)  # type: ignore[arg-type]

    def reap(self, pid: int) -> int:
        return int(self._ask({"op": "reap", "pid": pid})["exit"])  # type: ignore[arg-type]

    def poll(self, pid: int) -> int | None:
        code = self._ask({"op": "poll", "pid": pid})["exit"]
        return None if code is None else int(code)  # type: ignore[call-overload]

    def close(self) -> None:
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()


async def wait_ready(child: Child, url: str, status: int, seconds: float = 30.0,
                     method: str = "GET") -> float:
    """Waits until ``url`` answers ``status``; returns the seconds it took. Fails with the
    child's output when it exits or does not get there in time."""
    started = time.monotonic()
    async with aiohttp.ClientSession() as http:
        while True:
            try:
                async with http.request(method, url,
                                        timeout=aiohttp.ClientTimeout(total=2)) as response:
                    if response.status == status:
                        return time.monotonic() - started
            except (TimeoutError, aiohttp.ClientError):
                pass
            if not child.alive():
                raise AssertionError(f"the product exited ({child.exit}) before serving "
                                     f"{url}:\n{child.output()[-3000:]}")
            if time.monotonic() - started > seconds:
                raise AssertionError(f"{url} did not answer {status} within {seconds} s:\n"
                                     f"{child.output()[-3000:]}")
            await asyncio.sleep(0.05)
