"""The preamble of an amending instrument, which introduces a rule it does not state.

A protocol, a joint committee's decision or an accession instrument states a new rule by
quoting it after a preamble: "Paragraph 1 of Article 12.7 is replaced by the following:
'1. No Party shall ...'", "Se incorpora al Capítulo 13 el siguiente artículo: «...»",
"L'article 8.4 est ainsi rédigé : « ... »". The preamble's sentence runs on into the
quoted rule (a colon and a quotation mark end no sentence), so the rules read the rule and
its proviso as one sentence that opens with the preamble: an exception ("unless ...
necessary") then seemed to open the clause, and the binding words of the quoted rule
were never read as the rule's. Blanking the preamble leaves the quoted text to be read as
the clause it is, as if it stood in the amended agreement.

`blank_amending_preambles` keeps the text's length, so offsets hold. A preamble is one
sentence (from the text's start or after a full stop or semicolon) that names a provision
(article, paragraph, chapter, annex ...) and says that it is replaced, amended, inserted,
added or to read as follows, ending with a colon and, if any, an opening quotation mark.
"""

from __future__ import annotations

import re

#: Any character of a preamble's sentence: not a colon, semicolon or opening quotation mark
#: (a preamble never runs on into the rule it quotes), and a full stop only inside a number
#: ("Article 12.7"); an apostrophe inside a word ("l'article") is a letter.
_QUOTES = "«“\"‘"
_IN_SENTENCE = rf"(?:[^.:;{_QUOTES}']|\.(?=\d)|(?<=\w)'(?=\w))"
#: The provisions a preamble names.
_PROVISION = (r"(?:articles?|paragraphs?|sub-?paragraphs?|chapters?|sections?|annex(?:es)?"
              r"|footnotes?|text|art[íi]culos?|p[áa]rrafos?|apartados?|incisos?|cap[íi]tulos?"
              r"|secci[óo]n(?:es)?|anexos?|notas?|texto|paragraphes?|alin[ée]as?|chapitres?"
              r"|annexes?|texte)")
#: What a preamble does to the provision, in English, Spanish and French.
_AMENDS = (
    r"(?:(?:is|are|shall\s+be|be)\s+(?:hereby\s+)?(?:deleted\s+and\s+)?"
    r"(?:replaced|amended|supplemented|modified|inserted|added)"
    r"|(?:shall|is\s+to|will)\s+(?:now\s+)?read|reads"
    r"|(?:se\s+)?(?:sustituye|reemplaza|modifica|a[ñn]ade|agrega|incorpora|inserta|adiciona)n?"
    r"|(?:es|son|ser[áa]n?|queda(?:r[áa])?n?)\s+(?:sustituid|reemplazad|modificad|redactad"
    r"|a[ñn]adid|incorporad|insertad)[oa]s?"
    r"|(?:est|sont|sera|seront)\s+(?:ainsi\s+)?(?:remplac|modifi|compl[ée]t|ins[ée]r|ajout"
    r"|r[ée]dig)[ée]+e?s?"
    r"|il\s+est\s+(?:ajout|ins[ée]r)[ée])"
)
#: A sentence that binds someone is a rule, whatever it says is amended ("Each Party shall
#: ensure that its law is amended as follows: ...", "No Party shall require that code
#: which is modified ... the following: ..."): a modal other than the amending "shall be
#: replaced" or "shall read", "ensure", or a Party as subject.
_BINDS = (r"(?:shall\s+(?!(?:be\s+)?(?:hereby\s+)?(?:deleted|replaced|amended|supplemented"
          r"|modified|inserted|added|read|now)\b)|must|ensure|(?:no|each|neither)\s+party"
          r"|(?:ninguna|cada)\s+parte|(?:aucune|chaque)\s+partie|veill\w*|garantiz\w*"
          r"|asegurar\w*|exig(?:e|en|ent|ir|ir[áa]n?|era|eront|er)|impos(?:e|es|ed|ing|ent"
          r"|era|eront|er)|impon(?:e|en|er|dr[áa]n?)|requir(?:e|es|ed|ing))")
#: The words a preamble may have between its verb and the colon, and nothing else: "by the
#: following", "by adding the following paragraph", "al Capítulo 13 el siguiente artículo",
#: "par le texte suivant", "comme suit", "como sigue", provisions and their numbers.
_TAIL = (r"(?:\s+(?:by|with|as|to|in|after|before|into|the|a|an|new|following|follows|read"
         r"|adding|inserting|replacing|hereby|now|par|por|con|como|comme|ce|qui|suit|sigue"
         r"|lo|el|la|los|las|le|les|un|une|de|del|al|à|au|après|en|siguientes?|suivante?s?"
         r"|nouvel(?:le)?|nuevo|texte|texto|text|así|ainsi|manera|forma|quedar|bis|ter)\b"
         rf"|\s+(?:l')?{_PROVISION}\b|\s+[\d.]+\w*|,)*")
_PREAMBLE = re.compile(
    rf"(?:^|(?<=[.;]\s))(?!{_IN_SENTENCE}*?\b{_BINDS}\b)"
    rf"(?={_IN_SENTENCE}{{0,240}}?\b{_PROVISION}\b){_IN_SENTENCE}{{0,240}}?"
    r"(?<!\bthat\s)(?<!\bwhich\s)(?<!\bque\s)(?<!\bqui\s)(?<!\bdont\s)(?<!qu'il\s)"
    rf"\b{_AMENDS}\b{_TAIL}\s*:\s*[«\"“‘']?",
    re.IGNORECASE,
)
#: The amending verb alone, which every preamble contains: most clauses have none, and
#: this plain alternation finds that far faster than the whole pattern.
_VERB = re.compile(rf"\b{_AMENDS}\b", re.IGNORECASE)


def amending_preambles(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each amending preamble in `text`."""
    if ":" not in text or _VERB.search(text) is None:  # exact: a preamble needs both
        return []
    return [m.span() for m in _PREAMBLE.finditer(text)]


def blank_amending_preambles(text: str) -> str:
    """`text` with each amending preamble blanked with spaces (same length)."""
    for start, end in amending_preambles(text):
        text = text[:start] + " " * (end - start) + text[end:]
    return text
