"""Les comptes dans un vrai navigateur (Chromium de Debian, un vrai `guichet serve`) : se connecter, se tromper de
mot de passe, se déconnecter, une page interdite au rôle, un formulaire en erreur, un parcours au seul clavier ;
axe-core ne trouve aucune violation sur chaque page ajoutée, dont chacune est capturée."""
import re

import pytest
from playwright.sync_api import expect

from api.bootstrap import unite_de_travail
from instruction.comptes import services
from tests.e2e.captures import auditer_et_capturer
from tests.e2e.navigateur import MDP_NAVIGATEUR, focus, se_connecter, tabuler_jusqu_a


@pytest.fixture
def contexte_axe(new_context, serveur, comptes_navigateur):
    """Un contexte où axe peut s'injecter (sans la politique de sécurité : seul ce contexte l'ignore)."""
    return new_context(bypass_csp=True)


def test_se_connecter_puis_se_deconnecter(contexte_axe, serveur, comptes_navigateur):
    page = contexte_axe.new_page()
    page.goto(f"{serveur}/mes-dossiers")
    assert re.search(r"/connexion\?suivant=/mes-dossiers$", page.url)
    auditer_et_capturer(page, "connexion")
    page.get_by_label("Adresse électronique").fill(comptes_navigateur["porteur"])
    page.get_by_label("Mot de passe", exact=True).fill(MDP_NAVIGATEUR)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(f"{serveur}/mes-dossiers")
    expect(page.locator("h1")).to_have_text("Mes dossiers")
    expect(page.locator(".guichet-compte")).to_contain_text("Connecté : Essai porteur (Porteur de projet)")
    auditer_et_capturer(page, "mes-dossiers")
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url(f"{serveur}/connexion?deconnexion=1")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Vous êtes déconnecté.")
    auditer_et_capturer(page, "deconnexion")
    page.goto(f"{serveur}/mes-dossiers")
    assert "/connexion?suivant=" in page.url


def test_un_mauvais_mot_de_passe_montre_le_resume_d_erreurs_qui_prend_le_focus(contexte_axe, serveur,
                                                                                comptes_navigateur):
    page = contexte_axe.new_page()
    se_connecter(page, serveur, comptes_navigateur["echecs"], "pas-le-bon-mot-de-passe")
    assert page.title() == "Erreur : Se connecter — Guichet"
    resume = page.locator(".govuk-error-summary")
    expect(resume).to_be_visible()
    expect(resume).to_contain_text("Il y a un problème")
    expect(resume.get_by_role("link", name="Identifiant ou mot de passe incorrect")).to_have_attribute(
        "href", "#mot_de_passe")
    page.wait_for_selector("[data-govuk-error-summary-init]", state="attached")
    assert "govuk-error-summary" in focus(page)["classes"]
    expect(page.locator("#mot_de_passe-error")).to_contain_text("Identifiant ou mot de passe incorrect")
    expect(page.get_by_label("Adresse électronique")).to_have_value(comptes_navigateur["echecs"])
    expect(page.get_by_label("Mot de passe", exact=True)).to_have_value("")
    auditer_et_capturer(page, "connexion-erreur")
    resume.get_by_role("link").click()  # the summary's link takes the reader to the field
    assert focus(page)["id"] == "mot_de_passe"


def test_une_page_interdite_au_role_repond_acces_refuse(contexte_axe, serveur, comptes_navigateur):
    page = contexte_axe.new_page()
    se_connecter(page, serveur, comptes_navigateur["porteur"])
    reponse = page.goto(f"{serveur}/admin")
    assert reponse.status == 403
    expect(page.locator("h1")).to_have_text("Accès refusé")
    assert page.title() == "Accès refusé — Guichet"
    assert page.locator(".govuk-service-navigation__link", has_text="Administration").count() == 0
    auditer_et_capturer(page, "acces-refuse")


def test_un_formulaire_en_erreur_montre_son_resume_et_chaque_champ(contexte_axe, serveur, comptes_navigateur):
    page = contexte_axe.new_page()
    page.goto(f"{serveur}/inscription")
    auditer_et_capturer(page, "inscription")
    page.get_by_label("Adresse électronique").fill("pas-une-adresse")
    page.get_by_label("Mot de passe", exact=True).fill("court")
    page.get_by_label("Confirmez le mot de passe").fill("court")
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_selector("[data-govuk-error-summary-init]", state="attached")
    assert "govuk-error-summary" in focus(page)["classes"]
    liens = page.locator(".govuk-error-summary__list a")
    expect(liens).to_have_count(2)
    expect(liens.nth(0)).to_have_attribute("href", "#email")
    expect(page.locator("#mot_de_passe-error")).to_contain_text("au moins 12 caractères")
    expect(page.get_by_label("Adresse électronique")).to_have_value("pas-une-adresse")
    auditer_et_capturer(page, "inscription-erreur")


