"""Small PDFs written byte by byte, for the limits: many pages, many objects,
Flate streams that inflate a lot, pages slow to read."""

from __future__ import annotations

import zlib


def simple_pdf(contents: list[bytes], *, flate: int = 0, extra_objects: int = 0, size: int = 842) -> bytes:
    """One page per content stream (``size`` pt square), each stream Flate-compressed ``flate``
    times, plus ``extra_objects`` unused objects; a correct xref table."""
    objects: list[bytes] = []
    pages = len(contents)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode())
    for i, content in enumerate(contents):
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {size} {size}] /Contents {4 + 2 * i} 0 R "
                       f"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> "
                       f">>".encode())
        data = content
        for _ in range(flate):
            data = zlib.compress(data, 9)
        filters = "" if not flate else f" /Filter [{' '.join(['/FlateDecode'] * flate)}]"
        objects.append(f"<< /Length {len(data)}{filters} >>\nstream\n".encode() + data + b"\nendstream")
    objects += [b"null"] * extra_objects
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def grid(lines: int, size: int = 842) -> bytes:
    """A page content (``size`` pt square) of ``lines`` horizontal and ``lines``
    vertical rulings 5 pt apart, each its own path: a table of lines² cells,
    slow to cut into rows."""
    out = [f"BT /F1 9 Tf 20 {size - 15} Td (a slow table) Tj ET".encode(), b"0.5 w"]
    end = 10 + 5 * (lines - 1)
    for i in range(lines):
        at = 10 + 5 * i
        out.append(f"10 {at} m {end} {at} l S".encode())
        out.append(f"{at} 10 m {at} {end} l S".encode())
    return b"\n".join(out)
