"""People who use the web page: name, role, password hash (argon2)."""

from __future__ import annotations

from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import DateTime, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from formkit.errors import FormkitError
from formkit.store.tables import Base

ROLES = {"pmo": "运营/PMO", "staff": "项目人员"}
"""pmo may accept and reject submissions; staff may upload and view."""

_hasher = PasswordHasher()


class UserError(FormkitError, ValueError):
    """A user that cannot be created, or a wrong name or password."""


class User(Base):
    __tablename__ = "users"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    display_name: Mapped[str | None] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def add_user(session: Session, name: str, password: str, role: str, *, display_name: str | None = None,
             at: datetime) -> User:
    name = name.strip()
    if not name or len(name) > 64:
        raise UserError("用户名不能为空，且不超过 64 个字符")
    if role not in ROLES:
        raise UserError(f"角色“{role}”无效，可选：{'、'.join(f'{k}（{v}）' for k, v in ROLES.items())}")
    if len(password) < 8:
        raise UserError("密码至少 8 位")
    if session.get(User, name) is not None:
        raise UserError(f"用户 {name} 已存在")
    user = User(name=name, display_name=display_name or name, role=role,
                password_hash=_hasher.hash(password), created_at=at)
    session.add(user)
    return user


def check_password(session: Session, name: str, password: str) -> User:
    user = session.get(User, name.strip())
    try:
        if user is None:
            _hasher.hash(password)  # same cost whether or not the user exists
            raise VerificationError
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError) as e:
        raise UserError("用户名或密码不正确") from e
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))
