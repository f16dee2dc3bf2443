"""A throwaway Dovecot IMAP server on loopback for the tests.

`start_dovecot(tmp_dir)` writes a private config (passwd-file auth, Maildir
mail under the temp dir, 127.0.0.1 on two free ports: IMAP and IMAPS with a
self-signed certificate for 127.0.0.1 made here) and runs `dovecot -F -c CONF`
in the foreground as a child; `stop()` (or leaving the `with` block, or
interpreter exit) ends it. Facts from ../shared/TOOLING.md: as root, login
and internal processes run as `dovenull`/`dovecot`, the base dir must be
0755, and the mail user must not be UID 0 (the `dovecot` system user is used).

`deliver(user_folder, raw)` drops a message into a folder's Maildir `new/`,
the way the local delivery agent does, so tests need no SMTP server.
"""

from __future__ import annotations

import atexit
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from types import TracebackType

INSTALL = "请运行 bash .ci/install-system 安装 Dovecot（dovecot-imapd）"
USER = "formkit"
PASSWORD = "formkit-secret-2026"
START_TIMEOUT = 15.0


class DovecotStartError(RuntimeError):
    """Dovecot is missing or did not start; the message ends with the log tail."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class DovecotServer:
    def __init__(self, base: Path, imap_port: int, imaps_port: int, cafile: Path, mail_uid: int, mail_gid: int,
                 process: subprocess.Popen[bytes]) -> None:
        self.base, self.imap_port, self.imaps_port, self.cafile = base, imap_port, imaps_port, cafile
        self.mail_uid, self.mail_gid, self.process = mail_uid, mail_gid, process
        self.user, self.password = USER, PASSWORD
        self.maildir = base / "mail" / USER / "Maildir"

    @property
    def imap_url(self) -> str:
        return f"imap://{self.user}@127.0.0.1:{self.imap_port}"

    @property
    def imaps_url(self) -> str:
        return f"imaps://{self.user}@127.0.0.1:{self.imaps_port}"

    def folder_dir(self, folder: str = "INBOX") -> Path:
        if folder == "INBOX":
            return self.maildir
        from imap_tools.imap_utf7 import utf7_encode

        return self.maildir / f".{utf7_encode(folder).decode()}"

    def reset(self) -> None:
        """An empty mailbox: no folders, no messages (the home owned by the mail user)."""
        home = self.maildir.parent
        shutil.rmtree(home, ignore_errors=True)
        for sub in ("cur", "new", "tmp"):
            (self.maildir / sub).mkdir(parents=True)
        for path in (home, self.maildir, *(self.maildir / s for s in ("cur", "new", "tmp"))):
            os.chown(path, self.mail_uid, self.mail_gid)

    def deliver(self, raw: bytes, folder: str = "INBOX", *, seen: bool = False) -> Path:
        """Put a message into the folder, unseen (new/) or seen (cur/…:2,S)."""
        root = self.folder_dir(folder)
        for sub in ("cur", "new", "tmp"):
            (root / sub).mkdir(parents=True, exist_ok=True)
            os.chown(root / sub, self.mail_uid, self.mail_gid)
        os.chown(root, self.mail_uid, self.mail_gid)
        name = f"{time.time():.6f}.{uuid.uuid4().hex}.formkit-test"
        target = root / ("cur" if seen else "new") / (f"{name}:2,S" if seen else name)
        tmp = root / "tmp" / name
        tmp.write_bytes(raw)
        os.chown(tmp, self.mail_uid, self.mail_gid)
        tmp.rename(target)
        return target

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        shutil.rmtree(self.base, ignore_errors=True)

    def __enter__(self) -> DovecotServer:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def log_tail(self) -> str:
        log = self.base / "dovecot.log"
        return log.read_text(errors="replace")[-3000:] if log.exists() else ""


def find_dovecot() -> str:
    binary = shutil.which("dovecot") or ("/usr/sbin/dovecot" if os.path.exists("/usr/sbin/dovecot") else None)
    if binary is None:
        raise DovecotStartError(f"找不到 dovecot：{INSTALL}")
    return binary


def _certificate(base: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (openssl, which Debian always has)."""
    cert, key = base / "cert.pem", base / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                    "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


def start_dovecot(tmp_dir: Path | None = None) -> DovecotServer:
    binary = find_dovecot()
    as_root = os.geteuid() == 0
    # pytest's temp dirs are 0700 root: out of reach of dovecot's unprivileged processes.
    base = Path(tempfile.mkdtemp(prefix="formkit-dovecot-", dir="/tmp" if as_root else tmp_dir))
    os.chmod(base, 0o755)
    if as_root:
        mail_user = pwd.getpwnam("dovecot")
        mail_uid, mail_gid, login_user, internal_user = mail_user.pw_uid, mail_user.pw_gid, "dovenull", "dovecot"
    else:
        mail_uid, mail_gid = os.getuid(), os.getgid()
        login_user = internal_user = pwd.getpwuid(os.getuid()).pw_name
    imap_port, imaps_port = _free_port(), _free_port()
    cert, key = _certificate(base)
    (base / "mail").mkdir(mode=0o755)
    os.chown(base / "mail", mail_uid, mail_gid)
    (base / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}:{mail_uid}:{mail_gid}::{base}/mail/{USER}::\n")
    os.chmod(base / "passwd", 0o644)
    (base / "run").mkdir(mode=0o755)
    conf = base / "dovecot.conf"
    conf.write_text(f"""\
protocols = imap
listen = 127.0.0.1
base_dir = {base}/run
state_dir = {base}/state
log_path = {base}/dovecot.log
info_log_path = {base}/dovecot.log
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login_user}
default_internal_user = {internal_user}
default_internal_group = {internal_user}
mail_location = maildir:~/Maildir
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {base}/passwd
}}
userdb {{
  driver = passwd-file
  args = {base}/passwd
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
""")
    (base / "state").mkdir(mode=0o755)
    process = subprocess.Popen([binary, "-F", "-c", str(conf)], stdout=subprocess.DEVNULL,
                               stderr=open(base / "stderr.log", "wb"))
    server = DovecotServer(base, imap_port, imaps_port, cert, mail_uid, mail_gid, process)
    atexit.register(server.stop)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with socket.create_connection(("127.0.0.1", imap_port), timeout=1) as s:
                if s.recv(200).startswith(b"* OK"):
                    return server
        except OSError:
            time.sleep(0.05)
    stderr = (base / "stderr.log").read_text(errors="replace")[-2000:]
    tail = server.log_tail()
    server.stop()
    raise DovecotStartError(f"Dovecot 没有启动（{INSTALL}）：\n{stderr}\n{tail}")
