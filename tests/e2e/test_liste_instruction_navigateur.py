"""Le bureau des services dans un vrai navigateur (Chromium de Debian, un vrai `guichet serve` à lui, sur une base
SQLite jetable garnie des 37 dossiers d'exemple) : un instructeur filtre la liste, la trie, change de page,
l'exporte, coche des dossiers et lance une évaluation par lot dont un dossier échoue ; il suit la barre de
progression puis lit le résultat de chaque dossier. axe-core ne trouve aucune violation sur chaque page, capturée.

Le serveur évalue un dossier par paquet (`GUICHET_TRAVAUX_PAQUET`) et ménage une pause de 400 ms entre deux
paquets (`GUICHET_TRAVAUX_PAUSE_MS`, le réglage qui
laisse la base aux autres usagers) : un lot de dix dossiers dure donc plus d'une seconde, et la page de progression
se montre à coup sûr, quelle que soit la vitesse de la machine.
"""
import io
import re
import subprocess

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from instruction.acces import Agent
from instruction.dossiers import services
from instruction.storage import UniteDeTravailSql, creer_moteur
from tests.e2e.captures import auditer_et_capturer
from tests.e2e.navigateur import MDP_NAVIGATEUR, se_connecter
from tests.e2e.serveur import GUICHET, RACINE, arreter_serveur, attendre_sante, environnement_guichet, port_libre

INSTRUCTEUR = "instructeur@bureau.fr"
CLASSE = "LA-2025-004"  # closed before the batch: its evaluation is refused, the others go on


