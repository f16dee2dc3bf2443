"""Symbol-font glyphs (w:sym, Wingdings runs) as Unicode, and tick-box glyph states."""

from __future__ import annotations

from lxml import etree

from formkit.ooxml._xml import qn

# Byte code in the font -> Unicode. Only glyphs that show up in forms and lists;
# box and tick shapes are mapped to the common code point a person would type.
_WINGDINGS = {
    0x6C: "●", 0x6E: "■", 0x6F: "□", 0x71: "❑", 0x72: "❒", 0x75: "◆", 0x76: "❖",
    0x78: "⌧", 0x9F: "•", 0xA1: "○", 0xA7: "▪", 0xA8: "◻", 0xAB: "★", 0xD8: "➢",
    0xE8: "➔", 0xF0: "⇨", 0xFB: "✗", 0xFC: "✓", 0xFD: "☒", 0xFE: "☑",
}
_WINGDINGS_2 = {0x4F: "✗", 0x50: "✓", 0x52: "☑", 0x53: "☒", 0x54: "☒", 0x97: "●", 0xA2: "■", 0xA3: "□"}
_SYMBOL = {
    **dict(zip(range(0x41, 0x5B), "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ")),
    **dict(zip(range(0x61, 0x7B), "αβχδεφγηιϕκλμνοπθρστυϖωξψζ")),
    0xA3: "≤", 0xAE: "→", 0xB0: "°", 0xB1: "±", 0xB3: "≥", 0xB4: "×", 0xB7: "•",
    0xB9: "≠", 0xD6: "√", 0xD8: "¬",
}
SYMBOL_FONTS = {"wingdings": _WINGDINGS, "wingdings 2": _WINGDINGS_2, "symbol": _SYMBOL}

_RFONTS = f"{qn('w:rPr')}/{qn('w:rFonts')}"
_FONT_ATTRS = (qn("w:ascii"), qn("w:hAnsi"), qn("w:cs"))

TICKED = frozenset("☑☒■√✔✓⌧")
UNTICKED = frozenset("☐□◻")


def glyph(font: str | None, code: int) -> str | None:
    """The Unicode glyph for `code` (0x20-0xFF or 0xF020-0xF0FF) in a symbol font, if known."""
    table = SYMBOL_FONTS.get((font or "").strip().lower())
    if table is None:
        return None
    return table.get(code - 0xF000 if 0xF000 <= code <= 0xF0FF else code)


def sym_text(sym: etree._Element) -> str:
    """Text of a w:sym element: mapped glyph, else the character itself, else U+FFFD."""
    font = sym.get(qn("w:font"))
    try:
        code = int(sym.get(qn("w:char")) or "", 16)
    except ValueError:
        return "\ufffd"
    mapped = glyph(font, code)
    if mapped is not None:
        return mapped
    if 0xF000 <= code <= 0xF0FF:  # PUA alias of a single-byte code in an ordinary font
        code -= 0xF000
    return safe_char(code) if (font or "").strip().lower() not in SYMBOL_FONTS else "\ufffd"


def safe_char(code: int) -> str:
    """chr(code) for a printable code point, else U+FFFD (no controls, no surrogates)."""
    if code < 0x20 or 0xD800 <= code <= 0xDFFF or code >= 0x110000:
        return "\ufffd"
    return chr(code)


def run_font(run: etree._Element | None) -> str | None:
    """The symbol font a run is set in (direct formatting only), else None."""
    if run is None:
        return None
    fonts = run.find(_RFONTS)
    if fonts is None:
        return None
    for attr in _FONT_ATTRS:
        name = fonts.get(attr)
        if name and name.strip().lower() in SYMBOL_FONTS:
            return name
    return None


def map_run_text(text: str, font: str) -> str:
    return "".join(glyph(font, ord(c)) or c for c in text)


def glyph_state(text: str, checked: str = "", unchecked: str = "") -> bool | None:
    """True/False when `text` is one tick-box glyph, else None; explicit glyphs win."""
    t = text.strip()
    if len(t) != 1:
        return None
    if t == checked:
        return True
    if t == unchecked:
        return False
    if t in TICKED:
        return True
    if t in UNTICKED:
        return False
    return None
