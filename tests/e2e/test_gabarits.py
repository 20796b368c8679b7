"""Les gabarits des pages : filtres français et composants govuk sans aucun texte anglais par défaut."""
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from api.web.gabarits import date_fr, environnement, euros, heure_fr

ANGLAIS = ["There is a problem", "You can enter up to", "characters remaining", "Show password", ">Show<",
           "Back", "Day", "Month", "Year", "Show all sections", "Choose file", "No file chosen", "Warning",
           "Success", "Previous", "Next", "Error:", "Skip to main content", "Service information"]


def test_les_dates_sont_ecrites_a_la_francaise():
    assert date_fr(date(2025, 3, 10)) == "10 mars 2025"
    assert date_fr(date(2025, 3, 1)) == "1er mars 2025"
    # 23:30 UTC on 31 December is already 1 January in Paris.
    assert date_fr(datetime(2025, 12, 31, 23, 30, tzinfo=timezone.utc)) == "1er janvier 2026"
    assert date_fr(None) == "non renseignée"


def test_les_heures_sont_celles_de_paris():
    assert heure_fr(datetime(2025, 3, 10, 13, 5, tzinfo=timezone.utc)) == "14 h 05"
    assert heure_fr(datetime(2025, 7, 10, 13, 5, tzinfo=timezone.utc)) == "15 h 05"  # summer time


@pytest.mark.parametrize("montant", [12000, Decimal("12000.00"), "12000"])
def test_les_montants_sont_en_euros_a_la_francaise(montant):
    # Babel separates thousands with a narrow no-break space and puts a no-break space before the sign.
    assert euros(montant) == "12\u202f000,00\u00a0€"
    assert euros(None) == "—"


def test_les_composants_ne_laissent_passer_aucun_texte_anglais():
    gabarit = environnement().from_string("""
{%- from "_macros.html" import resume_erreurs, compteur_caracteres, mot_de_passe, date_saisie, lien_retour,
   accordeon, televersement, avertissement, bandeau_information, pagination -%}
{%- from "govuk_frontend_jinja/components/input/macro.html" import govukInput -%}
{{ resume_erreurs({'errorList': [{'text': 'Le nom manque', 'href': '#nom'}]}) }}
{{ govukInput({'name': 'nom', 'label': {'text': 'Nom'}, 'errorMessage': erreur_champ('Le nom manque')}) }}
{{ compteur_caracteres({'name': 'resume', 'maxlength': 200, 'label': {'text': 'Résumé'}}) }}
{{ mot_de_passe({'name': 'mot_de_passe', 'label': {'text': 'Mot de passe'}}) }}
{{ date_saisie({'id': 'depot', 'namePrefix': 'depot'}) }}
{{ lien_retour({'href': '/'}) }}
{{ accordeon({'id': 'a', 'items': [{'heading': {'text': 'Section'}, 'content': {'text': 'Texte'}}]}) }}
{{ televersement({'name': 'fichier', 'label': {'text': 'Fichier'}, 'javascript': true}) }}
{{ avertissement({'text': 'Attention au délai'}) }}
{{ bandeau_information({'text': 'Dossier enregistré', 'type': 'success'}) }}
{{ pagination({'previous': {'href': '?page=1'}, 'next': {'href': '?page=3'}}) }}
""")
    html = gabarit.render()
    restes = [mot for mot in ANGLAIS if mot in html]
    assert restes == [], restes
    for francais in ["Il y a un problème", "Vous pouvez saisir jusqu’à 200 caractères", "Afficher le mot de passe",
                     "Jour", "depot-annee", "Retour", "Tout afficher", "Choisir un fichier", "Réussite",
                     "Page précédente", "Erreur:", "Il vous reste %{count} caractères"]:
        assert francais in html, francais
