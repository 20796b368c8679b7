"""La liste des dossiers des services et ses actions par lot, par HTTP (application en processus, SQLite jetable) :
qui y accède, les filtres dans l'adresse, les erreurs de filtre en français, les exports, et un lot d'évaluation
dont un dossier échoue."""
import csv
import io
import re
import time

import pytest
from openpyxl import load_workbook

from instruction.acces import Agent
from instruction.dossiers import services
from instruction.dossiers.recherche import normaliser
from tests.e2e.banc_comptes import ROLES_ET_ANONYME, client_de, jeton_csrf

SERVICES = Agent.local("services")


@pytest.fixture(scope="module")
def banc(banc_partage, exemples):
    """Les 37 dossiers d'exemple déposés, les dix premiers évalués, le onzième classé sans suite."""
    uow = banc_partage.contexte.unite_de_travail
    guichet = banc_partage.contexte.guichet
    for donnees in exemples:
        assert services.deposer(uow(), guichet, donnees, SERVICES) == []
    references = [d["reference"] for d in exemples]
    for reference in references[:10]:
        services.evaluer(uow(), guichet, reference, SERVICES)
    services.changer_etat(uow(), references[10], "classe_sans_suite", SERVICES, "retrait du porteur")
    banc_partage.references = references
    return banc_partage


@pytest.fixture(scope="module")
def instructeur(banc):
    return client_de(banc.app, "instructeur")


def _references(html: str) -> list[str]:
    return re.findall(r'name="references" type="checkbox" value="([^"]+)"', html)


@pytest.mark.parametrize("role", ROLES_ET_ANONYME)
def test_seuls_les_services_atteignent_la_liste_ses_exports_et_les_travaux(banc, role):
    client = client_de(banc.app, role)
    attendu = {"anonyme": 303, "porteur": 403, "membre_comite": 403, "instructeur": 200, "admin": 200}[role]
    for chemin in ("/instruction/dossiers", "/instruction/dossiers.csv", "/instruction/dossiers.xlsx",
                   "/instruction/travaux"):
        reponse = client.get(chemin)
        assert reponse.status_code == attendu, chemin
        if attendu == 303:
            assert reponse.headers["location"].startswith("/connexion?suivant=")


@pytest.mark.parametrize("role", ["porteur", "membre_comite"])
def test_un_porteur_ou_un_membre_du_comite_ne_lance_aucun_lot(banc, role):
    client = client_de(banc.app, role)
    jeton = jeton_csrf(client.get("/mon-compte/mot-de-passe").text)
    reponse = client.post("/instruction/travaux", data={"csrf_token": jeton, "action": "evaluer",
                                                        "references": banc.references[:2]})
    assert reponse.status_code == 403


def test_la_liste_montre_les_dossiers_par_date_de_depot_decroissante_par_defaut(banc, instructeur):
    html = instructeur.get("/instruction/dossiers?par_page=100").text
    vues = _references(html)
    assert sorted(vues) == sorted(banc.references)
    with banc.contexte.unite_de_travail() as uow:
        dates = {r: uow.dossiers.obtenir(r).donnees.date_depot for r in vues}
    assert [dates[r] for r in vues] == sorted(dates.values(), reverse=True)
    assert 'aria-sort="descending"' in html


def test_le_filtre_par_etat_et_par_texte_vit_dans_l_adresse(banc, instructeur):
    html = instructeur.get("/instruction/dossiers?etat=classe_sans_suite").text
    assert _references(html) == [banc.references[10]]
    assert 'value="classe_sans_suite" selected' in html
    # Free text: without accents or case, over the holder's name, the title, the reference or the SIRET.
    vues = _references(instructeur.get("/instruction/dossiers?q=BETHUNE&par_page=100").text)
    with banc.contexte.unite_de_travail() as uow:
        textes = {r: normaliser(f"{d.reference} {d.porteur.nom} {d.porteur.siret} {d.projet.titre}")
                  for r in banc.references if (d := uow.dossiers.obtenir(r).donnees)}
    assert "LA-2025-001" in vues
    assert sorted(vues) == sorted(r for r, texte in textes.items() if "bethune" in texte)


def test_le_tri_par_reference_croissante_et_la_pagination(banc, instructeur):
    page1 = _references(instructeur.get("/instruction/dossiers?tri=reference&sens=croissant&par_page=10").text)
    page2 = _references(instructeur.get("/instruction/dossiers?tri=reference&sens=croissant&par_page=10&page=2").text)
    tous = sorted(banc.references)
    assert page1 == tous[:10] and page2 == tous[10:20]


@pytest.mark.parametrize("requete, champ, message", [
    ("etat=ouvert", "etat", "État inconnu"),
    ("depose_du-jour=31&depose_du-mois=2&depose_du-annee=2025", "depose_du-jour", "vraie date"),
    ("depose_du-jour=3&depose_du-annee=2025", "depose_du-jour", "le mois"),
    ("page=zero", "page", "nombre entier"),
    ("par_page=7", "par_page", "10, 25, 50 ou 100"),
    ("commune=Atlantis", "commune", "Commune inconnue"),
    ("statut_region_hdf=oui", "statut_region_hdf", "Statut inconnu"),
])
def test_une_valeur_de_filtre_invalide_donne_la_page_avec_un_resume_d_erreur_en_francais(instructeur, requete, champ,
                                                                                         message):
    reponse = instructeur.get(f"/instruction/dossiers?{requete}")
    assert reponse.status_code == 400
    assert "Il y a un problème" in reponse.text and message in reponse.text
    assert f'href="#{champ}"' in reponse.text
    assert "<title>Erreur : " in reponse.text
    # The exports of a refused filter say the same, instead of a file.
    assert instructeur.get(f"/instruction/dossiers.csv?{requete}").status_code == 400


