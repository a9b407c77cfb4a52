"""Modifiers in the wordings the thirty-sixth to thirty-eighth blind sets showed missing
after their verdicts (taxonomy 2027.1.4; docs/evaluation.md, "Modifiers in more
wordings"): critical infrastructure that "does not count" or "queda fuera", or is
"essentielle"; a transition written as proceedings no Party may initiate against a named
Party, as a Party that "no podrá ser demandada", or as "ne peut faire l'objet d'aucune
procédure"; a period named once and then referred back to ("during that period", "durante
ese plazo"); scope articles that "do not cover" information held by or for a Party or a
Member, or public archives; "no se someterán" to dispute settlement. The clauses are the
team's own.
"""

from __future__ import annotations

import pytest

from tests.conftest import assert_modifier_read

#: (language, modifier, text, whether the modifier is there)
CASES = [
    ("en", "critical_infrastructure_excluded",
     "No Party shall require access to the source code of mass-market software as a "
     "condition for its sale. Software that runs critical infrastructure does not count as "
     "mass-market software for this Article.", True),
    ("es", "critical_infrastructure_excluded",
     "Ninguna Parte exigirá el acceso al código fuente de programas de venta masiva; quedan "
     "fuera de esta obligación los programas que gestionan infraestructuras críticas.", True),
    ("fr", "critical_infrastructure_excluded",
     "Aucune Partie n'exige l'accès au code source d'un logiciel grand public, sauf s'il "
     "s'agit d'un logiciel servant à des infrastructures essentielles.", True),
    ("en", "temporary_exemption",
     "Neither Party shall initiate proceedings under Chapter 18 (Dispute Settlement) against "
     "Tonga in respect of Article 7.4 for four years after this Agreement enters into force "
     "for Tonga.", True),
    ("es", "temporary_exemption",
     "Honduras contará con un plazo de dos años para adecuar su legislación al artículo 6.3. "
     "Durante ese plazo, ninguna Parte podrá iniciar procedimientos de solución de "
     "controversias contra Honduras respecto de dicho artículo.", True),
    ("es", "no_dispute_settlement",
     "Honduras contará con un plazo de dos años para adecuar su legislación al artículo 6.3. "
     "Durante ese plazo, ninguna Parte podrá iniciar procedimientos de solución de "
     "controversias contra Honduras respecto de dicho artículo.", False),
    ("es", "temporary_exemption",
     "Durante los cuatro años siguientes a la entrada en vigor, la República de Panamá no "
     "podrá ser demandada conforme al Capítulo 19 por incumplimiento del artículo 8.2.",
     True),
    ("es", "temporary_exemption",
     "Durante un período de tres años, ningún Miembro podrá recurrir a la solución de "
     "diferencias contra el Miembro R respecto del artículo 4.", True),
    ("fr", "temporary_exemption",
     "Le Membre V bénéficie d'une période de transition de deux ans pendant laquelle "
     "l'article 6 ne peut faire l'objet d'aucune procédure de règlement des différends à "
     "son encontre.", True),
    ("en", "government_information_excluded",
     "This Chapter does not cover: (a) purchases by government bodies for their own use; "
     "(b) information held or processed by or on behalf of a Member.", True),
    ("en", "government_information_excluded",
     "Paragraph 1 does not apply to public archives or to the records of state bodies, "
     "which a Party may require to be kept in its territory.", True),
    ("es", "no_dispute_settlement",
     "Las controversias sobre la interpretación de este Capítulo no se someterán al "
     "Capítulo 22 (Solución de Controversias).", True),
]


@pytest.mark.parametrize(("lang", "modifier", "text", "present"), CASES)
def test_modifier_wordings(lang, modifier, text, present):
    assert_modifier_read(lang, modifier, text, present)