@pytest.fixture(scope="module")
def bureau(tmp_path_factory, guichet_python, exemples):
    donnees = tmp_path_factory.mktemp("bureau")
    env = environnement_guichet(donnees)
    for commande, entree in ((["db", "upgrade"], None),
                             (["utilisateur", "creer", "--email", INSTRUCTEUR, "--role", "instructeur", "--nom",
                               "Claire Instructrice"], MDP_NAVIGATEUR + "\n")):
        sortie = subprocess.run([str(GUICHET), *commande], cwd=RACINE, env=env, input=entree, capture_output=True,
                                text=True)
        assert sortie.returncode == 0, sortie.stderr
    moteur = creer_moteur(f"sqlite:///{donnees / 'guichet.sqlite'}")
    agent = Agent.local("services")
    for donnees_dossier in exemples:
        assert services.deposer(UniteDeTravailSql(moteur), guichet_python, donnees_dossier, agent) == []
    services.changer_etat(UniteDeTravailSql(moteur), CLASSE, "classe_sans_suite", agent, "retrait du porteur")
    moteur.dispose()
    port = port_libre()
    processus = subprocess.Popen([str(GUICHET), "serve", "--port", str(port)], cwd=RACINE,
                                 env={**env, "GUICHET_TRAVAUX_PAUSE_MS": "400", "GUICHET_TRAVAUX_PAQUET": "1"},
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    attendre_sante(processus, url)
    yield url
    arreter_serveur(processus)


@pytest.fixture
def page(new_context, bureau):
    contexte = new_context(bypass_csp=True, accept_downloads=True)
    page = contexte.new_page()
    se_connecter(page, bureau, INSTRUCTEUR)
    return page


def _references(page) -> list[str]:
    return page.locator('input[name="references"]').evaluate_all("cases => cases.map(c => c.value)")


def test_un_instructeur_filtre_trie_pagine_et_exporte_la_liste(page, bureau, exemples):
    expect(page).to_have_url(f"{bureau}/instruction/dossiers")
    expect(page.locator("#nombre-de-dossiers")).to_contain_text(f"{len(exemples)} dossiers")
    auditer_et_capturer(page, "instruction-liste")

    # Filter by state, without JavaScript's help: a GET form, the filter lands in the address.
    page.get_by_label("État").select_option("classe_sans_suite")
    page.get_by_role("button", name="Filtrer").click()
    assert "etat=classe_sans_suite" in page.url
    assert _references(page) == [CLASSE]
    page.get_by_role("link", name="Effacer les filtres").click()

    # Sort by reference: a link in the column header, which says how it sorts.
    entete = page.locator("th", has=page.get_by_role("link", name=re.compile("^Référence")))
    entete.get_by_role("link").click()
    expect(page.locator('th[aria-sort="ascending"]')).to_contain_text("Référence")
    assert _references(page) == sorted(d["reference"] for d in exemples)[:50]
    page.locator("th", has=page.get_by_role("link", name=re.compile("^Référence"))).get_by_role("link").click()
    expect(page.locator('th[aria-sort="descending"]')).to_contain_text("Référence")
    premiere_page = _references(page)
    assert premiere_page == sorted((d["reference"] for d in exemples), reverse=True)[:len(premiere_page)]

    # Ten per page, then the next page.
    page.get_by_label("Dossiers par page").select_option("10")
    page.get_by_role("button", name="Filtrer").click()
    page.get_by_role("link", name="Page suivante").click()
    assert "page=2" in page.url and "tri=reference" in page.url
    assert _references(page) == sorted((d["reference"] for d in exemples), reverse=True)[10:20]
    expect(page.locator(".govuk-pagination__item--current")).to_contain_text("2")
    auditer_et_capturer(page, "instruction-liste-page-2")

    # The export keeps the filter and the sort, not the page: every dossier, in the list's order.
    with page.expect_download() as telechargement:
        page.get_by_role("link", name=re.compile("^tableur XLSX")).click()
    feuille = load_workbook(io.BytesIO(open(telechargement.value.path(), "rb").read())).active
    exportees = [ligne[0].value for ligne in feuille.iter_rows(min_row=2)]
    assert exportees == sorted((d["reference"] for d in exemples), reverse=True)


def test_un_filtre_invalide_est_dit_en_francais_et_garde_la_saisie(page, bureau):
    page.get_by_text("Plus de filtres").click()
    page.locator("#depose_du-jour").fill("31")
    page.locator("#depose_du-mois").fill("2")
    page.locator("#depose_du-annee").fill("2025")
    page.get_by_role("button", name="Filtrer").click()
    resume = page.locator(".govuk-error-summary")
    expect(resume).to_contain_text("La date « déposé à partir du » doit être une vraie date")
    expect(page.locator("#depose_du-jour")).to_have_value("31")
    assert page.title().startswith("Erreur : ")
    auditer_et_capturer(page, "instruction-liste-erreur")


def test_un_lot_d_evaluation_montre_sa_progression_puis_chaque_echec_avec_sa_raison(page, bureau, exemples):
    page.get_by_label("Rechercher").fill("LA-2025-00")
    page.get_by_role("button", name="Filtrer").click()
    choisis = _references(page)
    assert CLASSE in choisis and len(choisis) == 9
    page.get_by_role("button", name="Tout cocher sur cette page").click()  # the script turns the link into a button
    assert page.locator('input[name="references"]:checked').count() == len(choisis)
    page.get_by_label("Évaluer (une nouvelle évaluation s’ajoute à l’historique)").check()
    page.get_by_role("button", name="Lancer l’action").click()

    # Nine dossiers, 400 ms apart: still running when the page appears.
    expect(page.locator("h1")).to_have_text("Évaluation de 9 dossiers")
    barre = page.get_by_label(re.compile("^Avancement"))
    expect(barre).to_be_visible()
    assert barre.evaluate("e => e.tagName") == "PROGRESS" and int(barre.get_attribute("max")) == 9
    auditer_et_capturer(page, "instruction-travail-en-cours")

    # htmx polls every second and replaces the state with the outcome when the job ends.
    expect(page.locator("#etat-du-travail")).to_contain_text("8 réussis, 1 échec sur 9", timeout=30_000)
    echecs = page.locator("table", has_text="Les dossiers en échec")
    expect(echecs.locator("tbody tr")).to_have_count(1)
    expect(echecs).to_contain_text(CLASSE)
    expect(echecs).to_contain_text("ne se réévalue plus")
    reussites = page.locator("table", has_text="Les dossiers traités")
    expect(reussites.locator("tbody tr")).to_have_count(8)
    expect(reussites).to_contain_text("évaluation n° 1")
    auditer_et_capturer(page, "instruction-travail-fini")

    # Back to the list as it was filtered: the dossiers now carry their avis.
    page.get_by_role("link", name="Retour à la liste des dossiers").click()
    assert "q=LA-2025-00" in page.url
    assert page.locator("tbody tr", has_text="non évalué").count() == 1  # the closed one


def test_sans_javascript_tout_cocher_recharge_la_page_cochee(browser, bureau):
    contexte = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = contexte.new_page()
    se_connecter(page, bureau, INSTRUCTEUR)
    page.goto(f"{bureau}/instruction/dossiers?etat=depose&par_page=10")
    page.get_by_role("link", name="Tout cocher sur cette page").click()
    assert "tout=oui" in page.url
    assert page.locator('input[name="references"]:checked').count() == 10
    contexte.close()
