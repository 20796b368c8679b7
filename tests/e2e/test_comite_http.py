"""La salle du comité par HTTP (l'application en processus, la démonstration chargée) : chaque page et chaque
formulaire × chaque rôle, dont un membre du comité de la réunion, un membre d'une autre réunion et un membre sans
réunion ; puis le travail d'un secrétariat de comité, de la création de la réunion au relevé des décisions."""
import csv
import io
import json
import re
import time
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from api import demo
from instruction.acces import Agent
from instruction.comite import services as services_comite
from instruction.comptes import services as services_comptes
from tests.e2e.banc_comptes import MDP, banc, client, client_de, connecter, jeton_de_page

C = demo.COMITE
AUTRE = "lys_artois-autre"
R1 = "LA-2025-001"  # on C's agenda (decided by the demo)
R_AUTRE = "LA-2025-004"  # « avis rendu » in the demo: put on AUTRE's agenda only
MEMBRES = {"membre": ("membre-reunion@essai.fr", C), "ailleurs": ("membre-ailleurs@essai.fr", AUTRE)}
ROLES = ("anonyme", "porteur", "instructeur", "admin", "membre", "ailleurs", "membre_comite")
R = "connexion"


@pytest.fixture(scope="module")
def salle(guichet_python, controles, tmp_path_factory):
    """La démonstration dans une base neuve, une seconde réunion (AUTRE) avec un autre dossier, et deux membres du
    comité : l'un de la réunion de démonstration, l'autre de la seconde seulement."""
    b = banc(guichet_python, tmp_path_factory.mktemp("salle"))
    uow = b.contexte.unite_de_travail
    demo.charger(uow(), guichet_python, controles)
    secretariat = Agent("secretariat@essai.fr", "instructeur")
    services_comite.creer_comite(uow(), guichet_python.territoire, secretariat, date(2026, 3, 5), "lys_artois", AUTRE)
    services_comite.inscrire(uow(), AUTRE, [R_AUTRE], secretariat)
    for email, code in MEMBRES.values():
        assert services_comptes.creer_compte(uow(), Agent.local("banc"), email, "membre_comite", MDP, "Membre",
                                             frozenset({code}), horloge=b.contexte.horloge,
                                             hacheur=b.contexte.hacheur) == []
    return b


@pytest.fixture(scope="module")
def clients(salle):
    tous = {role: client_de(salle.app, role)
            for role in ("anonyme", "porteur", "instructeur", "admin", "membre_comite")}
    for role, (email, _) in MEMBRES.items():
        tous[role] = client(salle.app)
        assert connecter(tous[role], email).status_code == 303
    return tous


def _attendus(gerer: int, lire_membre: int, ailleurs: int, sans: int = 404) -> dict:
    return {"anonyme": R, "porteur": 403, "instructeur": gerer, "admin": gerer, "membre": lire_membre,
            "ailleurs": ailleurs, "membre_comite": sans}


