"""La page d'un dossier de l'instruction par HTTP, sur les données de démonstration : chaque adresse × chaque rôle
(porteur 404, même pour son dossier ; membre du comité hors de ses réunions 404 ; dans sa réunion, lecture seule ;
sans connexion, la page de connexion), chaque formulaire refusé sans jeton anti-CSRF, et ce que fait chacun :
corriger, maintenir ou retirer une correction à revoir, évaluer, changer d'état (un passage refusé rend la page
avec les passages permis), l'avis en HTML et en PDF."""
import io
import re
from html import unescape

import pytest
from pypdf import PdfReader

from api import demo
from instruction.acces import Agent
from instruction.comptes import services as comptes
from instruction.dossiers import pieces, services
from tests.e2e.banc_comptes import MDP, banc, client, client_de, connecter, jeton_csrf

R = "connexion"
EN_COMITE = "LA-2025-001"  # on the demo meeting's agenda, decided (closed)
A_REVOIR = "LA-2025-003"  # in instruction, its avis correction flagged « à revoir »
BROUILLON = "LA-2026-012"  # never evaluated
INCONNU = "XX-0000-000"
# Accounts added to the bench: the owner of the demo dossiers (a holder), a member of the demo meeting.
PROPRIETAIRE, MEMBRE_LYS = "porteur@demo.guichet.fr", "membre-lys@essai.fr"
ROLES = ("anonyme", "porteur", "proprietaire", "instructeur", "membre_comite", "membre_lys", "admin")
AUTRES = {"porteur": 404, "proprietaire": 404, "membre_comite": 404}


def _banc(guichet, controles, dossier):
    b = banc(guichet, dossier)
    uow, local = b.contexte.unite_de_travail, Agent.local("banc")

    def compte(email, role, reunions=()):
        assert comptes.creer_compte(uow(), local, email, role, MDP, email, reunions, horloge=b.contexte.horloge,
                                    hacheur=b.contexte.hacheur) == []
    compte(PROPRIETAIRE, "porteur")  # before the demo, which leaves an existing account as it is
    demo.charger(uow(), guichet, controles)
    compte(MEMBRE_LYS, "membre_comite", (demo.COMITE,))  # a member of a meeting that exists
    return b


@pytest.fixture(scope="module")
def banc_lecture(guichet_python, controles, tmp_path_factory):
    """La démonstration, que les tests de ce banc ne modifient pas (ils n'envoient que des saisies refusées)."""
    return _banc(guichet_python, controles, tmp_path_factory.mktemp("dossier-lecture"))


@pytest.fixture
def banc_ecriture(guichet_python, controles, tmp_path):
    return _banc(guichet_python, controles, tmp_path)


def _client(b, role):
    if role == "proprietaire":
        c = client(b.app)
        assert connecter(c, PROPRIETAIRE).status_code == 303
        return c
    if role == "membre_lys":
        c = client(b.app)
        assert connecter(c, MEMBRE_LYS).status_code == 303
        return c
    return client_de(b.app, role)


@pytest.fixture(scope="module")
def clients(banc_lecture):
    return {role: _client(banc_lecture, role) for role in ROLES}


def _verifier(reponse, attendu, chemin):
    if attendu == R:
        assert reponse.status_code == 303, (chemin, reponse.status_code)
        assert reponse.headers["location"].startswith("/connexion?suivant=/instruction/dossiers/")
    else:
        assert reponse.status_code == attendu, (chemin, reponse.status_code, reponse.text[:400])


