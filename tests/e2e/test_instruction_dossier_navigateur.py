"""La page d'un dossier dans un vrai navigateur (Chromium de Debian, un vrai `guichet serve` sur les données de
démonstration) : une instructrice ouvre un dossier, corrige un statut avec sa justification, maintient une
correction à revoir, demande des compléments au porteur et lui écrit, retire une autre correction à revoir,
fait avancer le dossier dans son cycle de vie (un passage devenu
impossible est refusé et la page montre ceux qui restent), regarde l'avis et télécharge son PDF ; un membre du
comité lit le dossier de sa réunion sans bouton et ne trouve pas les autres ; le formulaire de correction se
remplit au seul clavier. axe-core ne trouve aucune violation sur chaque état de page visité, capturé."""
import io
import re
import subprocess
from datetime import date

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from api import bootstrap, demo
from instruction.acces import Agent
from instruction.dossiers import services
from tests.e2e.captures import CAPTURES, auditer_et_capturer
from tests.e2e.navigateur import focus, se_connecter, tabuler_jusqu_a
from tests.e2e.serveur import arreter_serveur, attendre_sante, demarrer_serveur, port_libre

A_REVOIR, A_RETIRER, AU_CLAVIER = "LA-2025-003", "LA-2025-004", "LA-2025-018"
EN_COMITE = "LA-2025-001"
INSTRUCTRICE, MEMBRE = "instructeur@demo.guichet.fr", "membre@demo.guichet.fr"


def _une_correction_a_revoir(uow, guichet) -> None:
    """Sur LA-2025-004 : un statut de la Région corrigé, puis une évaluation aux règles d'après la fin du contrat,
    qui change ce statut : la correction devient « à revoir »."""
    agent = Agent("instructeur@demo.guichet.fr", "instructeur", nom="Claire Martin (Région, service tourisme)")
    calcule = services.consulter(uow, A_RETIRER, agent).derniere_evaluation.resultat.statut("region_hdf")
    services.corriger(uow, A_RETIRER, "statut", "region_hdf", "exclu" if calcule != "exclu" else "eligible",
                      "Le projet relève d'un autre contrat de destination.", agent)
    services.evaluer(uow, guichet, A_RETIRER, agent, date(2028, 6, 1))
    assert services.consulter(uow, A_RETIRER, agent).corrections[-1].a_revoir


@pytest.fixture(scope="module")
def serveur_demo(tmp_path_factory, guichet_python, controles):
    """Un `guichet serve` sur une base neuve chargée de la démonstration (comptes au mot de passe de démonstration)."""
    donnees = tmp_path_factory.mktemp("dossier-navigateur")
    url = f"sqlite:///{donnees / 'guichet.sqlite'}"
    bootstrap.migrer(url)
    demo.charger(bootstrap.unite_de_travail(url), guichet_python, controles)
    _une_correction_a_revoir(bootstrap.unite_de_travail(url), guichet_python)
    port = port_libre()
    processus = demarrer_serveur(donnees, port)
    adresse = f"http://127.0.0.1:{port}"
    attendre_sante(processus, adresse)
    yield adresse
    arreter_serveur(processus)


@pytest.fixture
def page_axe(new_context, serveur_demo):
    """Une page où axe peut s'injecter (sans la politique de sécurité : seul ce contexte l'ignore)."""
    return new_context(bypass_csp=True, accept_downloads=True).new_page()


def _instructrice(page, serveur, chemin):
    se_connecter(page, serveur, INSTRUCTRICE, demo.MOT_DE_PASSE_DEMO)
    page.goto(f"{serveur}{chemin}")


def _bandeau(page, texte):
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(texte)


