"""`formkit serve` and `formkit user`: the local web page and its users."""

from __future__ import annotations

import os
from typing import Optional

import typer
from rich.table import Table

from formkit.cli.common import app, fail, out
from formkit.errors import FormkitError

user_app = typer.Typer(help="网页用户：新建、列表。", no_args_is_help=True)
app.add_typer(user_app, name="user")


@user_app.command("add")
def user_add(
    name: str = typer.Argument(..., help="用户名"),
    role: str = typer.Option("staff", "--role", help="pmo（运营/PMO，可接受/退回）或 staff（项目人员）"),
    display_name: Optional[str] = typer.Option(None, "--display-name", help="显示的姓名"),
) -> None:
    """新建网页用户；密码取自环境变量 FORMKIT_PASSWORD，否则提示输入。"""
    from formkit.store import Store, now
    from formkit.store.users import ROLES, add_user

    password = os.environ.get("FORMKIT_PASSWORD") or typer.prompt("密码", hide_input=True, confirmation_prompt=True)
    try:
        with Store() as store, store.transaction() as session:
            add_user(session, name, password, role, display_name=display_name, at=now())
    except FormkitError as e:
        raise fail(e) from None
    out.print(f"已新建用户 {name}（{ROLES[role]}）")


@user_app.command("list")
def user_list() -> None:
    """列出网页用户。"""
    from formkit.store import Store
    from formkit.store.users import ROLES, list_users

    with Store() as store, store.transaction() as session:
        table = Table("用户名", "姓名", "角色")
        for user in list_users(session):
            table.add_row(user.name, user.display_name or "", ROLES.get(user.role, user.role))
    out.print(table)


@app.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址（默认只在本机）"),
    port: int = typer.Option(8000, "--port", help="端口"),
    max_upload_mb: int = typer.Option(50, "--max-upload-mb", help="每个上传文件的大小上限（MB）"),
) -> None:
    """启动本地网页：项目进度、下载表单、上传回收表单、审核。"""
    import uvicorn

    from formkit.web import create_app

    out.print(f"formkit 网页：http://{host}:{port}/  （Ctrl+C 停止）")
    uvicorn.run(create_app(max_upload_mb=max_upload_mb), host=host, port=port, log_level="warning")
