"""Ce qui arrive au porteur hors du chemin tracé, dans un vrai navigateur : sa session expire au milieu d'une étape
(rien n'est perdu, il revient à la même étape), deux onglets enregistrent le même brouillon (le second est averti,
rien n'est écrasé), un faux PDF est refusé, et une demande de compléments reçoit sa réponse (l'historique garde la
demande et les deux versions). axe-core ne trouve aucune violation sur les pages montrées."""
import re

import pytest
from playwright.sync_api import Page, expect

from api.bootstrap import application
from instruction.acces import Agent
from instruction.dossiers import brouillons, complements
from tests.e2e.porteur_outils import ServeurPorteur, auditer, connecter, continuer, panneau_a_jour, se_connecter


@pytest.fixture(scope="module")
def serveur(tmp_path_factory):
    banc = ServeurPorteur(tmp_path_factory.mktemp("porteur-robustesse"))
    yield banc
    banc.arreter()


@pytest.fixture
def contexte(new_context):
    return new_context(bypass_csp=True)


def _brouillon(page: Page) -> str:
    page.get_by_role("button", name="Commencer un nouveau dossier").click()
    page.wait_for_url(re.compile(r"/mes-dossiers/GU-"))
    return page.url.rsplit("/", 1)[1]


def test_une_session_qui_expire_au_milieu_d_une_etape_ne_perd_rien_et_ramene_a_la_meme_etape(contexte, serveur):
    email = serveur.creer_porteur("expire@essai.fr")
    page = contexte.new_page()
    connecter(page, serveur.url, email)
    reference = _brouillon(page)
    page.goto(f"{serveur.url}/mes-dossiers/{reference}/projet")
    page.get_by_label("Titre du projet").fill("Base nautique de la Lys")
    page.get_by_label("Commune du projet").fill("Béthune (62119, Pas-de-Calais)")
    page.get_by_label("Activité", exact=True).check()
    page.get_by_label("Fluvial et nautique").check()
    panneau_a_jour(page)
    serveur.expirer_les_sessions(email)

    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.wait_for_url(re.compile(r"/connexion\?suivant="))
    assert page.url.endswith(f"suivant=%2Fmes-dossiers%2F{reference}%2Fprojet")
    se_connecter(page, serveur.url, email)
    page.wait_for_url(re.compile(rf"/mes-dossiers/{reference}/projet$"))
    expect(page.locator("#reprise")).to_be_visible()
    expect(page.get_by_label("Titre du projet")).to_have_value("Base nautique de la Lys")
    expect(page.get_by_label("Commune du projet")).to_have_value("Béthune (62119, Pas-de-Calais)")
    expect(page.get_by_label("Activité", exact=True)).to_be_checked()
    expect(page.get_by_label("Fluvial et nautique")).to_be_checked()
    auditer(page, "session-retablie")
    continuer(page, "budget")
    page.goto(f"{serveur.url}/mes-dossiers/{reference}/projet")
    expect(page.get_by_label("Titre du projet")).to_have_value("Base nautique de la Lys")
    expect(page.locator("#reprise")).to_be_hidden()  # restored once, then forgotten


def test_deux_onglets_sur_le_meme_brouillon_ne_s_ecrasent_pas_en_silence(contexte, serveur):
    email = serveur.creer_porteur("deux-onglets@essai.fr")
    premier = contexte.new_page()
    connecter(premier, serveur.url, email)
    reference = _brouillon(premier)
    adresse = f"{serveur.url}/mes-dossiers/{reference}/porteur"
    premier.goto(adresse)
    second = contexte.new_page()
    second.goto(adresse)

    premier.get_by_label("Association").check()
    premier.get_by_label("Nom du porteur").fill("Les Amis du Canal")
    continuer(premier, "projet")

    second.get_by_label("Commune", exact=True).check()
    second.get_by_label("Nom du porteur").fill("Commune d'Aire-sur-la-Lys")
    second.get_by_role("button", name="Enregistrer et continuer").click()
    second.wait_for_load_state()
    conflit = second.locator("#conflit")
    expect(conflit).to_contain_text("Ce brouillon a été modifié dans un autre onglet")
    expect(conflit).to_contain_text("« Les Amis du Canal »")
    expect(second.get_by_label("Nom du porteur")).to_have_value("Commune d'Aire-sur-la-Lys")  # typed, kept
    auditer(second, "deux-onglets-conflit")
    verifie = contexte.new_page()
    verifie.goto(adresse)
    expect(verifie.get_by_label("Nom du porteur")).to_have_value("Les Amis du Canal")  # nothing overwritten
    verifie.close()

    continuer(second, "projet")  # sent again, knowingly: now it replaces the other tab's answers
    second.goto(adresse)
    expect(second.get_by_label("Nom du porteur")).to_have_value("Commune d'Aire-sur-la-Lys")


