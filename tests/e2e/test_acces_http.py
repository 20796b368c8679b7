"""Chaque page ajoutée × chaque rôle (et l'anonyme), par HTTP : la page, un renvoi vers la connexion, 403 pour
une rubrique que le rôle n'a pas, 404 pour ce qui n'existe pas ; chaque formulaire refuse un envoi sans jeton
anti-CSRF (403)."""
import pytest

from tests.e2e.banc_comptes import COMPTES, ROLES_ET_ANONYME, client_de, jeton_de_page

R = "connexion"  # the page needs a session: a redirect to /connexion?suivant=…
TOUS = dict.fromkeys(COMPTES, 200)
ADMIN_SEUL = {"porteur": 403, "instructeur": 403, "membre_comite": 403, "admin": 200}

# address -> expected answer for anonyme, porteur, instructeur, membre_comite, admin
PAGES = {
    "/connexion": {"anonyme": 200, **dict.fromkeys(COMPTES, 303)},  # signed in: straight to one's home
    "/inscription": {"anonyme": 200, **TOUS},
    "/inscription/envoyee": {"anonyme": 200, **TOUS},
    "/inscription/confirmer?jeton=inconnu": {"anonyme": 404, **dict.fromkeys(COMPTES, 404)},
    "/mon-compte/mot-de-passe": {"anonyme": R, **TOUS},
    "/mes-dossiers": {"anonyme": R, "porteur": 200, "instructeur": 403, "membre_comite": 403, "admin": 200},
    "/instruction/dossiers": {"anonyme": R, "porteur": 403, "instructeur": 200, "membre_comite": 403, "admin": 200},
    "/instruction/inconnue": {"anonyme": 404, **dict.fromkeys(COMPTES, 404)},  # no such page, for anyone
    "/comites": {"anonyme": R, "porteur": 403, "instructeur": 200, "membre_comite": 200, "admin": 200},
    "/admin": {"anonyme": R, **ADMIN_SEUL},
    "/admin/comptes/nouveau": {"anonyme": R, **ADMIN_SEUL},
    "/admin/comptes/role?email=porteur@essai.fr": {"anonyme": R, **ADMIN_SEUL},
    "/admin/comptes/role?email=personne@essai.fr": {"anonyme": R, **ADMIN_SEUL, "admin": 404},
    "/admin/jetons/nouveau": {"anonyme": R, **ADMIN_SEUL},
}

# Each form, sent with a valid CSRF token but with a content that changes nothing (empty or unknown).
FORMULAIRES = {
    "/connexion": ({}, {"anonyme": 422, **dict.fromkeys(COMPTES, 422)}),
    "/inscription": ({}, {"anonyme": 422, **dict.fromkeys(COMPTES, 422)}),
    "/mon-compte/mot-de-passe": ({}, {"anonyme": R, **dict.fromkeys(COMPTES, 422)}),
    "/admin/comptes/nouveau": ({}, {"anonyme": R, **ADMIN_SEUL, "admin": 422}),
    "/admin/comptes/role": ({"email": "personne@essai.fr", "role": "admin"},
                            {"anonyme": R, **ADMIN_SEUL, "admin": 404}),
    "/admin/jetons/nouveau": ({"role": "stagiaire"}, {"anonyme": R, **ADMIN_SEUL, "admin": 422}),
    "/admin/jetons/revoquer": ({"prefixe": "00000000"}, {"anonyme": R, **ADMIN_SEUL, "admin": 404}),
}
TOUS_LES_FORMULAIRES = [*FORMULAIRES, "/deconnexion"]


@pytest.fixture(scope="module")
def clients(banc_partage):
    return {role: client_de(banc_partage.app, role) for role in ROLES_ET_ANONYME}


def _verifier(reponse, attendu, chemin):
    if attendu == R:
        assert reponse.status_code == 303, (chemin, reponse.status_code)
        assert reponse.headers["location"].startswith("/connexion?suivant=/"), reponse.headers["location"]
    else:
        assert reponse.status_code == attendu, (chemin, reponse.status_code, reponse.text[:300])


@pytest.mark.parametrize("role", ROLES_ET_ANONYME)
@pytest.mark.parametrize("chemin", PAGES)
def test_chaque_page_repond_a_chaque_role_selon_la_politique(clients, chemin, role):
    reponse = clients[role].get(chemin)
    _verifier(reponse, PAGES[chemin][role], chemin)
    if reponse.status_code in (403, 404):
        assert "text/html" in reponse.headers["content-type"]
        attendus = ("Accès refusé",) if reponse.status_code == 403 else ("introuvable", "inconnu", "Aucun compte")
        assert any(texte in reponse.text for texte in attendus), reponse.text