LECTURE = {"anonyme": R, **AUTRES, "instructeur": 200, "membre_lys": 200, "admin": 200}
PAGES = {
    f"/instruction/dossiers/{EN_COMITE}": LECTURE,
    f"/instruction/dossiers/{EN_COMITE}/avis": LECTURE,
    f"/instruction/dossiers/{EN_COMITE}/avis/document": LECTURE,
    f"/instruction/dossiers/{A_REVOIR}": {**LECTURE, "membre_lys": 404},
    f"/instruction/dossiers/{A_REVOIR}/correction": {**LECTURE, "membre_lys": 404},
    f"/instruction/dossiers/{EN_COMITE}/correction": {**LECTURE, "membre_lys": 403, "instructeur": 409, "admin": 409},
    f"/instruction/dossiers/{BROUILLON}/avis": {**LECTURE, "membre_lys": 404, "instructeur": 409, "admin": 409},
    f"/instruction/dossiers/{INCONNU}": {"anonyme": R, **dict.fromkeys(ROLES[1:], 404)},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("chemin", PAGES)
def test_chaque_page_du_dossier_repond_a_chaque_role_selon_la_politique(clients, chemin, role):
    reponse = clients[role].get(chemin)
    _verifier(reponse, PAGES[chemin][role], chemin)
    if reponse.status_code in (404, 409):
        assert "text/html" in reponse.headers["content-type"]


# Each form, with a valid token, on the decided dossier of the meeting: refused content or a refused request.
FORMULAIRES = {
    f"/instruction/dossiers/{EN_COMITE}/evaluation": ({}, 409),
    f"/instruction/dossiers/{EN_COMITE}/etat": ({"vers": "en_instruction", "motif": ""}, 422),
    f"/instruction/dossiers/{EN_COMITE}/correction": ({"genre": ""}, 409),  # closed: no correction form
    f"/instruction/dossiers/{EN_COMITE}/corrections/1/revue": ({"decision": "retirer", "justification": ""}, 422),
    f"/instruction/dossiers/{EN_COMITE}/complements": ({"message": ""}, 422),
    f"/instruction/dossiers/{EN_COMITE}/messages": ({"texte": " "}, 422),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("chemin", FORMULAIRES)
def test_chaque_formulaire_avec_son_jeton_repond_a_chaque_role_selon_la_politique(clients, chemin, role):
    donnees, pour_l_instruction = FORMULAIRES[chemin]
    attendus = {"anonyme": R, **AUTRES, "membre_lys": 403, "instructeur": pour_l_instruction,
                "admin": pour_l_instruction}
    jeton = jeton_csrf(clients[role].get("/inscription").text)  # every session, anonymous or not, has one
    _verifier(clients[role].post(chemin, data={**donnees, "csrf_token": jeton}), attendus[role], chemin)


@pytest.mark.parametrize("chemin", FORMULAIRES)
def test_chaque_formulaire_sans_jeton_ou_avec_un_faux_est_refuse_en_403(clients, chemin):
    for donnees in ({}, {"csrf_token": "faux"}):
        reponse = clients["instructeur"].post(chemin, data={**FORMULAIRES[chemin][0], **donnees})
        assert reponse.status_code == 403 and "jeton de sécurité du formulaire" in reponse.text


def test_la_page_montre_donnees_plan_evaluation_constats_passages_et_historique(clients):
    html = clients["instructeur"].get(f"/instruction/dossiers/{A_REVOIR}").text
    for titre in ("Données du dossier", "Plan de financement", "Pièces", "Évaluation", "Constats et passages cités",
                  "Corrections", "Changer l’état", "Historique"):
        assert f">{titre}<" in html or f">{titre} <" in html, titre
    assert "SAS Nids d&#39;îles" in html or "SAS Nids d'îles" in html
    assert re.search(r'href="/textes/\d{3}_[0-9a-f]+\.txt#regle-[a-z0-9_.]+"', html)
    assert "Valeur lue dans le dossier" in html
    assert "Favorable sous réserve" in html and "À revoir" in html
    assert "Aucune pièce." in html


def test_seuls_les_passages_permis_sont_proposes(clients):
    html = clients["instructeur"].get(f"/instruction/dossiers/{A_REVOIR}").text
    assert re.findall(r'name="vers" value="([a-z_]+)"', html) == ["avis_rendu", "classe_sans_suite"]
    decide = clients["instructeur"].get(f"/instruction/dossiers/{EN_COMITE}").text
    assert 'name="vers"' not in decide and "Le dossier est clos" in decide


def test_un_membre_de_la_reunion_lit_le_dossier_sans_aucun_formulaire_d_action(clients):
    html = clients["membre_lys"].get(f"/instruction/dossiers/{EN_COMITE}").text
    assert "Constats et passages cités" in html
    actions = re.findall(r'<form method="post" action="(/instruction[^"]+)"', html)
    assert actions == []
    for bouton in ("Évaluer à nouveau", "Corriger le calcul", "Changer l’état", "Maintenir la correction"):
        assert bouton not in html
    assert "Voir l’avis technique" in html  # reading the avis is reading the dossier


def _page_et_jeton(c, chemin):
    page = c.get(chemin)
    assert page.status_code == 200, page.text[:300]
    return page.text, jeton_csrf(page.text)


def test_une_correction_incomplete_montre_ses_erreurs_et_garde_ce_qui_a_ete_tape(banc_lecture):
    c = client_de(banc_lecture.app, "instructeur")
    _, jeton = _page_et_jeton(c, f"/instruction/dossiers/{A_REVOIR}/correction")
    reponse = c.post(f"/instruction/dossiers/{A_REVOIR}/correction",
                     data={"csrf_token": jeton, "genre": "statut", "financeur": "region_hdf", "statut": "",
                           "justification": "   "})
    assert reponse.status_code == 422
    html = unescape(reponse.text)
    assert "Il y a un problème" in html and "<title>Erreur : " in html
    assert 'href="#statut"' in html and "Statut retenu : champ obligatoire" in html
    assert 'href="#justification"' in html and "Justification : une correction exige une justification" in html
    assert re.search(r'<option value="region_hdf" selected', html)
    assert '<input type="hidden" name="genre" value="statut">' in html


def test_une_valeur_que_le_calcul_donne_deja_est_refusee_en_nommant_le_champ(banc_lecture):
    c = client_de(banc_lecture.app, "instructeur")
    _, jeton = _page_et_jeton(c, f"/instruction/dossiers/{A_REVOIR}/correction")
    with banc_lecture.contexte.unite_de_travail() as uow:
        calcule = uow.dossiers.obtenir(A_REVOIR).derniere_evaluation.resultat.statut("region_hdf")
    reponse = c.post(f"/instruction/dossiers/{A_REVOIR}/correction",
                     data={"csrf_token": jeton, "genre": "statut", "financeur": "region_hdf", "statut": calcule,
                           "justification": "pour voir"})
    assert reponse.status_code == 422
    assert "Statut retenu : le calcul donne déjà" in unescape(reponse.text)
    assert "pour voir" in unescape(reponse.text)


def test_corriger_un_statut_puis_le_voir_retenu_a_cote_du_calcul(banc_ecriture):
    c = client_de(banc_ecriture.app, "instructeur")
    _, jeton = _page_et_jeton(c, f"/instruction/dossiers/{A_REVOIR}/correction?genre=statut&financeur=leader")
    reponse = c.post(f"/instruction/dossiers/{A_REVOIR}/correction",
                     data={"csrf_token": jeton, "genre": "statut", "financeur": "leader", "statut": "exclu",
                           "justification": "Le GAL a clos son appel à projets pour 2025."})
    assert reponse.status_code == 303
    assert reponse.headers["location"] == f"/instruction/dossiers/{A_REVOIR}?fait=correction"
    brut = c.get(reponse.headers["location"]).text
    assert '<p class="govuk-notification-banner__heading">La correction est enregistrée' in brut  # not escaped
    html = unescape(brut)
    assert "Le GAL a clos son appel à projets pour 2025." in html
    ligne = re.search(r'<tr class="govuk-table__row guichet-ecart">\s*<th[^>]*>LEADER \(GAL\)</th>(.*?)</tr>', html,
                      re.S)
    assert ligne and "Exclu" in ligne.group(1) and "Corrigé" in ligne.group(1)
    with banc_ecriture.contexte.unite_de_travail() as uow:
        dossier = uow.dossiers.obtenir(A_REVOIR)
    assert dossier.corrections[-1].auteur == "Compte instructeur" and dossier.evaluation_retenue().statut(
        "leader") == "exclu"


@pytest.mark.parametrize("decision, fait, retiree", [("maintenir", "maintenue", False), ("retirer", "retiree", True)])
def test_maintenir_ou_retirer_une_correction_a_revoir(banc_ecriture, decision, fait, retiree):
    c = client_de(banc_ecriture.app, "instructeur")
    html, jeton = _page_et_jeton(c, f"/instruction/dossiers/{A_REVOIR}")
    assert 'action="/instruction/dossiers/LA-2025-003/corrections/1/revue"' in html
    vide = c.post(f"/instruction/dossiers/{A_REVOIR}/corrections/1/revue",
                  data={"csrf_token": jeton, "decision": decision, "justification": ""})
    assert vide.status_code == 422 and 'href="#justification-1"' in vide.text
    reponse = c.post(f"/instruction/dossiers/{A_REVOIR}/corrections/1/revue",
                     data={"csrf_token": jeton, "decision": decision, "justification": "Clientèles confirmées."})
    assert reponse.status_code == 303 and reponse.headers["location"].endswith(f"?fait={fait}")
    with banc_ecriture.contexte.unite_de_travail() as uow:
        correction = uow.dossiers.obtenir(A_REVOIR).corrections[0]
    assert (correction.a_revoir, correction.retiree) == (False, retiree)
    assert "Clientèles confirmées." in (correction.retrait if retiree else correction.justification)


def test_un_passage_refuse_rend_la_page_avec_les_passages_permis_et_rien_ne_change(banc_ecriture):
    c = client_de(banc_ecriture.app, "instructeur")
    _, jeton = _page_et_jeton(c, f"/instruction/dossiers/{A_REVOIR}")
    reponse = c.post(f"/instruction/dossiers/{A_REVOIR}/etat",
                     data={"csrf_token": jeton, "vers": "decide", "motif": "pour aller vite"})
    assert reponse.status_code == 409
    html = unescape(reponse.text)
    assert "Ce changement d’état est refusé : un dossier « En instruction » ne passe pas à « Décidé »" in html
    assert 'href="#transitions"' in html
    assert re.findall(r'name="vers" value="([a-z_]+)"', html) == ["avis_rendu", "classe_sans_suite"]
    with banc_ecriture.contexte.unite_de_travail() as uow:
        assert uow.dossiers.obtenir(A_REVOIR).etat == "en_instruction"


def test_evaluer_puis_rendre_l_avis_fait_avancer_le_dossier(banc_ecriture):
    c = client_de(banc_ecriture.app, "instructeur")
    _, jeton = _page_et_jeton(c, f"/instruction/dossiers/{A_REVOIR}")
    with banc_ecriture.contexte.unite_de_travail() as uow:
        avant = len(uow.dossiers.obtenir(A_REVOIR).evaluations)
    assert c.post(f"/instruction/dossiers/{A_REVOIR}/evaluation", data={"csrf_token": jeton}).status_code == 303
    reponse = c.post(f"/instruction/dossiers/{A_REVOIR}/etat",
                     data={"csrf_token": jeton, "vers": "avis_rendu", "motif": "Avis transmis au porteur."})
    assert reponse.status_code == 303 and reponse.headers["location"].endswith("?fait=etat")
    assert "Le dossier a changé d’état" in c.get(reponse.headers["location"]).text
    with banc_ecriture.contexte.unite_de_travail() as uow:
        dossier = uow.dossiers.obtenir(A_REVOIR)
    assert len(dossier.evaluations) == avant + 1 and dossier.etat == "avis_rendu"
    assert dossier.transitions[-1].motif == "Avis transmis au porteur."


def test_un_motif_vide_est_une_erreur_a_cote_de_son_passage(banc_lecture):
    c = client_de(banc_lecture.app, "instructeur")
    _, jeton = _page_et_jeton(c, f"/instruction/dossiers/{A_REVOIR}")
    reponse = c.post(f"/instruction/dossiers/{A_REVOIR}/etat",
                     data={"csrf_token": jeton, "vers": "classe_sans_suite", "motif": " "})
    assert reponse.status_code == 422
    assert 'href="#motif-classe_sans_suite"' in reponse.text and 'id="motif-classe_sans_suite-error"' in reponse.text


def test_l_avis_se_telecharge_en_pdf_avec_sa_reference(clients):
    reponse = clients["instructeur"].get(f"/instruction/dossiers/{A_REVOIR}/avis.pdf")
    assert reponse.status_code == 200 and reponse.headers["content-type"] == "application/pdf"
    assert reponse.headers["content-disposition"].startswith(f'attachment; filename="avis-{A_REVOIR}.pdf"')
    texte = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(reponse.content)).pages)
    assert A_REVOIR in texte and "Avis technique" in texte
    for role in ("porteur", "proprietaire", "membre_lys"):
        assert clients[role].get(f"/instruction/dossiers/{A_REVOIR}/avis.pdf").status_code == 404


