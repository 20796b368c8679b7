"""Les parcours des comptes par HTTP, l'application en processus : connexion et retour à la page demandée,
cookie de session, déconnexion, inscription et confirmation, changement de rôle et de mot de passe, jetons créés
et révoqués depuis /admin, journal d'audit, freinage des tentatives."""
import logging
import re
from datetime import timedelta

import pytest

from instruction.acces import Agent
from instruction.comptes import services
from tests.e2e.banc_comptes import COMPTES, MDP, client, client_de, connecter, jeton_csrf, jeton_de_page


def _journal(banc, nombre=50):
    return services.journal(banc.contexte.unite_de_travail(), Agent.local("test"), nombre)


@pytest.mark.parametrize("suivant, attendu", [
    ("/admin/comptes/nouveau", "/admin/comptes/nouveau"),
    ("//ailleurs.example/piege", "/admin"), ("https://ailleurs.example/", "/admin"), ("/\\ailleurs.example", "/admin"),
    ("admin", "/admin"), ("", "/admin"),
])
def test_la_connexion_renvoie_vers_la_page_demandee_si_elle_est_de_ce_site(banc_partage, suivant, attendu):
    reponse = connecter(client(banc_partage.app), COMPTES["admin"], suivant=suivant)
    assert (reponse.status_code, reponse.headers["location"]) == (303, attendu)


def test_le_cookie_de_session_est_httponly_samesite_lax_et_secure_hors_de_cette_machine(banc_partage):
    anonyme = client(banc_partage.app)
    cookie_anonyme = anonyme.get("/connexion").headers["set-cookie"]
    reponse = connecter(anonyme, COMPTES["porteur"])
    cookie = reponse.headers["set-cookie"]
    assert all(attribut in cookie for attribut in ("HttpOnly", "SameSite=Lax", "Secure", "Path=/"))
    # A new secret once signed in: a session id known before the login is worth nothing after it.
    assert cookie.split(";")[0] != cookie_anonyme.split(";")[0]
    local = client(banc_partage.app, "http://127.0.0.1:8000")
    assert "Secure" not in local.get("/connexion").headers["set-cookie"]
    assert connecter(local, COMPTES["porteur"]).status_code == 303  # and the plain-HTTP cookie works there


def test_une_page_vue_connecte_n_est_pas_gardee_en_cache(banc_partage):
    assert client_de(banc_partage.app, "porteur").get("/mes-dossiers").headers["cache-control"] == "no-store"


def test_un_mauvais_mot_de_passe_garde_l_adresse_et_dit_l_erreur_sans_dire_si_le_compte_existe(banc_neuf):
    visiteur = client(banc_neuf.app)
    faux = connecter(visiteur, "Admin@Essai.fr", "mauvais-mot-de-passe")
    inconnu = connecter(visiteur, "personne@essai.fr", "mauvais-mot-de-passe")
    for reponse, email in ((faux, "Admin@Essai.fr"), (inconnu, "personne@essai.fr")):
        assert reponse.status_code == 422
        assert "<title>Erreur : Se connecter — Guichet</title>" in reponse.text
        assert "Il y a un problème" in reponse.text and 'href="#mot_de_passe"' in reponse.text
        assert reponse.text.count("Identifiant ou mot de passe incorrect") == 2  # summary and field
        assert f'value="{email}"' in reponse.text
        assert 'name="mot_de_passe"' in reponse.text and 'value="mauvais' not in reponse.text
    assert [(e.genre, e.acteur) for e in _journal(banc_neuf, 2)] == [
        ("echec_connexion", "personne@essai.fr"), ("echec_connexion", "admin@essai.fr")]


def test_les_champs_vides_sont_nommes_sans_compter_d_echec(banc_neuf):
    visiteur = client(banc_neuf.app)
    reponse = visiteur.post("/connexion", data={"csrf_token": jeton_de_page(visiteur, "/connexion")})
    assert "Saisissez votre adresse électronique" in reponse.text and "Saisissez votre mot de passe" in reponse.text
    assert _journal(banc_neuf, 1)[0].genre == "creation_compte"


def test_cinq_echecs_bloquent_le_compte_et_le_message_dit_quand_reessayer(banc_neuf):
    visiteur = client(banc_neuf.app)
    codes = [connecter(visiteur, COMPTES["porteur"], "mauvais-mot-de-passe").status_code for _ in range(4)]
    assert codes == [422] * 4
    bloque = connecter(visiteur, COMPTES["porteur"], "mauvais-mot-de-passe")
    assert bloque.status_code == 429 and 800 <= int(bloque.headers["retry-after"]) <= 900
    assert re.search(r"Trop de tentatives de connexion\. Réessayez à partir de \d+ h \d\d", bloque.text)
    assert connecter(visiteur, COMPTES["porteur"]).status_code == 429  # even with the right password
    assert connecter(visiteur, COMPTES["instructeur"]).status_code == 303  # another account is not blocked
    banc_neuf.contexte.horloge.avancer(minutes=15)
    assert connecter(client(banc_neuf.app), COMPTES["porteur"]).status_code == 303


