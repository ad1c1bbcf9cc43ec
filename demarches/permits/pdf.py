"""A minimal valid PDF of text lines (Helvetica, A4, several pages if needed), for the decision letters.

Only the WinAnsi characters of French text are kept; no dependency needed for a letter.
"""

import textwrap

PAGE_WIDTH, PAGE_HEIGHT = 595, 842
MARGIN, LEADING, SIZE = 60, 16, 11
LINES_PER_PAGE = (PAGE_HEIGHT - 2 * MARGIN) // LEADING
WRAP = 88


def _escape(line):
    data = line.encode("cp1252", errors="replace")
    return data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _wrap(lines):
    out = []
    for line in lines:
        out.extend(textwrap.wrap(line, WRAP) or [""])
    return out


def text_pdf(lines, title=""):
    """Bytes of a PDF showing `lines` (long lines wrapped)."""
    lines = _wrap(lines)
    pages = [lines[i:i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)] or [[]]
    objects = []  # bodies of objects 1..n

    def add(body):
        objects.append(body)
        return len(objects)

    catalog = add(None)
    pages_obj = add(None)
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    page_ids = []
    for page_lines in pages:
        stream = [b"BT", f"/F1 {SIZE} Tf {LEADING} TL {MARGIN} {PAGE_HEIGHT - MARGIN} Td".encode()]
        for line in page_lines:
            stream.append(b"(" + _escape(line) + b") Tj T*")
        stream.append(b"ET")
        content = b"\n".join(stream)
        content_id = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        page_ids.append(add(
            f"<< /Type /Page /Parent {pages_obj} 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {content_id} 0 R >>".encode()
        ))
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages_obj} 0 R >>".encode()
    kids = " ".join(f"{pid} 0 R" for pid in page_ids)
    objects[pages_obj - 1] = f"<< /Type /Pages /Kids [{kids}] /Count {len(page_ids)} >>".encode()
    info = add(b"<< /Title (" + _escape(title) + b") /Producer (Biodiversitheque) >>")

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R /Info {info} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