def test_l_apercu_de_l_avis_est_le_document_du_pdf_dans_un_cadre_de_ce_site(clients):
    apercu = clients["instructeur"].get(f"/instruction/dossiers/{A_REVOIR}/avis").text
    assert f'src="/instruction/dossiers/{A_REVOIR}/avis/document"' in apercu and "<iframe" in apercu
    document = clients["instructeur"].get(f"/instruction/dossiers/{A_REVOIR}/avis/document")
    assert "frame-ancestors 'self'" in document.headers["content-security-policy"]
    assert document.headers["x-frame-options"] == "SAMEORIGIN"
    assert f"Avis technique <span class=\"reference\">— dossier {A_REVOIR}" in document.text
    feuille = clients["instructeur"].get(f"/instruction/dossiers/{A_REVOIR}/avis/_document.css")
    assert feuille.status_code == 200 and feuille.headers["content-type"].startswith("text/css")


def test_le_proprietaire_ne_peut_pas_evaluer_depuis_la_page_des_services(banc_ecriture):
    c = client(banc_ecriture.app)
    assert connecter(c, PROPRIETAIRE).status_code == 303
    jeton = jeton_csrf(c.get("/inscription").text)
    with banc_ecriture.contexte.unite_de_travail() as uow:
        avant = len(uow.dossiers.obtenir(A_REVOIR).evaluations)
    assert c.post(f"/instruction/dossiers/{A_REVOIR}/evaluation", data={"csrf_token": jeton}).status_code == 404
    assert len(services.consulter(banc_ecriture.contexte.unite_de_travail(), A_REVOIR,
                                  Agent.local("t")).evaluations) == avant


