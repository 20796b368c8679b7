"""La page d'accueil dans un vrai navigateur : accessible, en français, utilisable au clavier et sans JavaScript,
conforme à sa propre politique de sécurité."""
import pytest

from tests.e2e.axe import verifier_accessibilite
from tests.e2e.captures import capturer

RUBRIQUES = ["Déposer un projet", "Instruction", "Comités", "Les règles"]


def test_la_page_d_accueil_passe_l_audit_axe(new_context, serveur):
    page = new_context(bypass_csp=True).new_page()  # axe is injected inline: this context alone ignores the CSP
    page.goto(f"{serveur}/")
    verifier_accessibilite(page)


def test_la_page_404_passe_l_audit_axe(new_context, serveur):
    page = new_context(bypass_csp=True).new_page()
    assert page.goto(f"{serveur}/page-inconnue").status == 404
    assert page.title() == "Page introuvable — Guichet"
    verifier_accessibilite(page)


def test_l_audit_axe_signale_chaque_violation(new_context):
    page = new_context(bypass_csp=True).new_page()
    page.set_content('<html><head><title>t</title></head><body><main><img src="x.png"></main></body></html>')
    with pytest.raises(AssertionError) as echec:
        verifier_accessibilite(page)
    assert "html-has-lang" in str(echec.value) and "image-alt" in str(echec.value)


def test_la_page_d_accueil_est_en_francais_et_titree_selon_le_modele(page, serveur):
    page.goto(f"{serveur}/")
    assert page.get_attribute("html", "lang") == "fr"
    assert page.title() == "Accueil — Guichet"
    assert page.inner_text("h1") == "Guichet — financements du tourisme en Hauts-de-France"
    for rubrique in RUBRIQUES:
        assert page.get_by_role("link", name=rubrique, exact=True).first.is_visible()


def test_le_lien_d_evitement_est_le_premier_arret_du_clavier_et_mene_au_contenu(page, serveur):
    page.goto(f"{serveur}/")
    page.keyboard.press("Tab")
    lien = page.evaluate("() => ({texte: document.activeElement.textContent.trim(),"
                         " cible: document.activeElement.getAttribute('href')})")
    assert lien == {"texte": "Aller au contenu principal", "cible": "#main-content"}
    assert page.locator(".govuk-skip-link").bounding_box()["height"] > 0  # shown once focused
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main-content"


def test_la_page_fonctionne_sans_javascript(new_context, serveur):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{serveur}/")
    assert "js-enabled" not in (page.get_attribute("body", "class") or "")
    for rubrique in RUBRIQUES:
        lien = page.get_by_role("link", name=rubrique, exact=True).first
        assert lien.is_visible(), rubrique
        assert lien.get_attribute("href").startswith("/")


def test_les_scripts_tournent_sous_la_politique_de_securite_sans_rien_demander_d_absent(page, serveur):
    refus, echecs = [], []
    page.on("console", lambda m: refus.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: refus.append(str(e)))
    page.on("response", lambda r: echecs.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("requestfailed", lambda r: echecs.append(f"échec {r.url}"))
    page.goto(f"{serveur}/", wait_until="networkidle")
    # init.js loaded govuk-frontend and started its components: the marks they leave on the page.
    page.wait_for_selector("[data-govuk-skip-link-init]", state="attached", timeout=5000)
    assert page.locator("[data-govuk-service-navigation-init]").count() == 1
    assert "govuk-frontend-supported" in page.get_attribute("body", "class")
    assert page.evaluate("() => typeof window.htmx") == "object"
    assert refus == [], refus  # a CSP refusal shows up as a console error
    assert echecs == [], echecs  # no GDS Transport font nor any other missing file asked for


def test_une_capture_de_l_accueil_est_enregistree(page, serveur):
    page.goto(f"{serveur}/", wait_until="networkidle")
    assert capturer(page, "accueil").stat().st_size > 10_000
    page.set_viewport_size({"width": 390, "height": 844})
    assert capturer(page, "accueil-mobile").stat().st_size > 10_000