def test_une_adresse_sans_compte_est_bloquee_pareil(banc_neuf):
    visiteur = client(banc_neuf.app)
    codes = [connecter(visiteur, "personne@essai.fr", "mauvais-mot-de-passe").status_code for _ in range(5)]
    assert codes == [422, 422, 422, 422, 429]


def test_la_deconnexion_ferme_la_session_pour_de_bon(banc_neuf):
    porteur = client_de(banc_neuf.app, "porteur")
    ancien_cookie = porteur.cookies.get("guichet_session")
    reponse = porteur.post("/deconnexion", data={"csrf_token": jeton_de_page(porteur)})
    assert (reponse.status_code, reponse.headers["location"]) == (303, "/connexion?deconnexion=1")
    assert "Max-Age=0" in reponse.headers["set-cookie"]
    assert "Vous êtes déconnecté" in porteur.get("/connexion?deconnexion=1").text
    rejoue = client(banc_neuf.app)
    rejoue.cookies.set("guichet_session", ancien_cookie, domain="guichet.test")
    assert rejoue.get("/mes-dossiers").status_code == 303  # the stolen cookie is worth nothing now
    assert _journal(banc_neuf, 1)[0].genre == "deconnexion"


def test_une_inscription_se_confirme_par_le_lien_du_journal_du_serveur(banc_neuf, caplog):
    visiteur = client(banc_neuf.app)
    jeton = jeton_de_page(visiteur, "/inscription")
    formulaire = {"email": "Camille@Exemple.fr", "nom": "Camille Durand", "mot_de_passe": MDP, "confirmation": MDP,
                  "csrf_token": jeton}
    with caplog.at_level(logging.WARNING, logger="guichet.web"):
        reponse = visiteur.post("/inscription", data=formulaire)
    assert (reponse.status_code, reponse.headers["location"]) == (303, "/inscription/envoyee")
    lien = re.search(r"https://guichet\.test/inscription/confirmer\?jeton=\S+", caplog.text).group(0)
    assert connecter(client(banc_neuf.app), "camille@exemple.fr").status_code == 422  # not confirmed yet
    assert "n’est pas encore confirmée" in connecter(client(banc_neuf.app), "camille@exemple.fr").text
    assert "Adresse confirmée" in visiteur.get(lien.removeprefix("https://guichet.test")).text
    assert connecter(client(banc_neuf.app), "camille@exemple.fr").headers["location"] == "/mes-dossiers"
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="guichet.web"):  # again: the same answer, and no new link
        assert visiteur.post("/inscription", data=formulaire).headers["location"] == "/inscription/envoyee"
    assert "confirmer?jeton" not in caplog.text


def test_une_inscription_invalide_montre_chaque_erreur_a_son_champ(banc_neuf):
    visiteur = client(banc_neuf.app)
    jeton = jeton_de_page(visiteur, "/inscription")
    reponse = visiteur.post("/inscription", data={"email": "pas-une-adresse", "mot_de_passe": "court",
                                                  "confirmation": "court", "csrf_token": jeton})
    assert reponse.status_code == 422
    for ancre in ("#email", "#mot_de_passe"):
        assert f'href="{ancre}"' in reponse.text
    assert 'value="pas-une-adresse"' in reponse.text


def test_un_role_change_par_l_administrateur_vaut_des_la_page_suivante(banc_neuf):
    admin, porteur = client_de(banc_neuf.app, "admin"), client_de(banc_neuf.app, "porteur")
    assert porteur.get("/instruction/dossiers").status_code == 403
    formulaire = admin.get(f"/admin/comptes/role?email={COMPTES['porteur']}")
    assert "Changer le rôle de porteur@essai.fr" in formulaire.text  # the target, not the signed-in admin
    reponse = admin.post("/admin/comptes/role", data={"email": COMPTES["porteur"], "role": "instructeur",
                                                      "csrf_token": jeton_csrf(formulaire.text)})
    assert (reponse.status_code, reponse.headers["location"]) == (303, "/admin?fait=role")
    assert porteur.get("/instruction/dossiers").status_code == 200
    evenement = _journal(banc_neuf, 1)[0]
    assert (evenement.genre, evenement.acteur, evenement.cible, evenement.detail) == (
        "changement_role", "admin@essai.fr", "porteur@essai.fr", "porteur → instructeur")
    assert "Le rôle a été changé." in admin.get("/admin?fait=role").text