def test_une_inscription_envoyee_puis_confirmee(contexte_axe, serveur, donnees_migrees, monkeypatch):
    page = contexte_axe.new_page()
    page.goto(f"{serveur}/inscription")
    page.get_by_label("Adresse électronique").fill("camille@nav.fr")
    page.get_by_label("Mot de passe", exact=True).fill(MDP_NAVIGATEUR)
    page.get_by_label("Confirmez le mot de passe").fill(MDP_NAVIGATEUR)
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.locator("h1")).to_have_text("Vérifiez votre messagerie")
    auditer_et_capturer(page, "inscription-envoyee")
    # The link went to the server's log; another registration, made here on the same database, gives one.
    monkeypatch.setenv("GUICHET_DONNEES", str(donnees_migrees))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    secret = services.inscrire(unite_de_travail(), "dominique@nav.fr", MDP_NAVIGATEUR, MDP_NAVIGATEUR).secret
    page.goto(f"{serveur}/inscription/confirmer?jeton={secret}")
    expect(page.locator("h1")).to_have_text("Adresse confirmée")
    auditer_et_capturer(page, "inscription-confirmee")
    assert page.goto(f"{serveur}/inscription/confirmer?jeton={secret}").status == 404
    auditer_et_capturer(page, "inscription-lien-inconnu")


@pytest.mark.parametrize("role, chemin, nom", [
    ("instructeur", "/instruction/dossiers", "instruction-dossiers"),
    ("membre_comite", "/comites", "comites"),
    ("membre_comite", "/mon-compte/mot-de-passe", "mot-de-passe"),
    ("admin", "/admin", "admin"),
    ("admin", "/admin/comptes/nouveau", "admin-compte-nouveau"),
    ("admin", "/admin/comptes/role?email=porteur@nav.fr", "admin-role"),
    ("admin", "/admin/jetons/nouveau", "admin-jeton-nouveau"),
])
def test_chaque_page_ajoutee_passe_l_audit_axe(contexte_axe, serveur, comptes_navigateur, role, chemin, nom):
    page = contexte_axe.new_page()
    se_connecter(page, serveur, comptes_navigateur[role], chemin=f"/connexion?suivant={chemin}")
    assert page.url == f"{serveur}{chemin}"
    auditer_et_capturer(page, nom)


def test_les_formulaires_de_l_administration_en_erreur_et_le_jeton_montre_une_fois(contexte_axe, serveur,
                                                                                    comptes_navigateur):
    page = contexte_axe.new_page()
    se_connecter(page, serveur, comptes_navigateur["admin"], chemin="/connexion?suivant=/admin/comptes/nouveau")
    page.get_by_role("button", name="Créer le compte").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    auditer_et_capturer(page, "admin-compte-erreur")
    page.goto(f"{serveur}/admin/jetons/nouveau")
    page.get_by_label("Nom du jeton").fill("Tableau de bord")
    page.get_by_label("Instructeur").check()
    page.get_by_role("button", name="Créer le jeton").click()
    expect(page.locator("h1")).to_have_text("Jeton d’API créé")
    assert re.fullmatch(r"gch_[0-9a-f]{8}_[\w-]{43}", page.locator("#secret").inner_text())
    auditer_et_capturer(page, "admin-jeton-cree")
    page.goto(f"{serveur}/admin")
    page.get_by_role("button", name=re.compile(r"^Révoquer")).first.click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Le jeton a été révoqué.")
    auditer_et_capturer(page, "admin-apres-revocation")


def test_se_connecter_et_se_deconnecter_au_seul_clavier(page, serveur, comptes_navigateur):
    """Avec la politique de sécurité de la page (pas d'axe ici) : aucun clic, seulement Tab, la saisie et Entrée."""
    erreurs = []
    page.on("console", lambda m: erreurs.append(m.text) if m.type == "error" else None)
    page.goto(f"{serveur}/connexion?suivant=/comites")
    tabuler_jusqu_a(page, "#email")
    page.keyboard.type(comptes_navigateur["membre_comite"])
    tabuler_jusqu_a(page, "#mot_de_passe")
    page.keyboard.type(MDP_NAVIGATEUR)
    tabuler_jusqu_a(page, "button.govuk-button:not(.govuk-password-input__toggle)")
    assert focus(page)["texte"] == "Se connecter"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{serveur}/comites"
    expect(page.locator("h1")).to_have_text("Comités techniques")
    page.keyboard.press("Tab")
    assert focus(page)["texte"] == "Aller au contenu principal"
    tabuler_jusqu_a(page, ".guichet-compte__sortie button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{serveur}/connexion?deconnexion=1"
    assert erreurs == [], erreurs  # no Content-Security-Policy refusal on the way