def test_demander_des_complements_au_porteur_puis_lui_ecrire(banc_ecriture):
    c = client_de(banc_ecriture.app, "instructeur")
    html, jeton = _page_et_jeton(c, f"/instruction/dossiers/{A_REVOIR}")
    assert "Aucune demande de compléments" in html and 'action="/instruction/dossiers/LA-2025-003/complements"' in html
    vide = c.post(f"/instruction/dossiers/{A_REVOIR}/complements",
                  data={"csrf_token": jeton, "message": "Précisez le plan."})
    assert vide.status_code == 422 and 'href="#champs"' in vide.text
    assert "Ce que le porteur doit compléter : choisissez au moins un champ" in unescape(vide.text)
    assert "Précisez le plan." in vide.text  # what was typed is kept
    reponse = c.post(f"/instruction/dossiers/{A_REVOIR}/complements",
                     data={"csrf_token": jeton, "champs": ["budget.financements", "pieces"],
                           "message": "Joignez la délibération du conseil et précisez le plan de financement."})
    assert reponse.status_code == 303 and reponse.headers["location"].endswith("?fait=complements")
    html = unescape(c.get(reponse.headers["location"]).text)
    assert "En attente du porteur" in html and "À compléter : Plan de financement, Pièces jointes." in html
    assert 'action="/instruction/dossiers/LA-2025-003/complements"' not in html  # one request at a time
    assert "Compléments demandés (demande n° 1)" in html  # in the history too
    encore = c.post(f"/instruction/dossiers/{A_REVOIR}/complements",
                    data={"csrf_token": jeton, "champs": ["projet.labels"], "message": "Et les labels."})
    assert encore.status_code == 409 and "attend déjà la réponse du porteur" in unescape(encore.text)

    ecrit = c.post(f"/instruction/dossiers/{A_REVOIR}/messages",
                   data={"csrf_token": jeton, "texte": "Bonjour, la délibération peut être jointe en PDF."})
    assert ecrit.status_code == 303
    fil = unescape(c.get(ecrit.headers["location"]).text)
    assert "Le message est envoyé au porteur" in fil and "la délibération peut être jointe en PDF." in fil


def test_les_pieces_du_porteur_se_telechargent_depuis_la_page(banc_ecriture):
    proprietaire = Agent(PROPRIETAIRE, "porteur", nom="Porteur")
    piece = pieces.ajouter_piece(banc_ecriture.contexte.unite_de_travail(), A_REVOIR, "Délibération", "délib.pdf",
                                 b"%PDF-1.4 essai", proprietaire)
    c = client_de(banc_ecriture.app, "instructeur")
    html = unescape(c.get(f"/instruction/dossiers/{A_REVOIR}").text)
    lien = f'href="/pieces/{A_REVOIR}/{piece.numero}"'
    assert lien in html and "Délibération" in html and "Aucune pièce." not in html
    assert c.get(f"/pieces/{A_REVOIR}/{piece.numero}").content == b"%PDF-1.4 essai"