def test_un_compte_desactive_perd_sa_session_et_ne_se_connecte_plus(banc_neuf):
    admin, porteur = client_de(banc_neuf.app, "admin"), client_de(banc_neuf.app, "porteur")
    assert porteur.get("/mes-dossiers").status_code == 200
    page = admin.get(f"/admin/comptes/role?email={COMPTES['porteur']}")
    assert "Désactiver le compte" in page.text
    sans_choix = admin.post("/admin/comptes/activite", data={"email": COMPTES["porteur"], "actif": "peut-etre",
                                                            "csrf_token": jeton_csrf(page.text)})
    assert sans_choix.status_code == 422 and 'href="#activite"' in sans_choix.text
    reponse = admin.post("/admin/comptes/activite", data={"email": COMPTES["porteur"], "actif": "non",
                                                         "csrf_token": jeton_csrf(page.text)})
    assert (reponse.status_code, reponse.headers["location"]) == (303, "/admin?fait=desactivation")
    assert _journal(banc_neuf, 1)[0].genre == "desactivation_compte"
    assert porteur.get("/mes-dossiers", follow_redirects=False).headers["location"].startswith("/connexion")
    assert connecter(client(banc_neuf.app), COMPTES["porteur"]).status_code == 422
    page = admin.get(f"/admin/comptes/role?email={COMPTES['porteur']}")
    assert "Réactiver le compte" in page.text
    admin.post("/admin/comptes/activite", data={"email": COMPTES["porteur"], "actif": "oui",
                                               "csrf_token": jeton_csrf(page.text)})
    assert connecter(client(banc_neuf.app), COMPTES["porteur"]).status_code == 303


def test_l_administrateur_cree_un_compte_qui_peut_se_connecter(banc_neuf):
    admin = client_de(banc_neuf.app, "admin")
    jeton = jeton_de_page(admin, "/admin/comptes/nouveau")
    erreur = admin.post("/admin/comptes/nouveau", data={"email": COMPTES["porteur"], "role": "porteur",
                                                         "mot_de_passe": MDP, "csrf_token": jeton})
    assert erreur.status_code == 422 and "Un compte existe déjà pour cette adresse" in erreur.text
    reponse = admin.post("/admin/comptes/nouveau", data={"email": "ines@region.fr", "nom": "Inès",
                                                          "role": "instructeur", "mot_de_passe": MDP,
                                                          "csrf_token": jeton})
    assert reponse.headers["location"] == "/admin?fait=compte"
    assert "ines@region.fr" in admin.get("/admin").text
    assert connecter(client(banc_neuf.app), "ines@region.fr").headers["location"] == "/instruction/dossiers"


def test_changer_son_mot_de_passe_ferme_ses_autres_sessions(banc_neuf):
    ici, ailleurs = client_de(banc_neuf.app, "membre_comite"), client_de(banc_neuf.app, "membre_comite")
    nouveau = "nouveau-mot-de-passe-2"
    faux = ici.post("/mon-compte/mot-de-passe", data={
        "mot_de_passe_actuel": "pas-le-bon-du-tout", "nouveau_mot_de_passe": nouveau, "confirmation": nouveau,
        "csrf_token": jeton_de_page(ici)})
    assert faux.status_code == 422 and "Le mot de passe actuel est incorrect" in faux.text
    reponse = ici.post("/mon-compte/mot-de-passe", data={
        "mot_de_passe_actuel": MDP, "nouveau_mot_de_passe": nouveau, "confirmation": nouveau,
        "csrf_token": jeton_de_page(ici)})
    assert reponse.headers["location"] == "/mon-compte/mot-de-passe?change=1"
    assert "Votre mot de passe a été changé" in ici.get(reponse.headers["location"]).text
    assert ailleurs.get("/comites").status_code == 303  # the other session is closed
    assert connecter(client(banc_neuf.app), COMPTES["membre_comite"], nouveau).status_code == 303
    assert _journal(banc_neuf, 2)[-1].genre == "changement_mot_de_passe"


def test_un_jeton_cree_depuis_l_administration_n_est_montre_qu_une_fois(banc_neuf):
    admin = client_de(banc_neuf.app, "admin")
    reponse = admin.post("/admin/jetons/nouveau", data={"nom": "Tableau de bord", "role": "instructeur",
                                                         "csrf_token": jeton_de_page(admin, "/admin/jetons/nouveau")})
    assert reponse.status_code == 200 and reponse.headers["cache-control"] == "no-store"
    secret = re.search(r"gch_[0-9a-f]{8}_[\w-]{43}", reponse.text).group(0)
    liste = admin.get("/admin").text
    assert secret[:12] in liste and secret not in liste
    prefixe = secret[4:12]
    revocation = admin.post("/admin/jetons/revoquer", data={"prefixe": prefixe, "csrf_token": jeton_csrf(liste)})
    assert revocation.headers["location"] == "/admin?fait=revocation"
    assert "Révoqué le" in admin.get("/admin").text
    assert [e.genre for e in _journal(banc_neuf, 2)] == ["revocation_jeton", "creation_jeton"]


def test_le_journal_d_audit_dit_qui_quand_et_d_ou(banc_neuf):
    connecter(client(banc_neuf.app), COMPTES["porteur"], "mauvais-mot-de-passe")
    admin = client_de(banc_neuf.app, "admin")
    page = admin.get("/admin").text
    assert "Échec de connexion" in page and "Connexion" in page and "testclient" in page  # TestClient's address
    evenements = _journal(banc_neuf, 2)
    assert [(e.genre, e.acteur, e.adresse) for e in evenements] == [
        ("connexion", "admin@essai.fr", "testclient"), ("echec_connexion", "porteur@essai.fr", "testclient")]
    assert evenements[0].quand - banc_neuf.contexte.horloge() < timedelta(seconds=1)
