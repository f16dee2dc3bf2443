"""A throwaway PostgreSQL server for the tests.

`start_postgres(tmp_dir)` runs initdb into a fresh data directory and starts
`postgres` on 127.0.0.1 on a free port (fsync off: the data is thrown away),
with trust authentication for one superuser, then creates one database. The
server is stopped by `stop()`, by leaving a `with` block, at interpreter exit
(atexit) and, should the test process be killed outright, by the parent-death
signal the server is started with (Linux: it follows the thread that started the
server, so start it from a thread that lives as long as the server).

The data and socket directories live in a private work directory, removed at
stop: in /dev/shm when there is one (RAM: starting takes ~0.8 s and CREATE
DATABASE ~17 ms, against ~1.5 s and ~230 ms on this machine's disk), else in
tmp_dir (or the system temp dir, see below). One left by a test process that
was killed outright is removed by the next start. The server log is always
`tmp_dir/postgres.log`.

PostgreSQL refuses to run as root: as root, initdb and postgres run as the
`postgres` system user (created by Debian's package), which owns the work
directory; pytest's temp directories are 0700 root and out of its reach, so
then the work directory is never inside tmp_dir.

The binaries are PostgreSQL's own (/usr/lib/postgresql/N/bin, newest first, then
PATH); `bash .ci/install-system` installs them.
"""

from __future__ import annotations

import atexit
import ctypes
import glob
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

USER = "formkit"
DATABASE = "formkit"
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
INSTALL = "请运行 bash .ci/install-system 安装 PostgreSQL"
# Durability is pointless for a server whose data is thrown away.
_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "shared_buffers": "32MB",
    "log_checkpoints": "off",
}
_SOCKET_PATH_MAX = 100  # sun_path is 108 bytes, and ".s.PGSQL.NNNNN" is added
_PR_SET_PDEATHSIG = 1
_SHM = Path("/dev/shm")
_PREFIX = "formkit-pg-"
_OWNER = "owner.pid"  # the test process that made a work directory


class PostgresStartError(RuntimeError):
    """PostgreSQL is missing or did not start; the message ends with the log tail."""


