"""Payment service providers, data sent to the other Party, and the wording of exchanges
and of no obligation (taxonomy 2027.1.26; docs/evaluation.md, 0.17.28).

"Payment service providers" named no financial sector. "Transfer payment data to the
other Party" and "transférer au-delà de ses frontières les données" named no data flow,
while "data centres located in the other Party" read as localisation. "Will exchange
experiences", "étudieront ensemble" and "échangeront leurs points de vue" were no
statements the rules knew. JJ also let the financial and telecommunications sector
limits soften every category; the review of 0.17.28 found the sector named in passing
("including software used by banks ... payment service providers"), so the mends put
them back on data flows and localisation. The clauses are the team's own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import (
    assert_read_only_now,
    by_the_rules,
    decision_alone,
    taxonomy_without,
)
from tradelens.classify.modifiers import modifier_evidence
from tradelens.taxonomy import load_taxonomy

MARKERS = ("2027.1.26: payment service providers and payment institutions",
           "2027.1.26: proveedores de servicios de pago y entidades de pago",
           "2027.1.26: prestataires de services de paiement et établissements de paiement",
           "2027.1.26: data transferred to the other Party (or to data centres there), and "
           "beyond its borders before the data are named",
           "2027.1.26: datos transferidos a la otra Parte (o a centros de datos situados en "
           "ella)",
           "2027.1.26: données transférées vers l'autre Partie, ou au-delà des frontières "
           "avant que les données soient nommées",
           "2027.1.26: data centres located in the other Party, where data are transferred",
           "2027.1.26: centros de datos situados en la otra Parte, adonde se transfieren los "
           "datos",
           "2027.1.26: des centres de données situés chez l'autre Partie, où les données "
           "sont transférées",
           "2027.1.26: experiences exchanged, approaches discussed",
           "2027.1.26: experiencias intercambiadas, puntos de vista",
           "2027.1.26: expériences échangées, points de vue, études conjointes",
           "2027.1.26: ninguna Parte obligada")

#: (language, category, clause, modifier or None): a sector limit where the rule is
#: addressed to the sector, none where the sector is named in passing.
SECTOR = [
    ("en", "server_location",
     "No Party shall require a payment service provider of the other Party to locate its "
     "processing servers in the Party's territory.", "financial_services_only"),
    ("en", "source_code_secrecy",
     "No Party shall require the transfer of the source code of software, including "
     "software used by banks and payment service providers, as a condition for its "
     "import.", None),
    ("en", "data_free_flow",
     "Each Party shall allow the cross-border transfer of information by electronic "
     "means, recognising that payment service providers and retailers depend on such "
     "transfers.", None),
]

#: (language, text): payment providers now a financial-sector limit.
PAYMENTS = [
    ("en", "Each Party shall allow payment service providers of the other Party to send "
           "transaction data abroad for processing."),
    ("es", "Cada Parte permitirá que los proveedores de servicios de pago de la otra Parte "
           "envíen al exterior los datos de las operaciones para su procesamiento."),
    ("fr", "Chaque Partie permet aux prestataires de services de paiement de l'autre Partie "
           "d'envoyer à l'étranger les données des opérations pour leur traitement."),
]

#: (language, category, clause, strength): read by the rules with 2027.1.26, not before.
READ = [
    ("en", "data_free_flow",
     "An enterprise of a Party shall have the right to transfer cardholder data to the "
     "other Party for the settlement of transactions.", "hard"),
    ("es", "data_free_flow",
     "Ninguna Parte impedirá que una empresa transfiera los datos de sus clientes a centros "
     "de datos situados en la otra Parte cuando ello sea necesario para prestar el "
     "servicio.", "hard"),
    ("fr", "data_free_flow",
     "Chaque Partie permet aux prestataires agréés de l'autre Partie de transférer au-delà "
     "de ses frontières les données d'opérations nécessaires au règlement d'un achat.",
     "hard"),
    ("en", "data_free_flow",
     "The Participants will exchange experiences on how to support flows of health data "
     "across borders while protecting patients' privacy.", "soft"),
    ("fr", "data_free_flow",
     "Les Participants étudieront ensemble les moyens de faciliter la circulation "
     "transfrontière des données de recherche.", "soft"),
    ("fr", "server_location",
     "Les Participants échangeront leurs points de vue sur les obligations d'implanter "
     "localement les serveurs.", "soft"),
]

#: No finding by the rules: (language, category, clause).
NONE = [
    # an authority's data, not a firm's (the review of 0.17.28)
    ("en", "data_free_flow",
     "The customs administration of each Party shall transfer the declaration data of "
     "operators to the other Party within five days."),
    # the data centres are in the other Party: a transfer, not localisation
    ("en", "server_location",
     "Neither Party shall prevent a supplier of cloud services from transferring its "
     "customers' data to data centres located in the other Party."),
    # no Party obliged
    ("fr", "data_free_flow",
     "Le présent chapitre n'oblige aucune des Parties à autoriser le transfert de données "
     "personnelles vers le territoire de l'autre Partie."),
    ("es", "data_free_flow",
     "Las disposiciones de este Capítulo no obligan a ninguna de las Partes a permitir la "
     "transferencia de datos personales a la otra Parte."),
]


@pytest.mark.parametrize("lang, category, text, modifier", SECTOR)
def test_a_sector_limit_where_the_rule_is_addressed_to_the_sector(pipelines, lang: str,
                                                                  category: str, text: str,
                                                                  modifier: str | None):
    found = decision_alone(pipelines[0], lang, text, category)
    assert by_the_rules(found), found.reason
    sectors = {m.modifier for m in found.finding.modifiers} & {
        "financial_services_only", "telecommunications_only"}
    assert sectors == ({modifier} if modifier else set())


@pytest.mark.parametrize("lang, text", PAYMENTS)
def test_payment_service_providers_are_a_financial_sector(tmp_path: Path, lang: str,
                                                         text: str):
    now = load_taxonomy()
    before = load_taxonomy(taxonomy_without(tmp_path / "t", *MARKERS))
    assert modifier_evidence(now.modifiers["financial_services_only"], None, text, lang)
    assert not modifier_evidence(before.modifiers["financial_services_only"], None, text,
                                 lang)


@pytest.mark.parametrize("lang, category, text, strength", READ)
def test_read_only_now(pipelines, lang: str, category: str, text: str, strength: str):
    assert_read_only_now(pipelines, lang, text, category, strength)


@pytest.mark.parametrize("lang, category, text", NONE)
def test_no_finding_by_the_rules(pipelines, lang: str, category: str, text: str):
    assert not by_the_rules(decision_alone(pipelines[0], lang, text, category))


#: Still hard after the review's mends: (language, category, clause).
STILL_HARD = [
    # a real ban that names data centres in the other Party
    ("en", "server_location",
     "No Party shall require a covered person to store its data in data centres located "
     "in its territory rather than in data centres located in the other Party."),
    # an exchange of experiences beside a binding rule
    ("en", "data_free_flow",
     "The Parties shall exchange experiences on data governance, and each Party shall "
     "allow the cross-border transfer of information by electronic means."),
    # a carve-out inside a binding French sentence
    ("fr", "data_free_flow",
     "Le présent article n'oblige aucune Partie à autoriser le transfert de données de "
     "santé, mais chaque Partie autorise le transfert transfrontière d'informations par "
     "voie électronique pour les besoins des activités d'une personne visée."),
]


@pytest.mark.parametrize("lang, category, text", STILL_HARD)
def test_rules_the_review_found_lost_stay_hard(pipelines, lang: str, category: str,
                                               text: str):
    found = decision_alone(pipelines[0], lang, text, category)
    assert by_the_rules(found) and found.finding.strength == "hard", found.reason