def test_le_renvoi_vers_la_connexion_garde_la_page_demandee(clients):
    reponse = clients["anonyme"].get("/admin/comptes/role?email=porteur@essai.fr")
    assert reponse.headers["location"] == "/connexion?suivant=/admin/comptes/role%3Femail%3Dporteur%40essai.fr"


@pytest.mark.parametrize("role, accueil", [("porteur", "/mes-dossiers"), ("instructeur", "/instruction/dossiers"),
                                           ("membre_comite", "/comites"), ("admin", "/admin")])
def test_une_personne_connectee_qui_revient_a_la_connexion_va_a_l_accueil_de_son_role(clients, role, accueil):
    assert clients[role].get("/connexion").headers["location"] == accueil


@pytest.mark.parametrize("role", ROLES_ET_ANONYME)
@pytest.mark.parametrize("chemin", FORMULAIRES)
def test_chaque_formulaire_avec_son_jeton_repond_a_chaque_role_selon_la_politique(clients, chemin, role):
    donnees, attendus = FORMULAIRES[chemin]
    client = clients[role]
    jeton = jeton_de_page(client, "/inscription")  # a public form: every session, anonymous or not, has one
    _verifier(client.post(chemin, data={**donnees, "csrf_token": jeton}), attendus[role], chemin)


@pytest.mark.parametrize("role", ["anonyme", "admin"])
@pytest.mark.parametrize("chemin", TOUS_LES_FORMULAIRES)
def test_chaque_formulaire_sans_jeton_ou_avec_un_faux_est_refuse_en_403(clients, chemin, role):
    client = clients[role]
    jeton_de_page(client, "/inscription")  # the session exists: only the token is missing or wrong
    for donnees in ({}, {"csrf_token": "faux"}, {"csrf_token": ""}):
        reponse = client.post(chemin, data=donnees)
        assert reponse.status_code == 403, (chemin, donnees, reponse.status_code)
        assert "jeton de sécurité du formulaire" in reponse.text
    assert client.get("/mon-compte/mot-de-passe").status_code in (200, 303)  # still signed in (or never was)


def test_un_envoi_sans_aucune_session_est_refuse_en_403(banc_partage):
    from tests.e2e.banc_comptes import client
    reponse = client(banc_partage.app).post("/connexion", data={"email": "admin@essai.fr", "mot_de_passe": "x",
                                                                "csrf_token": "n'importe quoi"})
    assert reponse.status_code == 403


def test_le_jeton_est_aussi_accepte_dans_l_en_tete_x_csrf_token(clients):
    client = clients["admin"]
    jeton = jeton_de_page(client)
    reponse = client.post("/admin/jetons/revoquer", data={"prefixe": "00000000"}, headers={"X-CSRF-Token": jeton})
    assert reponse.status_code == 404  # past the CSRF check: the token simply does not exist
    refus = client.post("/admin/jetons/revoquer", data={"prefixe": "00000000"}, headers={"X-CSRF-Token": "faux"})
    assert refus.status_code == 403


def test_le_jeton_d_une_session_ne_vaut_pas_pour_une_autre(clients):
    jeton_admin = jeton_de_page(clients["admin"])
    reponse = clients["instructeur"].post("/mon-compte/mot-de-passe", data={"csrf_token": jeton_admin})
    assert reponse.status_code == 403


@pytest.mark.parametrize("role, rubriques", [
    ("anonyme", ["Déposer un projet", "Instruction", "Comités", "Les règles"]),
    ("porteur", ["Déposer un projet", "Les règles"]),
    ("instructeur", ["Instruction", "Comités", "Les règles"]),
    ("membre_comite", ["Comités", "Les règles"]),
    ("admin", ["Déposer un projet", "Instruction", "Comités", "Les règles", "Administration"]),
])
def test_le_bandeau_montre_les_rubriques_du_role(clients, role, rubriques):
    import re
    html = clients[role].get("/").text
    liens = re.findall(r'class="govuk-service-navigation__link" href="[^"]+"[^>]*>\s*(?:<strong[^>]*>)?([^<]+?)\s*<',
                       html)
    assert liens == rubriques
    assert ("Se déconnecter" in html) is (role != "anonyme")
