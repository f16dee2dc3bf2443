"""`formkit serve`: a local web page on the same store, for people without a terminal.

Server-rendered pages (FastAPI + Jinja2), no script or font from the
internet. A login with roles (运营/PMO may accept and reject; everyone signed
in may view, download and upload), passwords hashed with argon2, a CSRF
token on every form, a size limit on uploads. The pages call the same
library functions as the CLI: nothing is decided here.
"""

from __future__ import annotations

import io
import re
import secrets
import tempfile
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.datastructures import UploadFile
from starlette.middleware.sessions import SessionMiddleware

from formkit import project as api
from formkit.config import settings
from formkit.errors import FormkitError
from formkit.forms import get_form
from formkit.intake import import_bytes
from formkit.intake.mail import import_archive, is_archive
from formkit.store import Original, Source, Store, now
from formkit.store.users import ROLES, UserError, check_password

HERE = Path(__file__).resolve().parent
MAX_UPLOAD_MB = 50
MAX_FILES = 50


class _Redirect(Exception):
    def __init__(self, url: str) -> None:
        self.url = url


def _secret_key() -> str:
    path = settings().home / "web-secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32), encoding="ascii")
        path.chmod(0o600)
    return path.read_text(encoding="ascii").strip()


def create_app(*, max_upload_mb: int = MAX_UPLOAD_MB) -> FastAPI:
    app = FastAPI(title="formkit", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(SessionMiddleware, secret_key=_secret_key(), session_cookie="formkit_session",
                       same_site="strict", https_only=False, max_age=12 * 3600)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    pages = Jinja2Templates(directory=HERE / "templates")
    pages.env.globals["ROLES"] = ROLES
    pages.env.filters["shown"] = shown
    pages.env.filters["crop_url"] = crop_url

    @app.exception_handler(_Redirect)
    async def _redirect(_: Request, exc: _Redirect) -> RedirectResponse:
        return RedirectResponse(exc.url, status_code=303)

    @app.exception_handler(FormkitError)
    async def _formkit_error(request: Request, exc: FormkitError) -> HTMLResponse:
        return page(request, "error.html", {"message": str(exc)}, status=400)

    def page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
        user = request.session.get("user")
        return pages.TemplateResponse(request, name, {"user": user, "csrf": _csrf(request), **context},
                                      status_code=status)

    def user_of(request: Request, *, role: str | None = None) -> dict[str, str]:
        user = request.session.get("user")
        if not user:
            raise _Redirect(f"/login?next={quote(str(request.url.path))}")
        if role and user["role"] != role:
            raise HTTPException(403, f"需要“{ROLES[role]}”角色才能执行此操作")
        return user

    async def checked_form(request: Request) -> Any:
        form = await request.form()
        if not secrets.compare_digest(str(form.get("csrf", "")), _csrf(request)):
            raise HTTPException(403, "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试")
        return form

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> HTMLResponse:
        return page(request, "error.html", {"message": exc.detail}, status=exc.status_code)

    # -- sign in -------------------------------------------------------------
    @app.get("/login", response_class=HTMLResponse)
    def login_page(request: Request, next: str = "/") -> HTMLResponse:
        return page(request, "login.html", {"next": next})

    @app.post("/login")
    async def login(request: Request) -> Response:
        form = await checked_form(request)
        with Store() as store, store.transaction() as session:
            try:
                user = check_password(session, str(form.get("name", "")), str(form.get("password", "")))
            except UserError as e:
                return page(request, "login.html", {"error": str(e), "next": form.get("next", "/")}, status=401)
            request.session["user"] = {"name": user.name, "display": user.display_name or user.name,
                                       "role": user.role}
        target = str(form.get("next") or "/")
        return RedirectResponse(target if target.startswith("/") and not target.startswith("//") else "/", 303)

    @app.post("/logout")
    async def logout(request: Request) -> Response:
        await checked_form(request)
        request.session.clear()
        return RedirectResponse("/login", 303)

    # -- projects ------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse)
    def projects(request: Request) -> HTMLResponse:
        user_of(request)
        return page(request, "projects.html", {"projects": api.status()})

    @app.post("/projects")
    async def new_project(request: Request) -> Response:
        user_of(request, role="pmo")
        form = await checked_form(request)
        created = api.new_project(str(form.get("code", "")), str(form.get("name", "")),
                                  customer=str(form.get("customer") or "") or None,
                                  region=str(form.get("region") or "") or None)
        return RedirectResponse(f"/projects/{quote(created['code'])}", 303)

    @app.get("/projects/{code}", response_class=HTMLResponse)
    def project_page(request: Request, code: str) -> HTMLResponse:
        user_of(request)
        record = api.show(code)
        status = api.status(code)
        from formkit.forms.base import label_for
        from formkit.record import SHARED, flatten

        forms = [(get_form(f).title, [(label_for(get_form(f).model, p), v) for p, v in flatten(data).items()])
                 for f, data in record.forms.items()]
        shared = [(SHARED.get(k, k), v) for k, v in record.shared.items()]
        return page(request, "project.html", {"record": record, "status": status, "forms": forms,
                                              "shared": shared})

    @app.get("/projects/{code}/stages/{stage}.zip")
    def stage_zip(request: Request, code: str, stage: str, blank: int = 0) -> Response:
        user_of(request)
        with tempfile.TemporaryDirectory() as tmp:
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
                for form in api.process().stage(stage).forms:
                    spec = get_form(form)
                    path = Path(tmp) / f"{code}-{spec.title}.docx"
                    api.render_for_project(form, code, path, blank=bool(blank))
                    z.write(path, path.name)
        name = f"{code}-{stage}{'-空白' if blank else ''}.zip"
        return _download(out.getvalue(), name, "application/zip")

    @app.get("/projects/{code}/dossier")
    def dossier(request: Request, code: str, pdf: int = 0) -> Response:
        user_of(request)
        with tempfile.TemporaryDirectory() as tmp:
            result = api.dossier(code, Path(tmp) / f"项目档案-{code}.docx", pdf=bool(pdf))
            path = result.pdf if pdf and result.pdf else result.docx
            return _download(path.read_bytes(), path.name, "application/pdf" if pdf else _DOCX)

    @app.get("/originals/{sha}")
    def original(request: Request, sha: str) -> Response:
        user_of(request)
        with Store() as store:
            with store.transaction() as session:
                row = session.get(Original, sha)
                if row is None:
                    raise HTTPException(404, "没有这个原始文件")
                name = row.filename
            return _download(store.read_original(sha), name, "application/octet-stream")

    # -- upload and review ---------------------------------------------------
    @app.get("/upload", response_class=HTMLResponse)
    def upload_page(request: Request, project: str = "") -> HTMLResponse:
        user_of(request)
        return page(request, "upload.html", {"project": project, "max_mb": max_upload_mb})

    @app.post("/upload", response_class=HTMLResponse)
    async def upload(request: Request) -> HTMLResponse:
        user = user_of(request)
        limit = max_upload_mb * 1024 * 1024
        length = int(request.headers.get("content-length") or 0)
        if length > limit * 2:
            raise HTTPException(413, f"上传内容太大（上限每个文件 {max_upload_mb} MB）")
        form = await checked_form(request)
        files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
        if not files:
            raise HTTPException(400, "请选择要上传的文件")
        if len(files) > MAX_FILES:
            raise HTTPException(413, f"一次最多上传 {MAX_FILES} 个文件")
        project = str(form.get("project") or "").strip() or None
        results = []
        with Store() as store:
            for item in files:
                data = await item.read(limit + 1)
                if len(data) > limit:
                    results.append({"file": item.filename, "outcome": "failed",
                                    "message": f"文件超过 {max_upload_mb} MB，未保存"})
                    continue
                source = Source(kind="upload", path=item.filename, sender=user["display"], mail_date=now())
                name = Path(item.filename).name
                if is_archive(data, name):  # a .zip of forms: each file inside, as from a folder or a mail
                    results.extend(r.as_dict() for r in import_archive(store, data, name, source, project=project,
                                                                        display=name))
                    continue
                results.append(import_bytes(store, data, name, source, project=project).as_dict())
        return page(request, "uploaded.html", {"results": results})

    @app.get("/review", response_class=HTMLResponse)
    def review_list(request: Request) -> HTMLResponse:
        user_of(request)
        return page(request, "review.html", {"items": api.review_list()})

    @app.get("/review/{submission_id}", response_class=HTMLResponse)
    def review_item(request: Request, submission_id: int) -> HTMLResponse:
        user_of(request)
        item = next((i for i in api.review_list() if i["id"] == submission_id), None)
        if item is None:
            raise HTTPException(404, f"没有待审核的提交 #{submission_id}")
        return page(request, "review_item.html", {"item": item})

    @app.post("/review/{submission_id}/accept")
    async def accept(request: Request, submission_id: int) -> Response:
        user_of(request, role="pmo")
        form = await checked_form(request)
        api.accept(submission_id, project=str(form.get("project") or "") or None,
                   note=str(form.get("note") or "") or None)
        return RedirectResponse("/review", 303)

    @app.post("/review/{submission_id}/reject")
    async def reject(request: Request, submission_id: int) -> Response:
        user_of(request, role="pmo")
        form = await checked_form(request)
        api.reject(submission_id, note=str(form.get("note") or "") or None)
        return RedirectResponse("/review", 303)

    @app.get("/crops/{folder}/{name}")
    def crop(request: Request, folder: str, name: str) -> Response:
        """A crop of a page region OCR was unsure of (PNG), for the reviewer."""
        user_of(request)
        base = (settings().home / "crops").resolve()
        path = (base / folder / name).resolve()
        if base not in path.parents or path.suffix != ".png" or not path.is_file():
            raise HTTPException(404, "没有这张截图")
        return Response(path.read_bytes(), media_type="image/png")

    @app.get("/review/{submission_id}/reply.docx")
    def reply(request: Request, submission_id: int) -> Response:
        user_of(request)
        with tempfile.TemporaryDirectory() as tmp:
            path = api.reply(submission_id, Path(tmp) / f"退回修改-{submission_id}.docx")
            return _download(path.read_bytes(), path.name, _DOCX)

    return app


_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


_CROP = re.compile(r"截图：(?P<path>[^）]+/crops/(?P<folder>[0-9a-f]{16})/(?P<name>[^/）]+\.png))")


def crop_url(message: str) -> str | None:
    """The URL of the crop a problem's message names (OCR problems), if any."""
    m = _CROP.search(message or "")
    return f"/crops/{m['folder']}/{quote(m['name'])}" if m else None


def shown(value: Any) -> str:
    """A record value as a person reads it: ☑/☐, rows one per line, — for none."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "☑" if value else "☐"
    if isinstance(value, list):
        return "\n".join(
            f"{i}. " + "，".join(shown(v) for v in item.values()) if isinstance(item, dict) else shown(item)
            for i, item in enumerate(value, 1))
    return str(value)


def _csrf(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(24)
        request.session["csrf"] = token
    return token


def _download(data: bytes, name: str, media: str) -> Response:
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=media, headers={"Content-Disposition": disposition})