def test_un_faux_pdf_qui_est_du_html_est_refuse_et_l_erreur_est_dite_pres_du_champ(contexte, serveur):
    email = serveur.creer_porteur("faux-pdf@essai.fr")
    page = contexte.new_page()
    connecter(page, serveur.url, email)
    reference = _brouillon(page)
    page.goto(f"{serveur.url}/mes-dossiers/{reference}/pieces")
    page.get_by_label("Joindre un autre document").set_input_files({
        "name": "devis.pdf", "mimeType": "application/pdf",
        "buffer": b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"})
    page.get_by_role("button", name="Joindre ce fichier").click()
    page.wait_for_load_state()
    resume = page.locator(".govuk-error-summary")
    expect(resume).to_contain_text("Le fichier doit être un PDF, un JPEG ou un PNG")
    expect(resume.get_by_role("link")).to_have_attribute("href", "#fichier-autre")
    expect(page.locator("#fichier-autre-error")).to_contain_text("son nom ne suffit pas")
    expect(page.locator(".guichet-fichiers")).to_have_count(0)
    auditer(page, "piece-refusee")


def test_une_demande_de_complements_recoit_la_reponse_du_porteur_et_l_historique_garde_tout(contexte, serveur):
    email = serveur.creer_porteur("complements@essai.fr")
    porteur = Agent(email, "porteur", nom="Porteur d'essai")
    app = application(moteur="python", url=f"sqlite:///{serveur.base}")
    uow, guichet = app.unite_de_travail(), app.guichet
    reference, version = brouillons.creer_brouillon(uow, porteur), 1
    for etape, saisie in (
            ("porteur", {"porteur.type": ["commune"], "porteur.nom": ["Commune de Hinges"]}),
            ("projet", {"projet.titre": ["Halte fluviale"], "projet.commune_insee": ["62454"],
                        "projet.nature": ["investissement"], "projet.secteur": ["accueil"]}),
            ("budget", {"budget.cout_total_ht": ["80000"], "budget.montant_sollicite": ["30000"]})):
        erreurs, suivi = brouillons.enregistrer_etape(uow, guichet, reference, etape, saisie, version, porteur)
        assert erreurs == []
        version = suivi.version
    assert brouillons.deposer_brouillon(uow, guichet, reference, version, porteur) == []
    instructrice = Agent("instructrice@region.essai.fr", "instructeur", nom="Claire Martin")
    complements.demander_complements(uow, reference, ["budget.financements", "projet.accessibilite"],
                                     "Précisez le plan de financement et l'accessibilité de la halte.", instructrice)

    page = contexte.new_page()
    connecter(page, serveur.url, email)
    expect(page.locator("table")).to_contain_text("Compléments demandés")
    page.get_by_role("link", name=reference).click()
    bandeau = page.locator(".govuk-notification-banner")
    expect(bandeau).to_contain_text("Claire Martin vous demande de compléter votre dossier")
    expect(bandeau).to_contain_text("Plan de financement, Accessibilité aux personnes handicapées")
    auditer(page, "complements-demandes")
    page.get_by_role("link", name="Répondre à la demande").click()
    expect(page.get_by_label("Titre du projet")).to_have_count(0)  # only the fields asked for
    page.locator("select[name='budget.financements-0-financeur']").select_option("departement_62")
    page.locator("input[name='budget.financements-0-montant']").fill("20 000")
    page.locator("input[name='budget.financements-0-statut'][value='acquis']").check()
    page.locator("input[name='projet.accessibilite'][value='oui']").check()
    page.get_by_label("Un mot pour les services (facultatif)").fill("Le Département a voté son aide le 3 mars.")
    auditer(page, "complements-reponse")
    page.get_by_role("button", name="Envoyer les compléments").click()
    page.wait_for_url(re.compile(rf"/mes-dossiers/{reference}\?complete=1$"))
    chronologie = page.locator(".guichet-chronologie")
    expect(chronologie).to_contain_text("Compléments demandés")
    expect(chronologie).to_contain_text("Compléments envoyés")
    expect(chronologie).to_contain_text("Le Département a voté son aide le 3 mars.")
    expect(page.locator(".govuk-notification-banner")).to_have_count(0)
    auditer(page, "complements-envoyes")

    demande, = complements.demandes(uow, reference, instructrice)
    assert demande.donnees_avant["budget"]["financements"] == []
    assert demande.donnees_apres["budget"]["financements"] == [
        {"financeur": "departement_62", "montant": 20000.0, "statut": "acquis"}]
    assert (demande.donnees_avant["projet"]["accessibilite"], demande.donnees_apres["projet"]["accessibilite"]) == (
        None, True)
    assert demande.donnees_avant["projet"]["titre"] == demande.donnees_apres["projet"]["titre"] == "Halte fluviale"
    dossier, _ = brouillons.ouvrir(uow, reference, instructrice)
    assert [e.donnees["budget"]["financements"] for e in dossier.evaluations] == [[], demande.donnees_apres[
        "budget"]["financements"]]  # the evaluation at filing, and the one after the answer