def test_une_instructrice_corrige_revoit_fait_avancer_et_telecharge_l_avis(page_axe, serveur_demo, tmp_path):
    page, adresse = page_axe, f"/instruction/dossiers/{A_REVOIR}"
    _instructrice(page, serveur_demo, adresse)
    expect(page.locator("h1")).to_have_text("Extension du parc d'hébergements insolites Nids d'îles à Olhain")
    expect(page.locator(".govuk-warning-text")).to_contain_text("1 correction est à revoir")
    lien = page.locator("section[aria-labelledby=constats] a[href^='/textes/']").first
    expect(lien).to_have_attribute("href", re.compile(r"^/textes/\d{3}_[0-9a-f]+\.txt#regle-[a-z0-9_.]+$"))
    auditer_et_capturer(page, "dossier-instruction")

    # Correct LEADER's status, with the justification; an empty submission first.
    page.get_by_role("link", name="Corriger le statut : LEADER (GAL)").click()
    expect(page.locator("h1")).to_have_text("Corriger le calcul")
    expect(page.locator("main h2")).to_have_text("Statut d'un financeur")  # opened on this funder
    auditer_et_capturer(page, "dossier-correction")
    page.get_by_role("button", name="Enregistrer la correction").click()
    resume = page.locator(".govuk-error-summary")
    expect(resume).to_contain_text("Statut retenu : champ obligatoire")
    page.wait_for_selector("[data-govuk-error-summary-init]", state="attached")
    assert "govuk-error-summary" in focus(page)["classes"]
    expect(page.get_by_label("Financeur", exact=True)).to_have_value("leader")  # what was chosen is kept
    auditer_et_capturer(page, "dossier-correction-erreur")
    page.get_by_label("Statut retenu").select_option("exclu")
    page.get_by_label("Justification").fill("Le GAL Lys Artois a clos son appel à projets 2025.")
    page.get_by_role("button", name="Enregistrer la correction").click()
    _bandeau(page, "La correction est enregistrée")
    ligne = page.locator("tr.guichet-ecart", has_text="LEADER (GAL)")
    expect(ligne).to_contain_text("Exclu")
    expect(ligne).to_contain_text("Corrigé")
    auditer_et_capturer(page, "dossier-corrige")

    # Keep the correction « à revoir ».
    page.get_by_label("Justification (maintenir ou retirer la correction n° 1)").fill(
        "Les clientèles familiales sont confirmées : la réserve demeure jusqu'au plan de financement signé.")
    page.get_by_role("button", name="Maintenir la correction").click()
    _bandeau(page, "La correction est maintenue")
    expect(page.locator("#correction-1")).to_contain_text("Active")
    expect(page.locator(".govuk-warning-text")).to_have_count(0)
    auditer_et_capturer(page, "dossier-correction-maintenue")

    # Ask the holder for more information, then write to them.
    page.get_by_role("checkbox", name="Plan de financement", exact=True).check()
    page.get_by_label("Pièces jointes").check()
    page.get_by_label("Message au porteur").fill("Joignez la délibération et précisez le plan de financement.")
    page.get_by_role("button", name="Demander des compléments").click()
    _bandeau(page, "La demande de compléments est envoyée au porteur")
    expect(page.locator(".guichet-demande--en-attente")).to_contain_text("Plan de financement, Pièces jointes")
    page.get_by_label("Répondre au porteur").fill("La délibération peut être jointe en PDF.")
    page.get_by_role("button", name="Envoyer le message").click()
    _bandeau(page, "Le message est envoyé au porteur")
    expect(page.locator(".guichet-fil__message")).to_contain_text("La délibération peut être jointe en PDF.")
    auditer_et_capturer(page, "dossier-complements-et-message")

    # A second tab keeps the page as it was: the passage made in the first one makes its form stale.
    perimee = page.context.new_page()
    perimee.goto(page.url)
    page.get_by_label("Motif : rendre l'avis").fill("Avis transmis au porteur et au comité technique.")
    page.get_by_role("button", name="Rendre l'avis").click()
    _bandeau(page, "Le dossier a changé d’état")
    expect(page.locator(".guichet-dossier__etat")).to_contain_text("Avis rendu")
    # Reopen the instruction, or close the dossier.
    expect(page.locator("section[aria-labelledby=transitions] form")).to_have_count(2)
    auditer_et_capturer(page, "dossier-avis-rendu")
    perimee.get_by_label("Motif : rendre l'avis").fill("Doublon d'un autre onglet.")
    perimee.get_by_role("button", name="Rendre l'avis").click()
    expect(perimee.locator(".govuk-error-summary")).to_contain_text("Ce changement d’état est refusé")
    assert re.findall(r'name="vers" value="([a-z_]+)"', perimee.content()) == ["en_instruction",
                                                                               "classe_sans_suite"]
    auditer_et_capturer(perimee, "dossier-passage-refuse")
    perimee.close()

    # The avis: its preview, then its PDF.
    page.get_by_role("button", name="Voir l’avis technique").click()
    expect(page.locator("h1")).to_have_text("Avis technique")
    expect(page.frame_locator("iframe.guichet-apercu").locator("h1")).to_contain_text(A_REVOIR)
    auditer_et_capturer(page, "dossier-avis-apercu")
    with page.expect_download() as telechargement:
        page.get_by_role("button", name="Télécharger l’avis (PDF)").click()
    pdf = tmp_path / "avis.pdf"
    telechargement.value.save_as(pdf)
    assert telechargement.value.suggested_filename == f"avis-{A_REVOIR}.pdf"
    texte = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    lu = re.sub(r"\s+", " ", texte)  # lines wrap, and the layout puts no-break spaces before « : » and in numbers
    assert A_REVOIR in lu and "Le GAL Lys Artois a clos son appel" in lu
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(pdf), str(CAPTURES / "dossier-avis")],
                   check=True)


