"""Le site public des règles dans un vrai navigateur (Chromium de Debian, un vrai `guichet serve`) : axe-core ne
trouve aucune violation sur la liste, la recherche, la page d'un financeur, celle d'une règle, l'index des textes et
un texte ; le lien d'une règle ouvre son texte au passage, surligné par :target et visible à l'écran ; la
recherche marche au clavier et sans JavaScript ; la page d'impact de l'administrateur passe aussi axe."""
import re

import pytest
from playwright.sync_api import expect

from rules.base import BaseDeRegles
from rules.verification import TEXTES_LEGAUX
from tests.e2e.captures import auditer_et_capturer
from tests.e2e.navigateur import se_connecter, tabuler_jusqu_a

BASE = BaseDeRegles.charger()
# A sample: the first rule citing each source text (the HTTP tests follow every rule's link).
ECHANTILLON = list({r.source.document: r for r in reversed(BASE.regles)
                    if r.source.document not in TEXTES_LEGAUX}.values())
SURLIGNE = "rgb(255, 221, 0)"  # #ffdd00, the targeted passage


@pytest.fixture
def contexte_axe(new_context, serveur):
    """Un contexte où axe peut s'injecter (sans la politique de sécurité : seul ce contexte l'ignore)."""
    return new_context(bypass_csp=True)


def test_la_liste_la_recherche_et_un_financeur_passent_axe(contexte_axe, serveur):
    page = contexte_axe.new_page()
    page.goto(f"{serveur}/regles")
    expect(page.locator("h1")).to_have_text("Les règles du guichet")
    auditer_et_capturer(page, "regles")
    tabuler_jusqu_a(page, "#q")  # the search box, from the keyboard alone
    page.keyboard.type("camping")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{serveur}/regles?q=camping")
    expect(page.get_by_role("status")).to_contain_text("pour « camping »")
    expect(page.locator("#q")).to_have_value("camping")
    auditer_et_capturer(page, "regles-recherche")
    page.get_by_role("link", name=re.compile("^Les \\d+ règles de ce financeur")).first.click()
    expect(page).to_have_url(re.compile(r"/regles/financeurs/[a-z_0-9-]+$"))
    auditer_et_capturer(page, "regles-financeur")


@pytest.mark.parametrize("regle", ECHANTILLON, ids=lambda r: r.id)
def test_le_lien_d_une_regle_ouvre_son_texte_au_passage_surligne(contexte_axe, serveur, regle):
    page = contexte_axe.new_page()
    page.goto(f"{serveur}/regles/{regle.id}")
    expect(page.locator("h1")).to_have_text(regle.titre)
    expect(page.locator(".guichet-regle__extrait mark")).to_be_visible()
    auditer_et_capturer(page, f"regle-{regle.id}")
    page.get_by_role("link", name=re.compile("^Lire le passage surligné")).click()
    expect(page).to_have_url(f"{serveur}/textes/{regle.source.document}#regle-{regle.id}")
    cible = page.locator(f'[id="regle-{regle.id}"]')
    expect(cible).to_be_in_viewport()
    fond = cible.locator("mark").first.evaluate("m => getComputedStyle(m).backgroundColor")
    assert fond == SURLIGNE
    autres = page.locator(".guichet-texte__passage:not(:target) > mark")
    if autres.count():
        assert autres.first.evaluate("m => getComputedStyle(m).backgroundColor") != SURLIGNE
    auditer_et_capturer(page, f"texte-{regle.source.document}-{regle.id}", pleine_page=False)


def test_l_index_des_textes_et_un_texte_sans_regle_passent_axe(contexte_axe, serveur):
    page = contexte_axe.new_page()
    page.goto(f"{serveur}/textes")
    expect(page.locator(".guichet-liste-textes li")).to_have_count(5)
    auditer_et_capturer(page, "textes")
    page.get_by_role("link", name=re.compile("Livret PIC Euralens")).click()
    expect(page.locator(".guichet-texte-source")).to_be_visible()
    auditer_et_capturer(page, "texte-sans-regle", pleine_page=False)


def test_une_regle_inconnue_montre_la_page_introuvable(contexte_axe, serveur):
    page = contexte_axe.new_page()
    reponse = page.goto(f"{serveur}/regles/region.nexiste.pas")
    assert reponse.status == 404
    expect(page.locator("h1")).to_have_text("Page introuvable")
    auditer_et_capturer(page, "regle-inconnue")


def test_la_recherche_marche_sans_javascript(new_context, serveur):
    contexte = new_context(java_script_enabled=False)
    page = contexte.new_page()
    page.goto(f"{serveur}/regles")
    page.locator("#q").fill("ADEME")
    page.get_by_role("button", name="Rechercher").click()
    expect(page).to_have_url(f"{serveur}/regles?q=ADEME")
    expect(page.locator("table a[href^='/regles/ademe.']").first).to_be_visible()


def test_la_page_d_impact_de_l_administrateur_passe_axe(contexte_axe, serveur, comptes_navigateur):
    page = contexte_axe.new_page()
    se_connecter(page, serveur, comptes_navigateur["admin"], chemin="/connexion?suivant=/admin/impact")
    expect(page).to_have_url(f"{serveur}/admin/impact")
    auditer_et_capturer(page, "admin-impact")
    page.get_by_label("Version de départ").select_option("en_vigueur")
    page.get_by_role("button", name="Mesurer l’impact").click()
    expect(page.locator("#resultat")).to_be_visible()
    auditer_et_capturer(page, "admin-impact-resultat")
    page.get_by_label("Jour").fill("31")
    page.get_by_label("Mois").fill("2")
    page.get_by_label("Année").fill("2026")
    page.get_by_role("button", name="Mesurer l’impact").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("La date doit être une vraie date")
    auditer_et_capturer(page, "admin-impact-erreur")
