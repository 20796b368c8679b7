"""La salle du comité dans un vrai navigateur (Chromium de Debian, un vrai `guichet serve` sur la démonstration) :
un secrétariat de comité (instructeur) crée une réunion, importe une liste avec une ligne fausse, la range au
clavier, l'évalue, note la présence et des décisions dans une enveloppe (puis au-delà : l'avertissement), rejoue
« et si ? » et télécharge le procès-verbal ; un membre du comité lit l'ordre du jour et un avis de sa réunion, et
n'atteint ni une autre réunion ni un dossier qui n'en est pas. axe-core : aucune violation sur chaque page."""
import io
import json
import re
import subprocess

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from api.demo import COMITE, MOT_DE_PASSE_DEMO
from tests.e2e.captures import auditer_et_capturer
from tests.e2e.navigateur import focus, se_connecter
from tests.e2e.serveur import (
    GUICHET,
    RACINE,
    arreter_serveur,
    attendre_sante,
    demarrer_serveur,
    environnement_guichet,
    port_libre,
)

AUTRE, AUTRE_DOSSIER = "autre-reunion", "LA-2025-004"
SECRETARIAT, MEMBRE = "instructeur@demo.guichet.fr", "membre@demo.guichet.fr"


def _guichet(donnees, *arguments):
    sortie = subprocess.run([str(GUICHET), *arguments], cwd=RACINE, env=environnement_guichet(donnees),
                            capture_output=True, text=True)
    assert sortie.returncode == 0, sortie.stderr


@pytest.fixture(scope="module")
def serveur_demo(tmp_path_factory):
    """`make run` en petit : une base migrée, la démonstration, et une seconde réunion avec un autre dossier."""
    donnees = tmp_path_factory.mktemp("demo")
    _guichet(donnees, "db", "upgrade")
    _guichet(donnees, "demo")
    _guichet(donnees, "comite", "creer", "--date", "2026-03-05", "--code", AUTRE)
    _guichet(donnees, "comite", "inscrire", AUTRE, AUTRE_DOSSIER)
    port = port_libre()
    processus = demarrer_serveur(donnees, port)
    url = f"http://127.0.0.1:{port}"
    attendre_sante(processus, url)
    yield url
    arreter_serveur(processus)


@pytest.fixture
def page_axe(new_context):
    return new_context(bypass_csp=True, accept_downloads=True).new_page()


def _audit(page, nom):
    auditer_et_capturer(page, f"comite-{nom}")


def _ordre(page) -> list[str]:
    return [i.removeprefix("dossier-") for i in page.locator("tr[id^=dossier-]").evaluate_all("l => l.map(e => e.id)")]


def _liste(tmp_path, exemples_par_reference):
    """Trois dossiers réels renommés, et une ligne dont la commune n'existe pas."""
    liste = [dict(exemples_par_reference[r], reference=f"NAV-{i}")
             for i, r in enumerate(("LA-2025-015", "LA-2025-006", "LA-2024-022"), 1)]
    liste.insert(2, {**liste[0], "reference": "NAV-FAUX", "projet": {**liste[0]["projet"], "commune_insee": "00000"}})
    fichier = tmp_path / "liste-du-comite.json"
    fichier.write_text(json.dumps(liste), encoding="utf-8")
    return fichier


