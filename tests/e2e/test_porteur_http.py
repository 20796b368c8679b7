"""Les pages du porteur par HTTP, en processus : qui voit quoi (404 pour le dossier d'un autre porteur, et pour ses
pièces), la pièce servie en téléchargement et jamais dans la page, l'envoi trop gros refusé avant d'être lu, le jeton
anti-CSRF exigé, et les boutons sans JavaScript (plan de financement, « Mettre à jour ») qui n'enregistrent rien."""
import re

import pytest

from instruction.acces import Agent
from instruction.comptes import services
from tests.e2e.banc_comptes import COMPTES, client, client_de, connecter, jeton_de_page

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture(scope="module")
def banc(banc_partage):
    return banc_partage


@pytest.fixture(scope="module")
def porteur(banc):
    return client_de(banc.app, "porteur")


@pytest.fixture(scope="module")
def brouillon(porteur):
    jeton = jeton_de_page(porteur, "/mes-dossiers")
    reponse = porteur.post("/mes-dossiers/nouveau", data={"csrf_token": jeton})
    assert reponse.status_code == 303
    return reponse.headers["location"].rsplit("/", 1)[1], jeton


def _piece(porteur, reference, jeton, contenu=PNG, nom="plan.png"):
    return porteur.post(f"/mes-dossiers/{reference}/pieces", data={"csrf_token": jeton, "piece": ""},
                        files={"fichier": (nom, contenu, "application/octet-stream")})


def test_le_dossier_d_un_autre_porteur_et_ses_pieces_sont_introuvables(banc, porteur, brouillon):
    reference, jeton = brouillon
    assert _piece(porteur, reference, jeton).status_code == 303
    autre_porteur = client(banc.app)
    assert services.creer_compte(banc.contexte.unite_de_travail(), Agent.local("banc"), "autre@essai.fr", "porteur",
                                 "motdepasse-essai-1", "Autre", horloge=banc.contexte.horloge,
                                 hacheur=banc.contexte.hacheur) == []
    assert connecter(autre_porteur, "autre@essai.fr").status_code == 303
    chemins = [f"/mes-dossiers/{reference}{fin}" for fin in ("", "/porteur", "/pieces", "/verifier")]
    for chemin in (*chemins, f"/pieces/{reference}/1"):
        assert autre_porteur.get(chemin).status_code == 404, chemin
    assert autre_porteur.get("/mes-dossiers/GU-2026-ABSENT").status_code == 404
    assert client_de(banc.app, "membre_comite").get(f"/pieces/{reference}/1").status_code == 404
    assert client_de(banc.app, "instructeur").get(f"/mes-dossiers/{reference}").status_code == 403  # the section
    assert client_de(banc.app, "anonyme").get(f"/pieces/{reference}/1").status_code == 303  # sign in first


def test_une_piece_revient_en_telechargement_avec_son_type_reconnu_et_jamais_affichee(banc, porteur, brouillon):
    reference, jeton = brouillon
    assert _piece(porteur, reference, jeton, nom="photo de l'aire.png").status_code == 303
    numero = max(int(n) for n in re.findall(rf"/pieces/{reference}/(\d+)", porteur.get(
        f"/mes-dossiers/{reference}/pieces").text))
    reponse = client_de(banc.app, "instructeur").get(f"/pieces/{reference}/{numero}")
    assert reponse.status_code == 200 and reponse.content == PNG
    assert reponse.headers["content-type"] == "image/png"
    assert reponse.headers["content-disposition"].startswith('attachment; filename="photo de l')
    assert reponse.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in reponse.headers["content-security-policy"]


def test_un_envoi_de_plus_de_10_mo_est_refuse_avant_d_etre_lu(porteur, brouillon):
    reference, jeton = brouillon
    reponse = _piece(porteur, reference, jeton, contenu=b"%PDF-" + b"0" * (11 * 1024 * 1024), nom="gros.pdf")
    assert reponse.status_code == 303
    assert reponse.headers["location"] == f"/mes-dossiers/{reference}/pieces?erreur=taille"
    page = porteur.get(reponse.headers["location"])
    assert page.status_code == 413 and "Le fichier doit faire 10 Mo au plus" in page.text


def test_enregistrer_une_etape_exige_le_jeton_anti_csrf(porteur, brouillon):
    reference, _ = brouillon
    reponse = porteur.post(f"/mes-dossiers/{reference}/porteur", data={"version": "1", "porteur.nom": "X"})
    assert reponse.status_code == 403


def test_sans_javascript_les_boutons_du_plan_et_la_mise_a_jour_renvoient_la_page_sans_rien_enregistrer(
        porteur, brouillon):
    reference, jeton = brouillon
    saisie = {"csrf_token": jeton, "version": "1", "budget.cout_total_ht": "100 000",
              "budget.montant_sollicite": "40 000", "budget.financements-0-financeur": "leader",
              "budget.financements-0-montant": "10 000", "budget.financements-0-statut": "sollicite"}
    ajout = porteur.post(f"/mes-dossiers/{reference}/budget", data={**saisie, "action": "ajouter_ligne"})
    assert ajout.status_code == 200
    assert 'name="budget.financements-1-financeur"' in ajout.text and 'value="10 000"' in ajout.text
    retrait = porteur.post(f"/mes-dossiers/{reference}/budget", data={**saisie, "action": "retirer_ligne-0"})
    assert 'value="10 000"' not in retrait.text
    a_jour = porteur.post(f"/mes-dossiers/{reference}/budget", data={**saisie, "action": "mettre_a_jour"})
    assert re.search(r"50\s000,00", a_jour.text)  # 40 000 asked of the Région + 10 000 of LEADER: the totals, computed
    page = porteur.get(f"/mes-dossiers/{reference}/budget")
    assert 'name="version" value="1"' in page.text and 'value="100 000"' not in page.text  # nothing was saved


def test_une_page_perimee_repond_409_et_garde_ce_qui_a_ete_tape(porteur, brouillon):
    reference, jeton = brouillon
    premiere = porteur.post(f"/mes-dossiers/{reference}/porteur", data={
        "csrf_token": jeton, "version": "1", "porteur.type": "association", "porteur.nom": "Les Amis du Canal"})
    assert premiere.status_code == 303
    perimee = porteur.post(f"/mes-dossiers/{reference}/porteur", data={
        "csrf_token": jeton, "version": "1", "porteur.type": "commune", "porteur.nom": "Commune d'Isbergues"})
    assert perimee.status_code == 409
    assert "Commune d&#39;Isbergues" in perimee.text and "« Les Amis du Canal »" in perimee.text
    assert 'name="version" value="2"' in perimee.text
    assert COMPTES["porteur"]  # the holder's own account did both: the conflict is between pages, not people
