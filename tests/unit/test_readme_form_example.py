"""The README's "Adding a form" example is a working form module."""

from __future__ import annotations

import re
import sys
import types

from formkit.forms.registry import register, unregister
from formkit.forms.validate import validate_form
from formkit.parse.docx import parse_docx
from formkit.render.builder import build_template
from formkit.render.render import render_form
from tests.support.data import ROOT


def _example_module() -> types.ModuleType:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Adding a form", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    module = types.ModuleType("readme_meeting_minutes")
    sys.modules[module.__name__] = module
    exec(compile("\n".join(line[3:] for line in code.splitlines()), "README.md", "exec"), module.__dict__)
    return module


def test_readme_example_registers_renders_and_parses() -> None:
    model = _example_module().MeetingMinutes
    spec = register(model)
    try:
        assert build_template(model)
        data = {"project_code": "P2026-001", "meeting_date": "2026-06-01",
                "actions": [{"item": "提交管线图", "owner": "张卫东", "due": "2026-05-30"}]}
        problems = {p.path: p.message for p in validate_form(model, data).problems if p.kind == "rule"}
        assert problems == {"actions[0].due": "2026年5月30日 早于会议日期 2026年6月1日"}
        assert parse_docx(render_form(spec, data).content).data == {
            "project_code": "P2026-001", "meeting_date": "2026-06-01",
            "actions": [{"item": "提交管线图", "owner": "张卫东", "due": "2026-05-30"}]}
    finally:
        unregister(model.FORM_ID)
        sys.modules.pop("readme_meeting_minutes", None)
