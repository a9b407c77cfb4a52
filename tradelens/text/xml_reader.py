"""XML agreements: the ToTA schema, with a generic fallback for other vocabularies.

The parser never resolves entities, loads DTDs or touches the network: treaty XML comes
from many hands, and an entity bomb or an external entity must not be able to hang the
batch or read local files.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from tradelens.errors import InputError
from tradelens.models import Block, Document
from tradelens.text.metadata import default_agreement_id

_BLOCK_TAGS = frozenset({"p", "para", "paragraph", "article", "section", "heading", "title",
                         "num", "content", "li", "item", "h1", "h2", "h3", "h4"})


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, remove_comments=True, remove_pis=True,
    )


def parse_xml_safely(path: Path, data: bytes) -> etree._Element:
    """Parse untrusted XML bytes; any DTD entity declaration is refused outright."""
    head = data[:65536].upper()
    if any(mark in head for mark in (b"<!ENTITY", "<!ENTITY".encode("utf-16-le"),
                                     "<!ENTITY".encode("utf-16-be"))):
        raise InputError(path, "XML declares entities; refused (entities are never expanded)")
    try:
        return etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise InputError(path, f"malformed XML ({exc.msg})") from exc


def read_xml(path: Path) -> Document:
    root = parse_xml_safely(path, path.read_bytes())
    if root.tag == "treaty" and root.find("body") is not None:
        return _read_tota(path, root)
    if etree.QName(root).localname == "akomaNtoso":
        return _read_akoma_ntoso(path, root)
    return _read_generic(path, root)


def _text(element: etree._Element | None) -> str | None:
    if element is None:
        return None
    value = " ".join("".join(element.itertext()).split())
    return value or None


def _read_tota(path: Path, root: etree._Element) -> Document:
    """ToTA: treaty/meta + body/chapter/article; article_identifier is the source key."""
    meta = root.find("meta")
    parties = [p.text.strip() for p in root.iterfind("meta/parties/partyisocode") if p.text]
    original = [p.text.strip() for p in root.iterfind("meta/parties_original/partyisocode")
                if p.text]
    blocks: list[Block] = []
    for chapter in root.iterfind("body/chapter"):
        blocks.append(Block(kind="chapter", text=chapter.get("name") or "",
                            title=chapter.get("name"), number=chapter.get("number"),
                            source_ref=chapter.get("chapter_identifier")))
        for article in chapter.iterfind("article"):
            blocks.append(Block(
                kind="article",
                text="".join(article.itertext()),
                source_ref=article.get("article_identifier"),
                number=article.get("number"),
                title=article.get("name"),
            ))
    if not any(b.kind == "article" and b.text.strip() for b in blocks):
        raise InputError(path, "ToTA XML without any article text")
    return Document(
        agreement_id=default_agreement_id(path),
        source=str(path),
        format="xml-tota",
        blocks=blocks,
        title=_text(meta.find("name")) if meta is not None else None,
        language=_text(meta.find("language")) if meta is not None else None,
        date_signed=_text(meta.find("date_signed")) if meta is not None else None,
        parties=parties,
        parties_original=original,
        date_into_force=_text(meta.find("date_into_force")) if meta is not None else None,
        date_inactive=_text(meta.find("date_inactive")) if meta is not None else None,
        treaty_status=_text(meta.find("status")) if meta is not None else None,
    )


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _child(element: etree._Element, name: str) -> etree._Element | None:
    return next((c for c in element if _local(c) == name), None)


def _read_akoma_ntoso(path: Path, root: etree._Element) -> Document:
    """Akoma Ntoso (OASIS LegalDocML): chapters, articles with num/heading, eId as source."""
    blocks: list[Block] = []
    for element in root.iter():
        name = _local(element)
        if name in ("chapter", "part", "annex") and _child(element, "num") is not None:
            blocks.append(Block(kind="chapter", text="", number=_text(_child(element, "num")),
                                title=_text(_child(element, "heading")),
                                source_ref=element.get("eId")))
        elif name == "article":
            lines = []
            for item in element.iter():
                local = _local(item)
                if local in ("paragraph", "point", "subparagraph") or (
                        local == "content" and item.getparent() is element):
                    number = _text(_child(item, "num")) or ""
                    own = [_text(c) or "" for c in item
                           if _local(c) in ("content", "intro", "p", "wrapUp")]
                    text = " ".join(t for t in own if t)
                    if text or number:
                        lines.append(f"{number} {text}".strip())
            body = "\n\n".join(lines) or (_text(element) or "")
            blocks.append(Block(kind="article", text=body, number=_text(_child(element, "num")),
                                title=_text(_child(element, "heading")),
                                source_ref=element.get("eId")))
    if not any(b.kind == "article" and b.text.strip() for b in blocks):
        raise InputError(path, "Akoma Ntoso XML without any article text")
    title = next((_text(e) for e in root.iter() if _local(e) == "docTitle"), None)
    return Document(agreement_id=default_agreement_id(path), source=str(path),
                    format="xml-akn", blocks=blocks, title=title)


def _read_generic(path: Path, root: etree._Element) -> Document:
    """Any other XML: text of block-like elements, in document order, as lines."""
    lines: list[str] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = etree.QName(element).localname.lower()
        if tag in _BLOCK_TAGS and not any(
            isinstance(c.tag, str) and etree.QName(c).localname.lower() in _BLOCK_TAGS
            for c in element
        ):
            text = "".join(element.itertext()).strip()
            if text:
                lines.extend(text.splitlines())
                lines.append("")
    if not any(line.strip() for line in lines):
        lines = "".join(root.itertext()).splitlines()
    if not any(line.strip() for line in lines):
        raise InputError(path, "XML without any text")
    title_element = root.find(".//title")
    return Document(
        agreement_id=default_agreement_id(path),
        source=str(path),
        format="xml",
        blocks=[Block(kind="line", text=line) for line in lines],
        title=_text(title_element),
    )
