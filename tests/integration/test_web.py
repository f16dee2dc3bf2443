"""The web page: access rules through the ASGI app, then the whole loop in Chromium."""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from formkit import ooxml
from formkit.store import Store, now
from formkit.store.users import add_user
from formkit.web import create_app
from tests.support.data import SAMPLES

PASSWORD = "correct-horse-9"


def make_users() -> None:
    with Store() as store, store.transaction() as session:
        add_user(session, "zhao", PASSWORD, "pmo", display_name="赵敏", at=now())
        add_user(session, "chen", PASSWORD, "staff", display_name="陈志强", at=now())


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def signed_in(name: str) -> TestClient:
    client = TestClient(create_app(max_upload_mb=1))
    page = client.get("/login")
    r = client.post("/login", data={"name": name, "password": PASSWORD, "csrf": csrf_of(page.text), "next": "/"},
                    follow_redirects=False)
    assert r.status_code == 303
    return client


@pytest.fixture
def project() -> str:
    from formkit import project as api

    make_users()
    api.project_from_file(SAMPLES / "anfang" / "project.yaml")
    return "P2026-001"


def test_pages_need_a_login(project: str) -> None:
    client = TestClient(create_app())
    for path in ("/", "/projects/P2026-001", "/review", "/upload", "/projects/P2026-001/stages/项目验收.zip"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), path
    r = client.post("/login", data={"name": "zhao", "password": "wrong", "csrf": csrf_of(client.get("/login").text)})
    assert r.status_code == 401 and "用户名或密码不正确" in r.text


def test_wrong_role_and_missing_csrf_are_refused(project: str) -> None:
    staff = signed_in("chen")
    home = staff.get("/")
    assert home.status_code == 200 and "P2026-001" in home.text and "新建项目" not in home.text
    r = staff.post("/review/1/accept", data={"csrf": csrf_of(home.text)})
    assert r.status_code == 403 and "运营/PMO" in r.text
    r = staff.post("/projects", data={"csrf": csrf_of(home.text), "code": "P2026-002", "name": "x"})
    assert r.status_code == 403
    pmo = signed_in("zhao")
    r = pmo.post("/projects", data={"code": "P2026-002", "name": "无令牌"})
    assert r.status_code == 403 and "CSRF" in r.text


def test_upload_limits_and_originals_kept(project: str) -> None:
    pmo = signed_in("zhao")
    token = csrf_of(pmo.get("/upload").text)
    big = b"x" * (1024 * 1024 + 10)
    r = pmo.post("/upload", data={"csrf": token},
                 files=[("files", ("大文件.pdf", big)), ("files", ("说明.txt", "你好".encode()))])
    assert r.status_code == 200
    assert "超过 1 MB" in r.text and "待审核" in r.text


def test_an_uploaded_zip_is_opened_like_a_folder(project: str) -> None:
    """A .zip of returned forms uploaded on the page: each form inside is imported (it was
    once kept as one file that is not a form), and the zip itself is kept too."""
    from sqlalchemy import select

    from formkit.forms import get_form
    from formkit.render.render import render_form
    from formkit.store import Original
    from tests.support.data import sample
    from tests.support.mail import zip_of

    forms = {f"验收单（{who}）.docx": render_form(get_form("acceptance"), sample("anfang", "acceptance") |
                                                  {"filled_by": who}).content for who in ("张三", "李四")}
    archive = zip_of(forms, gbk_names=True)
    pmo = signed_in("zhao")
    token = csrf_of(pmo.get("/upload").text)
    r = pmo.post("/upload", data={"csrf": token, "project": project}, files=[("files", ("回收表单.zip", archive))])
    assert r.status_code == 200
    assert r.text.count("回收表单.zip › 验收单（") == 2, r.text
    with Store() as store, store.transaction() as session:
        kept = {o.filename: o.source_kind for o in session.scalars(select(Original))}
    assert kept == {"回收表单.zip": "upload", "验收单（张三）.docx": "zip", "验收单（李四）.docx": "zip"}