def test_retirer_une_correction_a_revoir(page_axe, serveur_demo):
    page = page_axe
    _instructrice(page, serveur_demo, f"/instruction/dossiers/{A_RETIRER}")
    correction = page.locator(".guichet-correction--a-revoir")
    expect(correction).to_contain_text("Pourquoi la revoir")
    numero = correction.get_attribute("id").split("-")[1]
    page.get_by_role("button", name="Retirer la correction").click()  # without a justification first
    expect(page.locator(".govuk-error-summary")).to_contain_text("Justification : écrivez pourquoi")
    auditer_et_capturer(page, "dossier-revue-erreur")
    page.get_by_label(f"Justification (maintenir ou retirer la correction n° {numero})").fill(
        "Le calcul aux règles de 2028 ne vaut pas pour ce dossier ; la correction n'a plus d'objet.")
    page.get_by_role("button", name="Retirer la correction").click()
    _bandeau(page, "La correction est retirée")
    expect(page.locator(f"#correction-{numero}")).to_contain_text("Retirée")
    expect(page.locator(f"#correction-{numero}")).to_contain_text("la correction n'a plus d'objet")
    auditer_et_capturer(page, "dossier-correction-retiree")


def test_le_formulaire_de_correction_se_remplit_au_seul_clavier(page_axe, serveur_demo):
    page = page_axe
    _instructrice(page, serveur_demo, f"/instruction/dossiers/{AU_CLAVIER}/correction")
    tabuler_jusqu_a(page, "input[name=genre][value=statut]")  # a group of radios is one stop of the Tab key
    page.keyboard.press("ArrowDown")  # moves to « Avis technique » and chooses it
    expect(page.locator("input[name=genre][value=avis]")).to_be_checked()
    auditer_et_capturer(page, "dossier-correction-choix")
    page.keyboard.press("Tab")
    assert focus(page)["texte"] == "Continuer"
    page.keyboard.press("Enter")
    expect(page.locator("main h2")).to_have_text("Avis technique")
    tabuler_jusqu_a(page, "#avis")
    # Down the list to the first avis that is not the computed one (the hint says which one it is).
    calcule = re.search(r"Avis calculé : (.+?) ;", page.locator("#avis-hint").inner_text()).group(1)
    page.keyboard.press("ArrowDown")
    while page.locator("#avis option:checked").inner_text() == calcule:
        page.keyboard.press("ArrowDown")
    tabuler_jusqu_a(page, "#justification")
    page.keyboard.type("Avis à confirmer en comité : l'envergure régionale reste à établir.")
    tabuler_jusqu_a(page, "form[method=post] button.govuk-button")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    _bandeau(page, "La correction est enregistrée")
    corrections = page.locator("section[aria-labelledby=corrections]")
    expect(corrections).to_contain_text("l'envergure régionale reste à établir")


def test_un_membre_du_comite_lit_le_dossier_de_sa_reunion_et_ne_trouve_pas_les_autres(page_axe, serveur_demo):
    page = page_axe
    se_connecter(page, serveur_demo, MEMBRE, demo.MOT_DE_PASSE_DEMO)
    reponse = page.goto(f"{serveur_demo}/instruction/dossiers/{EN_COMITE}")
    assert reponse.status == 200
    expect(page.locator("section[aria-labelledby=constats]")).to_be_visible()
    expect(page.locator("main form")).to_have_count(0)
    expect(page.get_by_role("button", name="Corriger le calcul")).to_have_count(0)
    auditer_et_capturer(page, "dossier-membre-du-comite")
    reponse = page.goto(f"{serveur_demo}/instruction/dossiers/{A_REVOIR}")
    assert reponse.status == 404
    expect(page.locator("h1")).to_have_text("Page introuvable")
    auditer_et_capturer(page, "dossier-membre-hors-reunion")
