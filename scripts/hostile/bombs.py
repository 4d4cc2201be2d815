"""Decompression and allocation bombs, one or more per upload type, made here and sent to a running
server: each must be refused with a 4xx and a stable code, and the server's resident memory must
grow by less than 64 MiB while it is refused (files are parsed in worker processes)."""

import io
import struct
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor

from server import AUTHOR, HSE, PeakRss

MIB = 1024 * 1024
LIMIT_KIB = 64 * 1024


def zlib_of(data_chunks, level=9):
    z = zlib.compressobj(level)
    out = [z.compress(chunk) for chunk in data_chunks]
    out.append(z.flush())
    return b"".join(out)


def spaces(total, chunk=MIB):
    for _ in range(total // chunk):
        yield b" " * chunk


def pdf(objects, xref_extra=b""):
    """A PDF of numbered object bodies with a classic cross-reference table."""
    out = bytearray(b"%PDF-1.5\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for at in offsets:
        out += f"{at:010d} 00000 n \n".encode()
    out += f"trailer\n<</Size {len(objects) + 1}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def stream(data, extra=b""):
    return b"<</Length %d%s>>stream\n" % (len(data), extra) + data + b"\nendstream"


PAGE = [
    b"<</Type/Catalog/Pages 2 0 R>>",
    b"<</Type/Pages/Kids[3 0 R]/Count 1/MediaBox[0 0 595 842]>>",
    b"<</Type/Page/Parent 2 0 R/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
]
FONT = b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"


def pdf_object_stream_bomb():
    """The reported one: an object stream that inflates to 286 MiB, about 290 KB on the wire."""
    text = b"BT /F1 10 Tf 56 790 Td (Warehouse associate) Tj ET"
    data = zlib_of([b"6 0 ("] + list(spaces(286 * MIB)) + [b")"])
    objstm = stream(data, b"/Type/ObjStm/N 1/First 4/Filter/FlateDecode")
    return pdf(PAGE + [stream(text), FONT, objstm])


def pdf_page_content_bomb():
    """A page whose content stream inflates to 400 MiB of text operators."""
    chunk = b"BT ET " * (MIB // 6)
    data = zlib_of([chunk] * 400)
    return pdf(PAGE + [stream(data, b"/Filter/FlateDecode"), FONT])


def pdf_nested_bomb():
    """Zlib inside zlib: 1 GiB of spaces in a few kilobytes."""
    inner = zlib_of(spaces(1024 * MIB))
    data = zlib_of([inner])
    return pdf(PAGE + [stream(data, b"/Filter[/FlateDecode/FlateDecode]"), FONT])


def lying_zip(name, body_chunks, claim=1024, extra_files=()):
    """A zip whose `name` entry really inflates to what `body_chunks` hold, but whose local
    header and central directory both claim `claim` bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for extra_name, extra_body in extra_files:
            z.writestr(extra_name, extra_body)
        with z.open(name, "w", force_zip64=False) as entry:
            for chunk in body_chunks:
                entry.write(chunk)
    data = bytearray(buffer.getvalue())
    encoded = name.encode()
    local = data.find(b"PK\x03\x04" + b"\x14\x00")
    while local >= 0:
        name_len = struct.unpack_from("<H", data, local + 26)[0]
        if data[local + 30 : local + 30 + name_len] == encoded:
            struct.pack_into("<I", data, local + 22, claim)
            break
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        name_len = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + name_len] == encoded:
            struct.pack_into("<I", data, central + 24, claim)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def docx_bomb():
    head = [b"<w:document><w:body><w:p><w:r><w:t>"]
    return lying_zip("word/document.xml", head + list(spaces(500 * MIB)))


XLSX_PARTS = [
    (
        "[Content_Types].xml",
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    ),
    (
        "_rels/.rels",
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    ),
    (
        "xl/workbook.xml",
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Credentials" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    (
        "xl/_rels/workbook.xml.rels",
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    ),
]
SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_TAIL = "</sheetData></worksheet>"


def xlsx(sheet_xml, shared=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, body in XLSX_PARTS:
            z.writestr(name, body)
        if shared is not None:
            z.writestr("xl/sharedStrings.xml", shared)
        if isinstance(sheet_xml, str):
            z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        else:
            with z.open("xl/worksheets/sheet1.xml", "w") as entry:
                for chunk in sheet_xml:
                    entry.write(chunk)
    return buffer.getvalue()


def inline(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def xlsx_far_corner():
    """A1 and XFD1048576: a dense grid of them would be 512 GiB."""
    rows = f'<row r="1">{inline("A1", "email")}</row><row r="1048576">{inline("XFD1048576", "x")}</row>'
    return xlsx(SHEET_HEAD + rows + SHEET_TAIL)


def xlsx_wide_corner():
    """The reported one: A1 and XFD600 (506 MiB as a grid)."""
    rows = f'<row r="1">{inline("A1", "email")}</row><row r="600">{inline("XFD600", "x")}</row>'
    return xlsx(SHEET_HEAD + rows + SHEET_TAIL)


def xlsx_repeated_shared_string():
    """One 500-character shared string in 20 columns of 50,000 rows: half a billion characters
    from a file of a few hundred kilobytes."""
    shared = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>'
        + "x" * 500
        + "</t></si></sst>"
    )
    columns = [chr(ord("A") + i) for i in range(20)]

    def sheet():
        yield SHEET_HEAD.encode()
        for r in range(1, 50_001):
            cells = "".join(f'<c r="{c}{r}" t="s"><v>0</v></c>' for c in columns)
            yield f'<row r="{r}">{cells}</row>'.encode()
        yield SHEET_TAIL.encode()

    return xlsx(sheet(), shared)


def xlsx_lying_zip():
    body = [SHEET_HEAD.encode()] + list(spaces(600 * MIB)) + [SHEET_TAIL.encode()]
    return lying_zip("xl/worksheets/sheet1.xml", body, extra_files=XLSX_PARTS)


def csv_rows_bomb():
    return b"email,credential,issuer,issued_on\n" + b"a\n" * (9 * MIB)


def csv_columns_bomb():
    return b"email" + b",x" * (9 * MIB) + b"\n"


# (name, endpoint, who, file, expected status, expected codes)
REQUISITION = "/api/v1/requisitions/upload?title=Bomb"
IMPORT = "/api/v1/imports/credentials?dry_run=true"
CASES = [
    ("PDF object stream (286 MiB)", REQUISITION, AUTHOR, pdf_object_stream_bomb, {"expands_too_large"}),
    ("PDF page contents (400 MiB)", REQUISITION, AUTHOR, pdf_page_content_bomb, {"expands_too_large"}),
    ("PDF zlib in zlib (1 GiB)", REQUISITION, AUTHOR, pdf_nested_bomb, {"expands_too_large"}),
    ("DOCX with lying sizes (500 MiB)", REQUISITION, AUTHOR, docx_bomb, {"expands_too_large", "damaged_document"}),
    ("XLSX A1 + XFD1048576", IMPORT, HSE, xlsx_far_corner, {"import_file_refused"}),
    ("XLSX A1 + XFD600", IMPORT, HSE, xlsx_wide_corner, {"import_file_refused"}),
    ("XLSX one shared string everywhere", IMPORT, HSE, xlsx_repeated_shared_string, {"import_file_refused"}),
    ("XLSX with lying sizes (600 MiB)", IMPORT, HSE, xlsx_lying_zip, {"import_file_refused"}),
    ("CSV of 9 million rows", IMPORT, HSE, csv_rows_bomb, {"import_file_refused"}),
    ("CSV of 9 million columns", IMPORT, HSE, csv_columns_bomb, {"import_file_refused"}),
]


def send(server, token, endpoint, body):
    r = server.call(
        "POST", endpoint, token, data=body, headers={"content-type": "application/octet-stream"}
    )
    try:
        code = r.json().get("code")
    except ValueError:
        code = None
    return r.status_code, code


def check(server):
    """Every bomb refused with a 4xx, the server's RSS growing by less than 64 MiB each time;
    then two at once. Returns the failures."""
    failures = []
    tokens = {who: server.sign_in(who) for who in {AUTHOR, HSE}}
    for name, endpoint, who, make, codes in CASES:
        body = make()
        with PeakRss(server) as rss:
            status, code = send(server, tokens[who], endpoint, body)
        line = f"{name}: {len(body) // 1024} KB -> {status} {code}, server RSS +{rss.grown_kib // 1024} MiB"
        print("  " + line, flush=True)
        if not (400 <= status < 500 and code in codes):
            failures.append(f"{line} (expected a 4xx with {sorted(codes)})")
        if rss.grown_kib >= LIMIT_KIB:
            failures.append(f"{line} (grew by 64 MiB or more)")
    # Two PDF bombs at once, from one account (its share of analyses).
    bomb = pdf_object_stream_bomb()
    with PeakRss(server) as rss, ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: send(server, tokens[AUTHOR], REQUISITION, bomb), range(2)))
    line = f"two PDF bombs at once -> {results}, server RSS +{rss.grown_kib // 1024} MiB"
    print("  " + line, flush=True)
    if any(not 400 <= s < 500 for s, _ in results) or rss.grown_kib >= LIMIT_KIB:
        failures.append(line)
    return failures