@pytest.fixture
def server(project: str, tmp_path: Path) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = open(tmp_path / "server.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "formkit", "serve", "--port", str(port)],
                            env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail((tmp_path / "server.log").read_text(errors="replace"))
    yield url
    proc.terminate()
    proc.wait(timeout=20)


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def test_whole_loop_in_a_real_browser(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    shots = Path(os.environ.get("FORMKIT_SCREENSHOTS", tmp_path))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(accept_downloads=True, locale="zh-CN", viewport={"width": 1200, "height": 900})
        page.goto(server + "/")
        assert "/login" in page.url
        page.fill("input[name=name]", "zhao")
        page.fill("input[name=password]", PASSWORD)
        page.click("button.primary")
        # create a project
        page.fill("input[name=code]", "P2026-031")
        page.fill("input[name=name]", "城东物流园视频监控改造工程")
        page.fill("input[name=customer]", "杭州城东物流有限公司")
        page.click("form[action='/projects'] button")
        page.wait_for_url("**/projects/P2026-031")
        page.screenshot(path=str(shots / "project.png"), full_page=True)
        # download the acceptance stage, prefilled
        with page.expect_download() as info:
            page.click("tr:has-text('项目验收') >> text=预填")
        with zipfile.ZipFile(info.value.path()) as z:
            name = next(n for n in z.namelist() if "项目验收单" in n)
            form = z.read(name)
        filled = ooxml.fill_controls(form, {"filled_by": "刘海波", "filled_date": "2026-08-28",
                                           "contract_no": "HT-2026-0901", "contract_amount": "大约九十万",
                                           "acceptance_date": "2026年8月28日", "acceptance_type": "正式验收",
                                           "conclusion": "通过", "customer_signer": "张卫东",
                                           "checks[0].item": "摄像机", "checks[0].result": "合格"})
        upload = tmp_path / "项目验收单-已填.docx"
        upload.write_bytes(filled)
        # upload it: it needs review (the amount cannot be read)
        page.goto(server + "/upload")
        page.set_input_files("#files", str(upload))
        page.click("text=上传并读取")
        page.wait_for_selector("text=上传结果")
        assert page.locator("td .tag").first.inner_text() == "待审核"
        page.click("text=去审核")
        page.wait_for_selector("text=合同金额(元)")
        page.screenshot(path=str(shots / "review.png"), full_page=True)
        page.click("button.primary")  # 接受
        page.wait_for_url("**/review")
        page.goto(server + "/projects/P2026-031")
        assert "项目验收单：已接受" in page.inner_text("body")
        page.screenshot(path=str(shots / "project-after.png"), full_page=True)
        # the dossier
        with page.expect_download() as info:
            page.click("text=下载项目档案（Word）")
        dossier = Path(info.value.path()).read_bytes()
        assert zipfile.ZipFile(io.BytesIO(dossier)).testzip() is None
        page.set_viewport_size({"width": 390, "height": 844})  # a phone
        page.goto(server + "/")
        page.screenshot(path=str(shots / "phone.png"), full_page=True)
        browser.close()


def test_ocr_crops_are_shown_to_reviewers_only_inside_the_store(project: str, formkit_home: Path) -> None:
    from formkit.web.app import crop_url

    folder = formkit_home / "crops" / "0123456789abcdef"
    folder.mkdir(parents=True)
    (folder / "contract_amount.png").write_bytes(b"\x89PNG fake")
    message = f"识别把握不大（截图：{folder / 'contract_amount.png'}）"
    assert crop_url(message) == "/crops/0123456789abcdef/contract_amount.png"
    assert crop_url("合同金额：必填项未填写") is None
    assert TestClient(create_app()).get("/crops/0123456789abcdef/contract_amount.png",
                                        follow_redirects=False).status_code == 303
    staff = signed_in("chen")
    assert staff.get("/crops/0123456789abcdef/contract_amount.png").content == b"\x89PNG fake"
    assert staff.get("/crops/0123456789abcdef/..%2F..%2Fformkit.db").status_code == 404
    assert staff.get("/crops/..%2F/formkit.db").status_code == 404