def test_un_secretariat_de_comite_tient_sa_reunion_de_bout_en_bout(page_axe, serveur_demo, tmp_path,
                                                                   exemples_par_reference):
    page = page_axe
    se_connecter(page, serveur_demo, SECRETARIAT, MOT_DE_PASSE_DEMO, chemin="/connexion?suivant=/comites")
    expect(page.locator("h1")).to_have_text("Comités techniques")
    _audit(page, "liste")
    # Create the meeting: first a date the govuk date input refuses, then the right one
    page.get_by_role("link", name="Créer une réunion").click()
    _audit(page, "nouveau")
    page.get_by_label("Jour").fill("30")
    page.get_by_label("Mois").fill("2")
    page.get_by_label("Année").fill("2026")
    page.get_by_label("Code de la réunion (facultatif)").fill("nav-2026-11")
    page.get_by_role("button", name="Créer la réunion").click()
    page.wait_for_selector("[data-govuk-error-summary-init]", state="attached")
    assert "govuk-error-summary" in focus(page)["classes"]
    expect(page.locator("#date-error")).to_contain_text("doit être une vraie date")
    expect(page.get_by_label("Code de la réunion (facultatif)")).to_have_value("nav-2026-11")
    _audit(page, "nouveau-erreur")
    page.get_by_label("Jour").fill("2")
    page.get_by_label("Mois").fill("11")
    page.get_by_label("Représentant de la structure 1").fill("Claire Martin")
    page.get_by_role("button", name="Créer la réunion").click()
    expect(page).to_have_url(re.compile(r"/comites/nav-2026-11\?fait=cree$"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("La réunion est créée")
    _audit(page, "ordre-du-jour-vide")
    # An envelope for the Département, at the cent
    page.get_by_role("link", name="Enveloppes", exact=True).click()
    page.get_by_label("Financeur").select_option("departement_62")
    page.get_by_label("Dispositif").fill("Hébergements touristiques")
    page.get_by_label("Montant de l’enveloppe").fill("100 000")
    page.get_by_role("button", name="Ajouter l’enveloppe").click()
    expect(page.locator(".guichet-enveloppes")).to_contain_text("100\u202f000,00\u00a0€")
    _audit(page, "enveloppes")
    # Import a list with one bad line: the job's page ends on the rejected line and why
    page.get_by_role("link", name="Ordre du jour").click()
    page.get_by_role("link", name="Importer une liste de dossiers (JSON, CSV ou XLSX)").click()
    _audit(page, "importer")
    page.get_by_label("Fichier de la liste").set_input_files(_liste(tmp_path, exemples_par_reference))
    page.get_by_role("button", name="Importer la liste").click()
    expect(page.locator("[role=status]")).to_contain_text("3 dossiers importés et inscrits ; 1 ligne écartée",
                                                          timeout=30_000)
    expect(page.locator("progress")).to_have_attribute("value", "100")
    ecartee = page.locator("table", has_text="Lignes écartées").locator("tbody tr")
    expect(ecartee).to_have_count(1)
    expect(ecartee).to_contain_text("ligne 3 — NAV-FAUX")
    expect(ecartee).to_contain_text("projet.commune_insee")
    _audit(page, "import-termine")
    # Order the agenda from the keyboard: the focus comes back to the button after each move
    page.get_by_role("link", name="Voir l’ordre du jour").click()
    assert _ordre(page) == ["NAV-1", "NAV-2", "NAV-3"]
    page.locator("#descendre-NAV-1").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert _ordre(page) == ["NAV-2", "NAV-1", "NAV-3"]
    assert focus(page)["id"] == "descendre-NAV-1"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert _ordre(page) == ["NAV-2", "NAV-3", "NAV-1"]
    assert focus(page)["id"] == "monter-NAV-1"  # at the bottom « Descendre » is gone: « Monter » has the focus
    _audit(page, "ordre-du-jour")
    # Evaluate the whole list: the cross-checks are shown
    page.get_by_role("link", name="Séance et décisions").click()
    page.get_by_role("button", name="Évaluer toute la liste").click()
    expect(page.locator("[role=status]")).to_contain_text("Liste évaluée d’un bloc", timeout=30_000)
    _audit(page, "evaluation-terminee")
    page.get_by_role("link", name="Voir les contrôles croisés").click()
    expect(page.locator("#controles + p")).to_contain_text("Liste évaluée le")
    # Attendance
    page.get_by_label("Représentant : Hauts de France Tourisme").fill("Julien Lefebvre")
    page.locator("#present-0").check()
    page.locator("#present-1").check()
    page.locator("#present-2-non").check()
    page.get_by_role("button", name="Enregistrer la présence").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("La feuille de présence est enregistrée")
    expect(page.get_by_label("Représentant : Hauts de France Tourisme")).to_have_value("Julien Lefebvre")
    _audit(page, "seance")
    # A decision within the envelope: no warning
    page.get_by_role("link", name="Saisir une décision pour NAV-1").click()
    _audit(page, "decision")
    page.locator("#decision_departement_62-favorable").check()
    page.get_by_label("Montant accordé si favorable (Département du Pas-de-Calais)").fill("60 000")
    page.get_by_label("Motif de la décision").fill("Priorité du contrat, plan de financement confirmé.")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("La décision est enregistrée")
    expect(page.locator("#decisions ~ table")).to_contain_text("60\u202f000,00\u00a0€")
    expect(page.locator(".govuk-warning-text", has_text="Enveloppe dépassée")).to_have_count(0)
    # A second one beyond it: the warning text says so
    page.get_by_role("link", name="Saisir une décision pour NAV-3").click()
    page.locator("#decision_departement_62-favorable").check()
    page.get_by_label("Montant accordé si favorable (Département du Pas-de-Calais)").fill("45 000,50")
    page.get_by_label("Motif de la décision").fill("Aire de camping-cars prioritaire.")
    page.get_by_role("button", name="Enregistrer la décision").click()
    avertissement = page.locator(".govuk-warning-text", has_text="Enveloppe dépassée")
    expect(avertissement).to_have_count(1)
    expect(avertissement).to_contain_text("105\u202f000,50\u00a0€ décidés pour 100\u202f000,00\u00a0€")
    _audit(page, "seance-enveloppe-depassee")
    # « Et si ? » after the end of the contract: the differences are marked
    page.get_by_role("link", name="Et si ?").click()
    page.get_by_label("Jour").fill("1")
    page.get_by_label("Mois").fill("6")
    page.get_by_label("Année").fill("2028")
    page.get_by_role("button", name="Rejouer").click()
    expect(page.locator("#resultats")).to_contain_text("change")
    assert page.locator("mark.guichet-difference").count() > 0
    _audit(page, "et-si")
    # After: the minutes, downloaded as an attachment, read back with pypdf
    page.get_by_role("link", name="Ordre du jour").click()
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Rapport et procès-verbal (PDF)").click()
    assert telechargement.value.suggested_filename == "comite-nav-2026-11-proces-verbal.pdf"
    pdf = PdfReader(io.BytesIO(open(telechargement.value.path(), "rb").read()))
    texte = " ".join(p.extract_text() for p in pdf.pages)
    assert "Relevé des décisions" in texte and "Aire de camping-cars prioritaire." in texte
    assert "Julien Lefebvre" in texte and "Hébergements touristiques" in texte


def test_un_membre_du_comite_lit_sa_reunion_et_rien_d_autre(page_axe, serveur_demo):
    page = page_axe
    se_connecter(page, serveur_demo, MEMBRE, MOT_DE_PASSE_DEMO, chemin="/connexion?suivant=/comites")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text(COMITE)
    _audit(page, "membre-liste")
    page.get_by_role("link", name=COMITE).click()
    expect(page.locator("h1")).to_have_text("Comité technique du 11 décembre 2025")
    expect(page.get_by_role("button", name=re.compile("^Monter"))).to_have_count(0)
    _audit(page, "membre-ordre-du-jour")
    page.get_by_role("link", name="LA-2025-001").first.click()
    expect(page.locator("h2", has_text="L’avis technique")).to_be_visible()
    expect(page.get_by_role("link", name="Saisir une décision")).to_have_count(0)
    _audit(page, "membre-avis")
    page.get_by_role("link", name="Séance et décisions").click()
    expect(page.get_by_role("button", name="Évaluer toute la liste")).to_have_count(0)
    _audit(page, "membre-seance")
    page.get_by_role("link", name="Enveloppes", exact=True).click()
    expect(page.locator(".govuk-warning-text").first).to_be_visible()  # the demo's requests exceed the D62 envelope
    _audit(page, "membre-enveloppes")
    for interdite in (f"/comites/{AUTRE}", f"/comites/{COMITE}/dossiers/{AUTRE_DOSSIER}",
                      f"/comites/{AUTRE}/dossiers/{AUTRE_DOSSIER}"):
        assert page.goto(f"{serveur_demo}{interdite}").status == 404
        expect(page.locator("h1")).to_have_text("Page introuvable")
    _audit(page, "membre-404")