LECTURE = _attendus(200, 200, 404)
GESTION = _attendus(200, 403, 404)
PAGES = {
    "/comites": _attendus(200, 200, 200, 200),
    "/comites/nouveau": _attendus(200, 403, 403, 403),
    f"/comites/{C}": LECTURE,
    f"/comites/{C}/seance": LECTURE,
    f"/comites/{C}/enveloppes": LECTURE,
    f"/comites/{C}/et-si": LECTURE,
    f"/comites/{C}/et-si?jour=1&mois=6&annee=2028": LECTURE,
    f"/comites/{C}/dossiers/{R1}": LECTURE,
    f"/comites/{C}/decisions.csv": LECTURE,
    f"/comites/{C}/rapport.csv": LECTURE,
    f"/comites/{C}/importer": GESTION,
    f"/comites/{C}/retirer/{R1}": GESTION,
    f"/comites/{C}/dossiers/{R1}/decision": GESTION,
    f"/comites/{AUTRE}": _attendus(200, 404, 200),
    f"/comites/{AUTRE}/dossiers/{R_AUTRE}": _attendus(200, 404, 200),
    # A dossier of another meeting, asked through this one: not on its agenda, so not here, for anyone.
    f"/comites/{C}/dossiers/{R_AUTRE}": _attendus(404, 404, 404),
    f"/comites/{C}/dossiers/{R_AUTRE}/avis.pdf": _attendus(404, 404, 404),
    "/comites/inconnu": _attendus(404, 404, 404),
    f"/comites/{C}/travaux/999": _attendus(404, 403, 404),  # jobs are the managers': a reader may not
}
# Each form, with a valid CSRF token and a content that changes nothing when it is refused.
FORMULAIRES = {
    f"/comites/{C}/inscrire": ({}, _attendus(422, 403, 404)),
    f"/comites/{C}/ordre": ({"reference": "LA-404", "sens": "monter"}, _attendus(409, 403, 404)),
    f"/comites/{C}/retirer/{R1}": ({"motif": ""}, _attendus(422, 403, 404)),
    f"/comites/{C}/presence": ({}, _attendus(422, 403, 404)),
    f"/comites/{C}/enveloppes": ({"financeur": "inconnu"}, _attendus(422, 403, 404)),
    f"/comites/{C}/enveloppes/retirer": ({"financeur": "leader", "dispositif": "aucun"}, _attendus(409, 403, 404)),
    f"/comites/{C}/dossiers/{R1}/decision": ({}, _attendus(422, 403, 404)),
    f"/comites/{AUTRE}/evaluer": (None, _attendus(303, 404, 403)),
    "/comites/nouveau": ({}, _attendus(422, 403, 403, 403)),
}


def _verifier(reponse, attendu, chemin):
    if attendu == R:
        assert reponse.status_code == 303 and reponse.headers["location"].startswith("/connexion?suivant="), chemin
    else:
        assert reponse.status_code == attendu, (chemin, reponse.status_code, reponse.text[:400])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("chemin", PAGES)
def test_chaque_page_de_la_salle_repond_a_chaque_role_selon_la_politique(clients, chemin, role):
    _verifier(clients[role].get(chemin), PAGES[chemin][role], chemin)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonyme"])
@pytest.mark.parametrize("chemin", FORMULAIRES)
def test_chaque_formulaire_de_la_salle_repond_a_chaque_role_selon_la_politique(clients, chemin, role):
    donnees, attendus = FORMULAIRES[chemin]
    jeton = jeton_de_page(clients[role])
    reponse = clients[role].post(chemin, data={**(donnees or {}), "csrf_token": jeton})
    _verifier(reponse, attendus[role], chemin)
    assert clients[role].post(chemin, data=donnees or {}).status_code == 403  # no CSRF token: refused first


def test_un_membre_ne_voit_que_ses_reunions_dans_la_liste(clients):
    assert f"/comites/{C}\"" in clients["membre"].get("/comites").text
    assert AUTRE not in clients["membre"].get("/comites").text
    assert "Aucune réunion dont vous êtes membre" in clients["membre_comite"].get("/comites").text
    assert "Créer une réunion" not in clients["membre"].get("/comites").text


def test_un_membre_lit_l_ordre_du_jour_et_l_avis_sans_boutons_pour_agir(clients):
    page = clients["membre"].get(f"/comites/{C}").text
    assert all(r in page for r in demo.ORDRE_DU_JOUR)
    assert "Monter" not in page and "Inscrire à l’ordre du jour" not in page and "/importer" not in page
    avis = clients["membre"].get(f"/comites/{C}/dossiers/{R1}").text
    assert "L’avis technique" in avis and "Saisir une décision" not in avis
    assert re.search(r'href="/textes/[^"#]+#regle-[a-z0-9_.]+"', avis), "chaque constat renvoie à son passage"
    seance = clients["membre"].get(f"/comites/{C}/seance").text
    assert "Évaluer toute la liste" not in seance and "Enregistrer la présence" not in seance


