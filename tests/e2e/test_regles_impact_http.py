"""La page d'administration « Impact d'un changement de règles » par HTTP : réservée à l'administrateur (connexion
demandée sans session, 403 pour les autres rôles) ; deux versions choisies, elle montre les dossiers dont le
résultat bouge et offre le CSV de `guichet rules impact` ; une version inconnue ou une date fausse est une erreur
du formulaire."""
import csv
import html
import io
import re

import pytest

from api.rendu.impact import COLONNES
from instruction.acces import Agent
from instruction.dossiers import services
from instruction.evaluation.guichet import Guichet
from rules.base import BaseDeRegles
from tests.e2e.banc_comptes import ROLES_ET_ANONYME, banc, client_de

AGENT = Agent.local("essai")
# In the older version, the Pas-de-Calais had no rules at all: every dossier in the Pas-de-Calais moves.
FICHIER_RETIRE = "dep62.yaml"


def _dossier(reference: str, insee: str) -> dict:
    return {"reference": reference, "date_depot": "2025-03-10",
            "porteur": {"nom": f"Commune {reference}", "type": "commune"},
            "projet": {"titre": "Aire de camping-cars", "commune_insee": insee, "nature": "investissement",
                       "secteur": "hebergement", "hebergement_type": "aire_camping_cars"},
            "budget": {"cout_total_ht": 180000, "montant_sollicite": 54000}}


@pytest.fixture(scope="module")
def impact(guichet_python, tmp_path_factory):
    """Trois dossiers évalués sous une version ancienne (sans les règles du Pas-de-Calais) : deux dans le
    Pas-de-Calais (Béthune), un dans le Nord (Merville)."""
    b = banc(guichet_python, tmp_path_factory.mktemp("impact"))
    base = guichet_python.base
    ancienne = BaseDeRegles.depuis_textes({k: v for k, v in base.textes.items() if k != FICHIER_RETIRE})
    juge = Guichet(ancienne, guichet_python.territoire, moteur="python")
    for reference, insee in (("IM-1", "62119"), ("IM-2", "62119"), ("IM-3", "59400")):
        assert services.deposer(b.contexte.unite_de_travail(), juge, _dossier(reference, insee), AGENT) == []
        services.evaluer(b.contexte.unite_de_travail(), juge, reference, AGENT)
    b.ancienne = f"sha256:{ancienne.empreinte}"
    b.clients = {role: client_de(b.app, role) for role in ROLES_ET_ANONYME}
    return b


@pytest.mark.parametrize("chemin", ["/admin/impact", "/admin/impact.csv?avant=en_vigueur"])
@pytest.mark.parametrize("role", ROLES_ET_ANONYME)
def test_la_page_est_reservee_a_l_administrateur(impact, role, chemin):
    reponse = impact.clients[role].get(chemin)
    if role == "anonyme":
        assert reponse.status_code == 303 and reponse.headers["location"].startswith("/connexion?suivant=/admin/impact")
    elif role == "admin":
        assert reponse.status_code == 200
    else:
        assert reponse.status_code == 403 and "Accès refusé" in reponse.text


def test_le_formulaire_propose_la_version_employee_et_les_regles_en_vigueur(impact):
    page = impact.clients["admin"].get("/admin/impact").text
    assert f'value="{impact.ancienne}" selected' in page  # the stored version is offered first
    assert "3 évaluations" in page and 'value="en_vigueur"' in page


def test_l_impact_montre_les_dossiers_dont_le_resultat_bouge(impact):
    reponse = impact.clients["admin"].get("/admin/impact", params={"avant": impact.ancienne, "apres": "en_vigueur"})
    assert reponse.status_code == 200
    page = html.unescape(reponse.text)
    assert set(re.findall(r'href="/instruction/dossiers/(IM-\d)"', page)) == {"IM-1", "IM-2", "IM-3"}
    assert "3 dossiers : 3 changent, 0 inchangé, 0 invalide" in page
    # The Pas-de-Calais's status moves for the two dossiers of Béthune; the one of Merville stays out of its field,
    # with one more finding (its territorial rule).
    transitions = re.findall(r"Département du Pas-de-Calais : ([^<]+) → ([^<]+)</p>", page)
    assert len(transitions) == 2 and all(avant == "Non concerné" != apres for avant, apres in transitions)
    assert re.search(r'href="/regles/dep62\.territoire"', page)  # the rules in cause link to their pages


def test_le_csv_est_celui_de_la_ligne_de_commande(impact):
    reponse = impact.clients["admin"].get("/admin/impact.csv", params={"avant": impact.ancienne,
                                                                        "apres": "en_vigueur"})
    assert reponse.status_code == 200 and reponse.headers["content-type"] == "text/csv; charset=utf-8"
    lignes = list(csv.DictReader(io.StringIO(reponse.text)))
    assert tuple(lignes[0]) == COLONNES
    par_dossier = {x["reference"]: x for x in lignes}
    assert len(lignes) == len(par_dossier) == 3
    for reference in ("IM-1", "IM-2"):
        ligne = par_dossier[reference]
        assert (ligne["porte_sur"], ligne["financeur"], ligne["avant"]) == ("statut", "departement_62", "non_concerne")
        assert ligne["apres"] in ("eligible", "prioritaire")
        assert ligne["constats_ajoutes"] and all(r.startswith("dep62.") for r in ligne["constats_ajoutes"].split("|"))
    assert (par_dossier["IM-3"]["porte_sur"], par_dossier["IM-3"]["constats_ajoutes"]) == ("constats",
                                                                                          "dep62.territoire")


def test_la_meme_version_des_deux_cotes_ne_change_rien(impact):
    page = impact.clients["admin"].get("/admin/impact", params={"avant": "en_vigueur", "apres": "en_vigueur"}).text
    assert "Aucun dossier ne change entre ces deux versions." in html.unescape(page)


@pytest.mark.parametrize("parametres, champ", [
    ({"avant": "sha256:000000000000"}, "avant"),
    ({"avant": "en_vigueur", "apres": "pas-une-version"}, "apres"),
    ({"avant": "en_vigueur", "date-jour": "31", "date-mois": "2", "date-annee": "2026"}, "date-jour"),
])
def test_une_saisie_fausse_est_dite_dans_le_resume_et_sous_son_champ(impact, parametres, champ):
    reponse = impact.clients["admin"].get("/admin/impact", params=parametres)
    assert reponse.status_code == 422
    assert "Il y a un problème" in reponse.text and f'href="#{champ}"' in reponse.text
    assert 'class="govuk-error-message"' in reponse.text

