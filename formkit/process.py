"""The process: stages, the forms of each stage and each stage's gate.

Read from a YAML file (the default ships in formkit/data/process.yaml; a
company points FORMKIT_PROCESS at its own). A stage without a ``forms`` list
takes every catalog form whose STAGE is that stage; a stage without a gate
is passed once every form it has is accepted (so a stage with no forms is
passed at once).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from formkit.errors import FormkitError
from formkit.forms import all_forms, get_form
from formkit.forms.base import field_at


class ProcessError(FormkitError, ValueError):
    """A process definition file that cannot be used."""


class Approval(BaseModel):
    model_config = ConfigDict(extra="forbid")
    form: str
    field: str
    values: list[str]


class Gate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    accepted: list[str] = []
    approvals: list[Approval] = []


class StageDef(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    forms: list[str] | None = None
    gate: Gate | None = None


class ProcessDef(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int = 1
    stages: list[StageDef]


@dataclass
class Stage:
    name: str
    forms: list[str]
    accepted: list[str]
    approvals: list[Approval] = field(default_factory=list)


@dataclass
class Process:
    stages: list[Stage]
    source: Path

    def stage(self, name: str) -> Stage:
        for stage in self.stages:
            if stage.name == name:
                return stage
        names = "、".join(s.name for s in self.stages)
        raise ProcessError(f"流程中没有名为“{name}”的阶段（可用：{names}）")

    def stage_of(self, form: str) -> Stage | None:
        for stage in self.stages:
            if form in stage.forms:
                return stage
        return None


def load_process(path: Path) -> Process:
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
        definition = ProcessDef.model_validate(raw)
    except FileNotFoundError as e:
        raise ProcessError(f"找不到流程定义文件 {path}") from e
    except (yaml.YAMLError, ValidationError, OSError) as e:
        raise ProcessError(f"流程定义文件 {path} 有误：{e}") from e
    stages = []
    for s in definition.stages:
        forms = s.forms if s.forms is not None else [f.id for f in all_forms() if f.stage == s.name]
        gate = s.gate or Gate(accepted=list(forms))
        stage = Stage(s.name, [_form_id(f, path) for f in forms],
                      [_form_id(f, path) for f in gate.accepted], gate.approvals)
        for approval in stage.approvals:
            approval.form = _form_id(approval.form, path)
            try:
                field_at(get_form(approval.form).model, approval.field)
            except KeyError as e:
                raise ProcessError(f"流程定义文件 {path}：表单 {approval.form} 没有字段 {approval.field}") from e
        stages.append(stage)
    return Process(stages, path)


def _form_id(name: str, path: Path) -> str:
    try:
        return get_form(name).id
    except FormkitError as e:
        raise ProcessError(f"流程定义文件 {path}：{e}") from e