def test_la_demonstration_montre_ses_enveloppes_et_la_decision_au_montant_decide(clients):
    page = clients["membre"].get(f"/comites/{C}/enveloppes").text
    assert "#Destination 62 — projets d'initiative publique" in page.replace("&#39;", "'")
    assert "237\u202f000,00\u00a0€" in page  # 003's figure, formatted by Babel
    assert "Les montants proposés dépassent l’enveloppe" in page  # the demo's requests exceed the D62 envelope
    releve = clients["membre"].get(f"/comites/{C}/decisions.csv").text
    lignes = list(csv.DictReader(io.StringIO(releve.lstrip("\ufeff")), delimiter=";"))
    d62 = next(x for x in lignes if x["reference"] == R1 and x["financeur"].startswith("Département du Pas"))
    assert (d62["decision"], d62["montant"]) == ("Favorable", "40000")


def _attendre_travail(client_, adresse: str) -> str:
    for _ in range(100):
        page = client_.get(adresse)
        assert page.status_code == 200, page.text[:300]
        if 'hx-trigger="every 1s"' not in page.text:
            return page.text
        time.sleep(0.1)
    raise AssertionError(f"le travail {adresse} ne finit pas")


def _texte(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


def test_un_secretariat_prepare_tient_et_clot_une_reunion(clients, exemples_par_reference):
    c = clients["instructeur"]
    jeton = jeton_de_page(c)
    # Before: a meeting with a wrong date, then a right one, its members by structure
    mauvais = c.post("/comites/nouveau", data={"csrf_token": jeton, "date-jour": "31", "date-mois": "2",
                                              "date-annee": "2026", "contrat": "lys_artois", "code": "essai-http"})
    assert mauvais.status_code == 422 and "doit être une vraie date" in mauvais.text
    assert 'value="essai-http"' in mauvais.text  # what was typed is kept
    cree = c.post("/comites/nouveau", data={"csrf_token": jeton, "date-jour": "2", "date-mois": "11",
                                           "date-annee": "2026", "contrat": "lys_artois", "code": "essai-http",
                                           "structure": ["Conseil Régional", "CA Béthune-Bruay", ""],
                                           "representant": ["Claire Martin", "", ""]})
    assert cree.status_code == 303 and cree.headers["location"] == "/comites/essai-http?fait=cree"
    code = "essai-http"
    # The list, imported with one bad line: the job ends on the rejected line and why
    liste = [exemples_par_reference[r] for r in ("LA-2025-015", "LA-2025-006", "LA-2024-022")]
    liste = [dict(d, reference=f"HTTP-{i}") for i, d in enumerate(liste, 1)]
    liste.insert(1, {**liste[0], "reference": "HTTP-BAD", "projet": {**liste[0]["projet"], "commune_insee": "9"}})
    envoi = c.post(f"/comites/{code}/importer", data={"csrf_token": jeton},
                   files={"fichier": ("liste.json", json.dumps(liste).encode(), "application/json")})
    assert envoi.status_code == 303
    fin = _texte(_attendre_travail(c, envoi.headers["location"]))
    assert "3 dossiers importés et inscrits ; 1 ligne écartée" in fin
    assert "ligne 2 — HTTP-BAD projet.commune_insee" in fin
    ordre = c.get(f"/comites/{code}").text
    assert [m for m in re.findall(r'id="dossier-([^"]+)"', ordre)] == ["HTTP-1", "HTTP-2", "HTTP-3"]
    # Ordered from the keyboard's buttons, and one withdrawn with a reason
    deplace = c.post(f"/comites/{code}/ordre", data={"csrf_token": jeton, "reference": "HTTP-3", "sens": "monter"})
    assert deplace.headers["location"].endswith("#monter-HTTP-3")
    assert re.findall(r'id="dossier-([^"]+)"', c.get(f"/comites/{code}").text) == ["HTTP-1", "HTTP-3", "HTTP-2"]
    sans_motif = c.post(f"/comites/{code}/retirer/HTTP-2", data={"csrf_token": jeton, "motif": " "})
    assert sans_motif.status_code == 422 and "Motif : " in sans_motif.text
    assert c.post(f"/comites/{code}/retirer/HTTP-2", data={"csrf_token": jeton, "motif": "pièces manquantes"}
                  ).status_code == 303
    assert re.findall(r'id="dossier-([^"]+)"', c.get(f"/comites/{code}").text) == ["HTTP-1", "HTTP-3"]
    # During: an envelope (the amount at the cent, a wrong one refused naming its field), the whole list evaluated
    refus = c.post(f"/comites/{code}/enveloppes", data={"csrf_token": jeton, "financeur": "departement_62",
                                                        "dispositif": "Hébergements touristiques", "montant": "1,005"})
    assert refus.status_code == 422 and "Montant : le montant s’écrit au centime près".replace("’", "'") in \
        _texte(refus.text).replace("’", "'")
    assert 'value="1,005"' in refus.text
    assert c.post(f"/comites/{code}/enveloppes", data={
        "csrf_token": jeton, "financeur": "departement_62", "dispositif": "Hébergements touristiques",
        "montant": "100 000", "source": "délibération fictive du test"}).status_code == 303
    evaluation = c.post(f"/comites/{code}/evaluer", data={"csrf_token": jeton})
    assert "Liste évaluée d’un bloc" in _texte(_attendre_travail(c, evaluation.headers["location"]))
    seance = c.get(f"/comites/{code}/seance").text
    assert "Liste évaluée le" in seance and "guichet-controle" in seance
    # Attendance
    assert c.post(f"/comites/{code}/presence", data={
        "csrf_token": jeton, "structure": ["Conseil Régional", "CA Béthune-Bruay"], "representant-0": "Claire Martin",
        "present-0": "oui", "representant-1": "Paul Durand", "present-1": "non"}).status_code == 303
    assert 'value="Paul Durand"' in c.get(f"/comites/{code}/seance").text
    # Decisions within the envelope, then one over it: the warning text says by how much
    decision = f"/comites/{code}/dossiers/HTTP-1/decision"
    formulaire = c.get(decision).text
    assert 'name="montant_departement_62"' in formulaire
    montant_mal_ecrit = c.post(decision, data={"csrf_token": jeton, "decision_departement_62": "favorable",
                                               "montant_departement_62": "beaucoup", "motif": "ok"})
    assert montant_mal_ecrit.status_code == 422 and "Montant accordé" in montant_mal_ecrit.text
    assert c.post(decision, data={"csrf_token": jeton, "decision_departement_62": "favorable",
                                  "montant_departement_62": "60 000,50", "motif": "Priorité du contrat"}
                  ).status_code == 303
    assert "Enveloppe dépassée" not in c.get(f"/comites/{code}/seance").text
    assert c.post(f"/comites/{code}/dossiers/HTTP-3/decision", data={
        "csrf_token": jeton, "decision_departement_62": "favorable", "montant_departement_62": "40000",
        "motif": "Aire de camping-cars"}).status_code == 303
    seance = _texte(c.get(f"/comites/{code}/seance").text)
    assert "Enveloppe dépassée : Département du Pas-de-Calais, « Hébergements touristiques » — 100 000,50 €" in \
        seance.replace("\u202f", " ").replace("\u00a0", " ")
    # « Et si ? » after the end of the contract: the differences are marked
    et_si = c.get(f"/comites/{code}/et-si?jour=1&mois=6&annee=2028").text
    assert "guichet-difference" in et_si and "Change" in et_si
    # After: the decisions record, the report and the minutes, as attachments
    releve = c.get(f"/comites/{code}/decisions.csv")
    assert releve.headers["content-disposition"] == f'attachment; filename="comite-{code}-decisions.csv"'
    assert ";60000,50;Hébergements touristiques;" in releve.text
    classeur = c.get(f"/comites/{code}/rapport.xlsx")
    feuilles = load_workbook(io.BytesIO(classeur.content))
    montants = [ligne[6] for ligne in feuilles["Décisions"].iter_rows(min_row=2, values_only=True)]
    assert Decimal(str(montants[0])) == Decimal("60000.50")
    assert [ligne[5] for ligne in feuilles["Enveloppes"].iter_rows(min_row=2, values_only=True)] == [-0.5]
    pv = c.get(f"/comites/{code}/proces-verbal.pdf")
    assert pv.headers["content-type"] == "application/pdf"
    assert pv.headers["content-disposition"] == f'attachment; filename="comite-{code}-proces-verbal.pdf"'
    texte = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pv.content)).pages)
    assert "Relevé des décisions" in texte and "Priorité du contrat" in texte and "Enveloppes" in texte
    assert "Paul Durand" in texte  # the attendance sheet
