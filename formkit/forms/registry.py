"""The catalog of forms: id, Chinese title, stage, schema version, model.

Older schema versions stay registered with an upgrade function, so a document
issued under version 1.0 is read with the 1.0 model and then migrated.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from formkit.errors import UnknownFormError
from formkit.forms.base import FormModel

Upgrade = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class FormVersion:
    """A past schema version: its model and how to bring data to the next."""

    version: str
    model: type[FormModel]
    upgrade: Upgrade


@dataclass
class FormSpec:
    model: type[FormModel]
    history: dict[str, FormVersion] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.model.FORM_ID

    @property
    def title(self) -> str:
        return self.model.TITLE

    @property
    def stage(self) -> str:
        return self.model.STAGE

    @property
    def version(self) -> str:
        return self.model.VERSION

    @property
    def form_no(self) -> str:
        return self.model.FORM_NO

    def model_for(self, version: str | None) -> type[FormModel]:
        if version is None or version == self.version:
            return self.model
        if version in self.history:
            return self.history[version].model
        known = "、".join([*self.history, self.version])
        raise UnknownFormError(f"{self.title}没有版本 {version}（已知版本：{known}）")

    def upgrade(self, version: str, data: dict[str, Any]) -> dict[str, Any]:
        """Migrate data of an old version, step by step, to the current one."""
        while version != self.version:
            step = self.history[version]
            data = step.upgrade(data)
            version = _next_version(self, version)
        return data

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "title": self.title, "stage": self.stage,
                "version": self.version, "form_no": self.form_no}


def _next_version(spec: FormSpec, version: str) -> str:
    versions = [*spec.history, spec.version]
    return versions[versions.index(version) + 1]


_REGISTRY: dict[str, FormSpec] = {}


def register(model: type[FormModel], history: list[FormVersion] | None = None) -> FormSpec:
    spec = FormSpec(model, {h.version: h for h in history or []})
    _REGISTRY[spec.id] = spec
    return spec


def unregister(form_id: str) -> None:
    _REGISTRY.pop(form_id, None)


def all_forms() -> Iterator[FormSpec]:
    return iter(list(_REGISTRY.values()))


def get_form(name: str) -> FormSpec:
    """Find a form by id (``acceptance``) or Chinese title (``项目验收单``)."""
    key = unicodedata.normalize("NFKC", name).strip()
    if key in _REGISTRY:
        return _REGISTRY[key]
    for spec in _REGISTRY.values():
        if key in (spec.title, spec.form_no) or key.lower() == spec.id.lower():
            return spec
    choices = "、".join(f"{s.id}（{s.title}）" for s in _REGISTRY.values())
    raise UnknownFormError(f"没有名为“{name}”的表单。可用的表单：{choices}")