def test_les_exports_gardent_le_filtre(banc, instructeur):
    csv_texte = instructeur.get("/instruction/dossiers.csv?etat=depose").content.decode("utf-8-sig")
    lignes = list(csv.reader(io.StringIO(csv_texte), delimiter=";"))
    html = instructeur.get("/instruction/dossiers?etat=depose&par_page=100").text
    assert lignes[0][:2] == ["Référence", "Porteur"]
    assert sorted(x[0] for x in lignes[1:]) == sorted(_references(html))
    assert {x[8] for x in lignes[1:]} == {"Déposé"}
    classeur = load_workbook(io.BytesIO(instructeur.get("/instruction/dossiers.xlsx?etat=depose").content))
    feuille = classeur.active
    assert [c.value for c in feuille[1]][:2] == ["Référence", "Porteur"]
    assert sorted(r[0].value for r in feuille.iter_rows(min_row=2)) == sorted(_references(html))
    assert 'href="/instruction/dossiers.xlsx?etat=depose"' in html


def _attendre_fin(client, adresse: str) -> str:
    for _ in range(300):
        html = client.get(adresse).text
        if "hx-trigger" not in html:
            return html
        time.sleep(0.1)
    raise AssertionError(f"le travail {adresse} ne finit pas")


def test_un_lot_d_evaluation_evalue_les_autres_quand_un_dossier_echoue(banc, instructeur):
    choisis = [banc.references[12], banc.references[10], banc.references[13]]  # the 11th is closed
    html_liste = instructeur.get("/instruction/dossiers").text
    reponse = instructeur.post("/instruction/travaux", data={
        "csrf_token": jeton_csrf(html_liste), "action": "evaluer", "portee": "selection", "references": choisis,
        "retour": "/instruction/dossiers?etat=depose"})
    assert reponse.status_code == 303
    adresse = reponse.headers["location"]
    html = _attendre_fin(instructeur, adresse)
    assert "2 réussis, 1 échec sur 3" in html
    echecs = html.split("Échecs (1)")[1].split("Réussites")[0]
    assert banc.references[10] in echecs and "ne se réévalue plus" in echecs
    with banc.contexte.unite_de_travail() as uow:
        assert len(uow.dossiers.obtenir(banc.references[12]).evaluations) == 1
        assert uow.dossiers.obtenir(banc.references[10]).evaluations == []
    assert 'href="/instruction/dossiers?etat=depose"' in html  # back to the list as it was filtered


def test_un_lot_sans_action_ni_dossier_redonne_la_liste_avec_les_erreurs(banc, instructeur):
    jeton = jeton_csrf(instructeur.get("/instruction/dossiers").text)
    reponse = instructeur.post("/instruction/travaux", data={"csrf_token": jeton, "retour": "/instruction/dossiers"})
    assert reponse.status_code == 422
    assert "Choisissez l’action" in reponse.text and "Sélectionnez au moins un dossier" in reponse.text
    reponse = instructeur.post("/instruction/travaux", data={
        "csrf_token": jeton, "action": "instruire", "references": [banc.references[20]],
        "retour": "/instruction/dossiers"})
    assert reponse.status_code == 422 and "Indiquez le motif" in reponse.text
    assert f'value="{banc.references[20]}" checked' in reponse.text  # the selection is kept


def test_tout_cocher_sans_javascript_coche_chaque_dossier_de_la_page(instructeur):
    html = instructeur.get("/instruction/dossiers?etat=depose&tout=oui").text
    cases = re.findall(r'name="references" type="checkbox" value="[^"]+"( checked)?', html)
    assert cases and all(cases)


def test_un_lot_sur_tout_le_filtre_passe_chaque_dossier_du_filtre_en_instruction(banc, instructeur):
    retour = "/instruction/dossiers?q=LA-2025-00"  # LA-2025-001 … 009
    jeton = jeton_csrf(instructeur.get(retour).text)
    attendus = [r for r in banc.references if r.startswith("LA-2025-00")]
    reponse = instructeur.post("/instruction/travaux", data={
        "csrf_token": jeton, "action": "instruire", "portee": "filtre", "motif": "pièces reçues", "retour": retour})
    html = _attendre_fin(instructeur, reponse.headers["location"])
    assert f"{len(attendus)} réussis, 0 échec sur {len(attendus)}" in html
    with banc.contexte.unite_de_travail() as uow:
        assert {uow.dossiers.obtenir(r).etat for r in attendus} == {"en_instruction"}
    assert "Mise en instruction de 9 dossiers" in instructeur.get("/instruction/travaux").text


def test_un_travail_inconnu_est_introuvable(instructeur):
    assert instructeur.get("/instruction/travaux/999999").status_code == 404
