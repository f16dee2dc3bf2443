"""The library facade: what the CLI (and any other tool) calls.

Each function is one use case; none prints. Errors are FormkitError
subclasses with a Chinese message that names the file, form and field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from formkit import ooxml
from formkit.errors import DataFileError
from formkit.forms import FormSpec, all_forms, get_form
from formkit.parse.docx import ParsedForm, parse_docx
from formkit.render.builder import build_template
from formkit.render.render import Rendered, render_form

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def load_data(path: Path) -> dict[str, Any]:
    """Read a --data file (JSON or YAML) in the shape of the form's JSON Schema."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as e:
        raise DataFileError(f"找不到数据文件 {path}") from e
    except (OSError, UnicodeDecodeError) as e:
        raise DataFileError(f"数据文件 {path} 无法读取（应为 UTF-8 编码的 JSON 或 YAML）：{e}") from e
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as e:
        raise DataFileError(f"数据文件 {path} 格式有误：{e}") from e
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise DataFileError(f"数据文件 {path} 的顶层应为键值对（对象），而不是 {type(data).__name__}")
    return data


def render_to_file(form: str, output: Path, data: dict[str, Any] | None = None,
                   *, project_code: str | None = None) -> Rendered:
    spec = get_form(form)
    rendered = render_form(spec, data, project_code=project_code)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(rendered.content)
    return rendered


def default_output(spec: FormSpec, project_code: str | None, blank: bool) -> Path:
    suffix = "空白" if blank else (project_code or "")
    name = f"{spec.title}-{suffix}.docx" if suffix else f"{spec.title}.docx"
    return Path(name)


def parse_file(path: Path, form: str | None = None) -> ParsedForm:
    return parse_docx(str(path), form, name=str(path))


def inspect_file(path: Path) -> dict[str, Any]:
    return ooxml.inspect(str(path))


def json_schema(spec: FormSpec) -> dict[str, Any]:
    schema = spec.model.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://formkit.local/schemas/{spec.id}.json",
        **schema,
        "title": spec.title,
        "x-form-id": spec.id,
        "x-schema-version": spec.version,
        "x-stage": spec.stage,
        "x-form-no": spec.form_no,
    }


def schema_text(spec: FormSpec) -> str:
    return json.dumps(json_schema(spec), ensure_ascii=False, indent=2) + "\n"


def write_schemas(directory: Path, form: str | None = None) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    specs = [get_form(form)] if form else list(all_forms())
    written = []
    for spec in specs:
        path = directory / f"{spec.id}.json"
        path.write_text(schema_text(spec), encoding="utf-8")
        written.append(path)
    return written


def write_templates(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in all_forms():
        path = directory / f"{spec.id}.docx"
        path.write_bytes(build_template(spec.model))
        written.append(path)
    return written


@dataclass
class DemoFile:
    form: FormSpec
    kind: str  # 空白 / 预填
    path: Path
    parsed: ParsedForm | None = None


def sample_projects() -> list[Path]:
    return sorted(p for p in SAMPLES.iterdir() if (p / "project.yaml").exists())


def run_demo(directory: Path) -> list[DemoFile]:
    """Render every sample project's forms blank and prefilled, parse them back."""
    out: list[DemoFile] = []
    for project_dir in sample_projects():
        project = load_data(project_dir / "project.yaml")
        target = directory / f"{project['code']}-{project['name']}"
        for spec in all_forms():
            blank = target / f"{spec.title}-空白.docx"
            render_to_file(spec.id, blank, project_code=project["code"])
            out.append(DemoFile(spec, "空白", blank))
            data_file = project_dir / f"{spec.id}.yaml"
            if data_file.exists():
                filled = target / f"{spec.title}-预填.docx"
                render_to_file(spec.id, filled, load_data(data_file))
                out.append(DemoFile(spec, "预填", filled, parse_file(filled)))
    return out
