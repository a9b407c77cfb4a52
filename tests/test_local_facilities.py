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

from tests.conftest import assert_read_only_now, by_the_rules, decision_alone

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


#: Facilities that merely sit in a country, data kept on local systems with no demand on a
#: firm, storage and processing of other things than data, lodging, and a Party's freedom
#: to require local hosting: the first cues of 2027.1.20, or its review's, read each of
#: these as a localisation rule.
NOT_LOCALISATION = [
    ("en", "The Parties shall cooperate to reduce the energy consumption associated with the "
           "siting of data-processing centres."),
    ("en", "Each Party shall ensure that customs authorities use non-intrusive inspection "
           "equipment in-country at all major ports of entry."),
    ("en", "Each Party shall ensure that local storage obligations for emergency oil stocks "
           "are met by importers."),
    ("en", "The Parties affirm that a Party may impose local hosting requirements on "
           "providers serving its government."),
    ("en", "Each Party shall ensure that its data protection authority can require the "
           "hosting of personal data on domestic servers when it suspends a transfer."),
    ("es", "Las Partes cooperarán en la planificación de la localización de las "
           "infraestructuras de almacenamiento de gas natural."),
    ("es", "Las Partes podrán mantener requisitos de alojamiento local para los trabajadores "
           "temporeros agrícolas."),
    ("es", "Las Partes reconocen que cada Parte puede imponer requisitos de alojamiento local "
           "para la información clasificada."),
    ("fr", "Les Parties coopèrent à la planification de la localisation des infrastructures "
           "de stockage de gaz naturel."),
    ("fr", "Les Parties encouragent les touristes à choisir un hébergeur installé sur leur "
           "territoire."),
    ("fr", "Les Parties reconnaissent que chaque Partie peut exiger l'implantation locale de "
           "centres de données pour les services publics essentiels."),
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


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "No Party may require that a covered person host its customer data on domestic "
           "servers as a condition for doing business."),
    ("es", "Ninguna Parte podrá imponer requisitos de alojamiento local a un proveedor de "
           "servicios de la otra Parte."),
    ("fr", "Aucune Partie ne peut subordonner une licence au recours à un hébergeur établi "
           "sur son territoire."),
])
def test_a_party_that_may_not_require_it_is_bound(pipelines, lang, text):
    """The guard against a Party's freedom ("may require") spares the ban ("No Party may
    require", "Ninguna Parte podrá", "ne peut")."""
    found = decision_alone(pipelines[0], lang, text, "server_location")
    assert by_the_rules(found) and found.finding.strength == "hard", found.reason