def find_bindir() -> Path:
    """The directory holding initdb and postgres (Debian's newest version first)."""
    def version(bindir: str) -> int:
        match = re.search(r"/postgresql/(\d+)/bin$", bindir)
        return int(match[1]) if match else 0

    found = sorted((os.path.dirname(p) for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")), key=version, reverse=True)
    initdb = shutil.which("initdb")
    if initdb:
        found.append(os.path.dirname(initdb))
    for bindir in found:
        if os.access(os.path.join(bindir, "postgres"), os.X_OK):
            return Path(bindir)
    raise PostgresStartError(f"找不到 PostgreSQL 的 initdb/postgres（/usr/lib/postgresql/*/bin 或 PATH）：{INSTALL}")


class PostgresServer:
    """One running server; `url` is the SQLAlchemy URL of its database."""

    def __init__(self, tmp_dir: Path, bindir: Path) -> None:
        self.tmp_dir = Path(tmp_dir)
        self.bindir = bindir
        self.log_path = self.tmp_dir / "postgres.log"
        self.host = "127.0.0.1"
        self.port = 0
        self.user = USER
        self.database = DATABASE
        self._server_version = 0
        self.start_seconds = 0.0  # initdb + start + CREATE DATABASE, for reports
        self._proc: subprocess.Popen[bytes] | None = None
        self._as: pwd.struct_passwd | None = _postgres_user() if os.geteuid() == 0 else None
        self.workdir = self._make_workdir()
        self.data_dir = self.workdir / "data"
        self.socket_dir = self.workdir / "s"

    # -- public ---------------------------------------------------------------
    @property
    def url(self) -> str:
        return self.url_for(self.database)

    def url_for(self, database: str) -> str:
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """CREATE DATABASE `name` (an identifier: letters, digits, _); return its URL."""
        # FILE_COPY (PostgreSQL 15+) copies the small template in ~20 ms, half of WAL_LOG's time.
        strategy = " STRATEGY FILE_COPY" if self._server_version >= 150000 else ""
        self._sql(f'CREATE DATABASE "{_identifier(name)}"{strategy}')
        return self.url_for(name)

    def drop_database(self, name: str) -> None:
        """DROP DATABASE `name`, closing any connection still open to it."""
        self._sql(f'DROP DATABASE IF EXISTS "{_identifier(name)}" WITH (FORCE)')

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "（没有日志）"
        return "\n".join(text.splitlines()[-lines:]) or "（日志为空）"

    def stop(self) -> None:
        """Fast shutdown (SIGINT), then SIGKILL; idempotent. Removes the data directory."""
        atexit.unregister(self.stop)
        proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                pass
        self._kill()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> "PostgresServer":
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    # -- start ----------------------------------------------------------------
    def _start(self) -> None:
        began = time.perf_counter()
        atexit.register(self.stop)
        self._run([str(self.bindir / "initdb"), "-D", str(self.data_dir), "-U", self.user, "-A", "trust",
                   "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"], "initdb")
        self.socket_dir.mkdir(mode=0o700)
        if self._as is not None:
            os.chown(self.socket_dir, self._as.pw_uid, self._as.pw_gid)
        for attempt in range(3):  # the free port may be taken between finding and binding it
            self.port = _free_port()
            self._launch()
            try:
                self._wait_ready()
                break
            except PostgresStartError:
                busy = "could not bind" in self.log_tail() or "Address already in use" in self.log_tail()
                self._kill()
                if not busy or attempt == 2:
                    raise
        import psycopg

        with psycopg.connect(**self._connect_args("postgres")) as conn:
            self._server_version = conn.info.server_version
        self.create_database(self.database)
        self.start_seconds = time.perf_counter() - began

    def _kill(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # backends leave when they see the postmaster gone
            except ProcessLookupError:
                pass
            proc.wait()

    def _launch(self) -> None:
        args = [str(self.bindir / "postgres"), "-D", str(self.data_dir), "-h", self.host, "-p", str(self.port),
                "-k", str(self.socket_dir)]
        for key, value in _SETTINGS.items():
            args += ["-c", f"{key}={value}"]
        with open(self.log_path, "ab") as log:  # opened by us: the server's user need not reach tmp_dir
            self._proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                          start_new_session=True, preexec_fn=_die_with_parent, **self._user_kwargs())

    def _wait_ready(self) -> None:
        import psycopg

        deadline = time.monotonic() + START_TIMEOUT
        last: Exception | None = None
        while time.monotonic() < deadline:
            assert self._proc is not None
            if self._proc.poll() is not None:
                raise PostgresStartError(self._failed(f"postgres 启动后立即退出（退出码 {self._proc.returncode}）"))
            try:
                psycopg.connect(**self._connect_args("postgres"), connect_timeout=2).close()
                return
            except psycopg.OperationalError as e:
                last = e
                time.sleep(0.05)
        raise PostgresStartError(self._failed(f"postgres 在 {START_TIMEOUT:.0f} 秒内没有接受连接（{last}）"))

    # -- helpers --------------------------------------------------------------
    def _make_workdir(self) -> Path:
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        if os.access(_SHM, os.W_OK | os.X_OK):
            base: Path | None = _SHM  # RAM: CREATE DATABASE takes ~17 ms there, ~230 ms on this disk
        elif self._as is not None or len(os.fsencode(self.tmp_dir / "formkit-pg-12345678" / "s")) > _SOCKET_PATH_MAX:
            base = None  # the system temp dir
        else:
            base = self.tmp_dir
        _remove_stale(Path(base or tempfile.gettempdir()))
        workdir = Path(tempfile.mkdtemp(prefix=_PREFIX, dir=base))
        (workdir / _OWNER).write_text(str(os.getpid()))
        if self._as is not None:
            os.chown(workdir, self._as.pw_uid, self._as.pw_gid)
        return workdir

    def _user_kwargs(self) -> dict[str, object]:
        if self._as is None:
            return {}
        return {"user": self._as.pw_uid, "group": self._as.pw_gid, "extra_groups": [],
                "env": {**os.environ, "HOME": self._as.pw_dir, "USER": self._as.pw_name, "LOGNAME": self._as.pw_name}}

    def _run(self, args: list[str], what: str) -> None:
        kwargs = self._user_kwargs()
        if self._as is not None:
            kwargs["cwd"] = str(self.workdir)  # initdb chdirs back to where it started
        proc = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, timeout=120, **kwargs)
        with open(self.log_path, "ab") as log:
            log.write(proc.stdout + proc.stderr)
        if proc.returncode != 0:
            raise PostgresStartError(self._failed(f"{what} 失败（退出码 {proc.returncode}）"))

    def _connect_args(self, database: str) -> dict[str, object]:
        return {"host": self.host, "port": self.port, "user": self.user, "dbname": database}

    def _sql(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(**self._connect_args("postgres"), autocommit=True) as conn:
            conn.execute(statement)  # type: ignore[arg-type]  # built from checked identifiers

    def _failed(self, what: str) -> str:
        return f"测试用 PostgreSQL 无法启动：{what}。\n日志 {self.log_path} 末尾：\n{self.log_tail()}"


def start_postgres(tmp_dir: Path) -> PostgresServer:
    """Start a fresh server under `tmp_dir`; raise PostgresStartError naming the cause."""
    server = PostgresServer(tmp_dir, find_bindir())
    try:
        server._start()
    except BaseException:
        server.stop()
        raise
    return server


def _identifier(name: str) -> str:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", name):
        raise ValueError(f"not a plain database name: {name!r}")
    return name


def _postgres_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam("postgres")
    except KeyError as e:
        raise PostgresStartError(f"以 root 运行测试时需要系统用户 postgres 来运行数据库：{INSTALL}") from e


def _remove_stale(base: Path) -> None:
    """Remove work directories left by test processes that were killed outright."""
    for workdir in base.glob(_PREFIX + "*"):
        try:
            owner = int((workdir / _OWNER).read_text())
            os.kill(owner, 0)
        except ProcessLookupError:
            shutil.rmtree(workdir, ignore_errors=True)
        except (OSError, ValueError):
            continue  # being made right now, or not ours to judge


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _die_with_parent() -> None:
    """In the child: fast shutdown when the test process dies, even by SIGKILL (Linux only)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGINT)
    except (OSError, AttributeError):
        pass
