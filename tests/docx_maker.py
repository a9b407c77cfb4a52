"""Build real DOCX files (zipped WordprocessingML) for the tests, by hand and in full.

Each paragraph is given as a small spec so tests can ask for exactly what negotiators'
drafts contain: heading styles, automatic numbering, tracked insertions and deletions,
comments and footnotes.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')


@dataclass
class Para:
    """Runs are (kind, text): kind is 'text', 'ins', 'del', 'note' (footnote), 'comment',
    or Word's own hyphen elements 'nobreak_hyphen' and 'soft_hyphen' (text unused)."""

    runs: list[tuple[str, str]]
    style: str | None = None
    num: tuple[int, int] | None = None  # (numId, level)
    extra: list[str] = field(default_factory=list)


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _paragraph(p: Para, notes: list[str], comments: list[str]) -> str:
    ppr = ""
    if p.style or p.num:
        style = f'<w:pStyle w:val="{p.style}"/>' if p.style else ""
        num = (f'<w:numPr><w:ilvl w:val="{p.num[1]}"/><w:numId w:val="{p.num[0]}"/></w:numPr>'
               if p.num else "")
        ppr = f"<w:pPr>{style}{num}</w:pPr>"
    body = []
    for kind, text in p.runs:
        if kind == "text":
            body.append(_run(text))
        elif kind == "ins":
            body.append(f'<w:ins w:id="9{len(body)}" w:author="Party A">{_run(text)}</w:ins>')
        elif kind == "del":
            body.append(f'<w:del w:id="8{len(body)}" w:author="Party B"><w:r><w:delText '
                        f'xml:space="preserve">{escape(text)}</w:delText></w:r></w:del>')
        elif kind == "note":
            notes.append(text)
            body.append(f'<w:r><w:footnoteReference w:id="{len(notes)}"/></w:r>')
        elif kind in ("nobreak_hyphen", "soft_hyphen"):
            element = "noBreakHyphen" if kind == "nobreak_hyphen" else "softHyphen"
            body.append(f"<w:r><w:{element}/></w:r>")
        elif kind == "comment":
            comments.append(text)
            n = len(comments) - 1
            body.append(f'<w:commentRangeStart w:id="{n}"/><w:commentRangeEnd w:id="{n}"/>'
                        f'<w:r><w:commentReference w:id="{n}"/></w:r>')
    return f"<w:p>{ppr}{''.join(body)}</w:p>"


_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {_NS}>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>
<w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/>
<w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
</w:styles>"""

# numId 1: '1.' then '(a)' then '(i)'; numId 2: 'Article 5.1', 'Article 5.2', ...
_NUMBERING = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering {_NS}>
<w:abstractNum w:abstractNumId="10">
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
<w:lvlText w:val="%1."/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>
<w:lvlText w:val="(%2)"/></w:lvl>
<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/>
<w:lvlText w:val="(%3)"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="20">
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
<w:lvlText w:val="Article 5.%1"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="10"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="10"/></w:num>
<w:num w:numId="4"><w:abstractNumId w:val="10"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="20"/></w:num>
</w:numbering>"""


@dataclass
class Table:
    """A table: rows of cells, each cell its paragraphs."""

    rows: list[list[list[Para]]]


def _table(table: Table, notes: list[str], comments: list[str]) -> str:
    return "<w:tbl>" + "".join(
        "<w:tr>" + "".join("<w:tc>" + "".join(_paragraph(p, notes, comments) for p in cell)
                           + "</w:tc>" for cell in row) + "</w:tr>"
        for row in table.rows) + "</w:tbl>"


def write_docx(target: Path, paragraphs: list[Para | Table], title: str = "Draft",
               keywords: str | None = None) -> Path:
    notes: list[str] = []
    comments: list[str] = []
    body = "".join(_table(p, notes, comments) if isinstance(p, Table)
                   else _paragraph(p, notes, comments) for p in paragraphs)
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f"<w:document {_NS}><w:body>{body}<w:sectPr/></w:body></w:document>")
    footnotes = (f'<?xml version="1.0" encoding="UTF-8"?><w:footnotes {_NS}>'
                 '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r>'
                 '</w:p></w:footnote>'
                 + "".join(f'<w:footnote w:id="{n + 1}"><w:p><w:r><w:footnoteRef/></w:r>'
                           f"{_run(' ' + text)}</w:p></w:footnote>"
                           for n, text in enumerate(notes))
                 + "</w:footnotes>")
    comments_xml = (f'<?xml version="1.0" encoding="UTF-8"?><w:comments {_NS}>'
                    + "".join(f'<w:comment w:id="{n}" w:author="Reviewer"><w:p>{_run(text)}'
                              f"</w:p></w:comment>" for n, text in enumerate(comments))
                    + "</w:comments>")
    core = ('<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.'
            'openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.'
            f'org/dc/elements/1.1/"><dc:title>{escape(title)}</dc:title>'
            + (f"<cp:keywords>{escape(keywords)}</cp:keywords>" if keywords else "")
            + "</cp:coreProperties>")
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.document.main+xml"/></Types>')
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("word/document.xml", document)
        archive.writestr("word/styles.xml", _STYLES)
        archive.writestr("word/numbering.xml", _NUMBERING)
        archive.writestr("word/footnotes.xml", footnotes)
        archive.writestr("word/comments.xml", comments_xml)
        archive.writestr("docProps/core.xml", core)
    return target
