"""The stage timeline as a picture (matplotlib, Agg, Noto Sans CJK SC).

Each stage is a row, top to bottom in process order: a bar from the first to
the last date of its accepted forms, coloured by state, with the dates and
the count of accepted forms beside it. Stages not started carry their state
as text. The Simplified Chinese face of Noto CJK is asked for by name, so
characters take their mainland shapes (not the Japanese ones of the same file).
"""

from __future__ import annotations

import io
from datetime import date, timedelta

from formkit.dossier.content import StageEntry
from formkit.errors import FormkitError

FONT = "Noto Sans CJK SC"
COLOURS = {"done": "#2e7d32", "current": "#ef8f00", "not_started": "#b0b0b0"}
INSTALL = "请安装 matplotlib（pip install matplotlib）和 Noto CJK 字体（apt-get install fonts-noto-cjk）"


class ChartError(FormkitError, RuntimeError):
    """The timeline picture cannot be drawn (plotting library or font missing)."""


def _short(day: date) -> str:
    return f"{day.month}月{day.day}日"


def _tick(day: date) -> str:
    return f"{day.year}年{day.month}月" if day.day == 1 else f"{day.month}月{day.day}日"


def timeline_png(stages: list[StageEntry], *, title: str, width_cm: float = 16.5, dpi: int = 200) -> bytes:
    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib import dates as mdates
        from matplotlib import font_manager
        from matplotlib import pyplot as plt
        from matplotlib.patches import Patch
        from matplotlib.ticker import FuncFormatter
    except ImportError as e:
        raise ChartError(f"无法绘制阶段进度图：{INSTALL}") from e
    try:
        font_manager.findfont(font_manager.FontProperties(family=FONT), fallback_to_default=False)
    except ValueError as e:
        raise ChartError(f"找不到中文字体 {FONT}，阶段进度图无法正确显示中文：{INSTALL}") from e
    dated = [d for s in stages for d in (s.start, s.end) if d]
    first = min(dated) if dated else date.today()
    last = max(dated) if dated else first
    span = max((last - first).days, 30)
    left, right = first - timedelta(days=span * 0.04), last + timedelta(days=span * 0.30)
    height_cm = 1.6 + 0.62 * len(stages)
    with plt.rc_context({"font.family": FONT, "font.size": 8.5, "axes.unicode_minus": False}):
        fig, ax = plt.subplots(figsize=(width_cm / 2.54, height_cm / 2.54), dpi=dpi)
        try:
            for y, stage in enumerate(stages):
                colour = COLOURS.get(stage.state, COLOURS["not_started"])
                if stage.start is None:
                    ax.text(mdates.date2num(left) + span * 0.01, y, f"{stage.state_label}", va="center",
                            color="#707070", fontsize=8)
                    continue
                end = stage.end or stage.start
                x0 = mdates.date2num(stage.start)
                width = max(mdates.date2num(end) - x0, span * 0.006)
                ax.barh(y, width, left=x0, height=0.5, color=colour, edgecolor="none")
                when = _short(stage.start) if end == stage.start else f"{_short(stage.start)}–{_short(end)}"
                ax.text(x0 + width + span * 0.01, y, f"{when}  {stage.state_label} {stage.accepted}/{stage.total}",
                        va="center", fontsize=7.5, color="#333333")
            ax.set_yticks(range(len(stages)), [s.name for s in stages])
            ax.set_ylim(len(stages) - 0.4, -0.6)  # first stage on top, a little room at both ends
            ax.set_xlim(mdates.date2num(left), mdates.date2num(right))
            locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
            ax.xaxis.set_major_locator(locator)
            ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: _tick(mdates.num2date(x).date())))
            if not dated:
                ax.set_xticks([])
                ax.text(0.5, 0.5, "尚无已接受的表单", transform=ax.transAxes, ha="center", va="center",
                        color="#707070", fontsize=10)
            ax.grid(axis="x", color="#dddddd", linewidth=0.6)
            ax.set_axisbelow(True)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
            ax.set_title(title, fontsize=10, loc="left")
            legend = [Patch(color=COLOURS[k], label=label)
                      for k, label in (("done", "已完成"), ("current", "进行中"), ("not_started", "未开始"))]
            ax.legend(handles=legend, loc="lower right", fontsize=7.5, frameon=False, ncol=3,
                      bbox_to_anchor=(1.0, 1.0))
            fig.tight_layout()
            out = io.BytesIO()
            fig.savefig(out, format="png", dpi=dpi)
        finally:
            plt.close(fig)
    return out.getvalue()
