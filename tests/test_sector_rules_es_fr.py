"""NAFTA-model sector rules in Spanish and French: telecom users moving information over
public networks across borders, financial institutions sending information abroad for
processing. Before the Spanish and French cues and exemplars for these models, the
classifier reported such clauses as "none" (issue 14); the near misses share their
vocabulary and must stay unfound. All clauses are the team's own wording."""

from __future__ import annotations

import pytest

from tradelens.analysis import Pipeline
from tradelens.models import Clause

FOUND = [
    ("es", "Cada Parte velará por que los proveedores de la otra Parte puedan servirse de las "
           "redes públicas de telecomunicaciones para transmitir información entre su "
           "territorio y el de la otra Parte y a través de sus fronteras, sin más condiciones "
           "que las necesarias para proteger su integridad técnica."),
    # A paragraph whose neighbours the segmenter could not separate: the pricing rule and
    # its proviso come first, the data-flow rule last.
    ("es", "4. Cada Parte asegurará que las tarifas de los servicios públicos de "
           "telecomunicaciones reflejen los costos de prestarlos. Nada de lo anterior impedirá "
           "los subsidios cruzados entre esos servicios. Cada Parte garantizará que los "
           "usuarios de la otra Parte puedan usar dichas redes para enviar datos a través de "
           "sus fronteras y consultar bases de datos situadas en la otra Parte."),
    ("es", "Previa autorización de la autoridad competente cuando su legislación la exija, "
           "cada Parte permitirá a los bancos y aseguradoras de la otra Parte transferir "
           "electrónicamente información hacia el exterior de su territorio para su "
           "procesamiento, cuando lo exija la conducción ordinaria de sus negocios."),
    ("fr", "Chaque Partie veille à ce que les entreprises de l'autre Partie puissent utiliser "
           "les réseaux publics de télécommunications pour transmettre des données sur son "
           "territoire et au-delà de ses frontières, y compris pour leurs communications "
           "internes."),
    ("fr", "Chaque Partie veille à ce que la tarification des services publics de "
           "télécommunications reflète le coût de leur fourniture; rien dans le présent "
           "paragraphe n'empêche les subventions croisées. Chaque Partie fait en sorte que les "
           "utilisateurs de l'autre Partie puissent se servir de ces réseaux pour acheminer "
           "des informations au-delà de ses frontières et consulter des bases de données "
           "tenues sur le territoire de l'autre Partie."),
    ("es", "Cada Parte permitirá a las instituciones financieras de la otra Parte ofrecer "
           "nuevos servicios financieros en su territorio. Sujeto a la autorización previa del "
           "regulador cuando se requiera, cada Parte permitirá a dichas instituciones enviar "
           "información de sus clientes fuera de su territorio para su procesamiento, si lo "
           "necesitan para sus actividades ordinarias."),
    ("fr", "Chaque Partie permet aux institutions financières de l'autre Partie de transférer "
           "des renseignements, sous forme électronique ou autre, à l'extérieur de son "
           "territoire pour leur traitement, lorsque la conduite normale de leurs activités "
           "l'exige."),
]

NEAR_MISSES = [
    ("es", "Cada Parte podrá exigir que las instituciones financieras de la otra Parte "
           "entreguen a su autoridad supervisora la información de sus operaciones con fines "
           "prudenciales."),
    ("es", "Cada Parte podrá adoptar las medidas necesarias para proteger la seguridad y la "
           "confidencialidad de los mensajes que circulen por las redes públicas de "
           "telecomunicaciones."),
    ("fr", "Une Partie peut exiger qu'une institution financière de l'autre Partie "
           "communique à son autorité de surveillance les renseignements sur ses opérations, "
           "à des fins prudentielles."),
    ("fr", "Chaque Partie peut prendre les mesures nécessaires pour assurer la sécurité et la "
           "confidentialité des messages acheminés par les réseaux publics de "
           "télécommunications."),
]


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


def _flows(pipeline: Pipeline, lang: str, text: str) -> list[str]:
    clause = Clause(clause_id="t:a1:p1", agreement_id="t", chapter=None, article=None,
                    article_key="a1", paragraph="1", location="x", text=text)
    result, _ = pipeline.classify_clauses([clause], lang)
    return [f.strength for f in result.findings if f.category == "data_free_flow"]


@pytest.mark.parametrize(("lang", "text"), FOUND)
def test_a_sector_rule_is_a_binding_data_flow_finding(pipeline, lang, text):
    assert _flows(pipeline, lang, text) == ["hard"]


@pytest.mark.parametrize(("lang", "text"), NEAR_MISSES)
def test_a_near_miss_stays_unfound(pipeline, lang, text):
    assert _flows(pipeline, lang, text) == []
