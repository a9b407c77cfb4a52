"""Localisation rules that name the place through local, domestic or national facilities
(taxonomy 2027.1.20; docs/evaluation.md, 0.17.22).

A rule against localisation does not always say "in its territory": it can bar the storage
of data "on local facilities", servers "on national soil", the "local establishment of
data centres" or a "local hosting requirement". None of the server-location cues read
those, so the rule, or a dialogue about such rules, was reported as having no rule at all
whenever the topic model was unsure. Each new cue asks for a demand or a verb of setting
up next to the place, so that facilities merely sited in a country are not a rule.
The clauses are the team's own, modelled on digital-trade, investment and cooperation
articles.
"""

from __future__ import annotations

import pytest

from tests.conftest import assert_read_only_now, decision_alone

MARKERS = ("2027.1.20: localisation named through local, domestic or national facilities, "
           "national soil or territory, data-processing centres, information storage "
           "facilities and local hosting requirements",
           "2027.1.20: instalaciones o servidores locales, infraestructuras de "
           "almacenamiento, medios de almacenamiento en su territorio y alojamiento local",
           "2027.1.20: implantation locale, installations ou serveurs locaux, "
           "infrastructures de stockage et hébergeur établi sur le territoire")

#: (language, clause, strength): server-location rules read by the rules now, not before.
READ_NOW = [
    ("en", "The Parties shall discuss measures affecting the location of data-processing "
           "centres and their effect on trade in services.", "soft"),
    ("en", "The Parties shall exchange information on regulations that require cloud "
           "providers to keep customer data on domestic servers.", "soft"),
    ("es", "Ninguna Parte impondrá a un proveedor de la otra Parte requisitos de "
           "alojamiento local como condición para prestar un servicio.", "hard"),
    ("es", "Las Partes examinarán la conveniencia de asumir compromisos sobre la "
           "localización de infraestructuras de almacenamiento de datos.", "soft"),
    ("fr", "Aucune Partie ne subordonne l'octroi d'une licence à l'implantation locale de "
           "serveurs par le fournisseur.", "hard"),
    ("fr", "Aucune Partie n'oblige une entreprise à recourir à un hébergeur établi sur son "
           "territoire.", "hard"),
]


@pytest.mark.parametrize(("lang", "text", "strength"), READ_NOW)
def test_the_rule_is_read_now(pipelines, lang, text, strength):
    assert_read_only_now(pipelines, lang, text, "server_location", strength)


#: Facilities that merely sit in a country, or data kept on local systems with no demand
#: on a firm: the first cues of 2027.1.20 read each of these as a localisation rule.
NOT_LOCALISATION = [
    ("en", "Each Party shall endeavour to protect servers located within national "
           "territory against cyber incidents."),
    ("en", "Each Party shall ensure that the storage of data on local facilities by its "
           "public bodies complies with its archival laws."),
    ("es", "Las Partes cooperarán para mejorar la seguridad física de los medios de "
           "almacenamiento de información situados en su territorio."),
    ("fr", "Les Parties coopèrent en vue d'améliorer l'efficacité énergétique de "
           "l'implantation locale de centres de données."),
]


@pytest.mark.parametrize(("lang", "text"), NOT_LOCALISATION)
def test_facilities_sited_in_the_country_are_no_rule(pipelines, lang, text):
    found = decision_alone(pipelines[0], lang, text, "server_location")
    assert found.outcome != "finding", found.reason
