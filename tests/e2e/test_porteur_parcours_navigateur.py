"""Le parcours du porteur dans un vrai navigateur, de bout en bout : trois porteurs (une commune et son aire de
camping-cars, une entreprise et son restaurant en transition écologique, une particulière et ses chambres d'hôtes au
seul clavier) remplissent, voient le pré-diagnostic bouger, joignent une pièce, vérifient et déposent. axe-core ne
trouve aucune violation à aucune étape ; chaque page est capturée (tests/e2e/captures/porteur-*.png)."""
import io
import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from stdnum import luhn

from forms.libelles import NOMS_FINANCEURS
from tests.e2e.porteur_outils import MDP, ServeurPorteur, auditer, connecter, continuer, panneau_a_jour, se_connecter

MOIS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
        "décembre")
PDF_MINIMAL = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
               b"trailer<</Root 1 0 R>>\n%%EOF\n")


def siret_valide(debut: str) -> str:
    return debut + luhn.calc_check_digit(debut)


@pytest.fixture(scope="module")
def serveur(tmp_path_factory):
    banc = ServeurPorteur(tmp_path_factory.mktemp("porteur"))
    yield banc
    banc.arreter()


@pytest.fixture
def page_axe(new_context) -> Page:
    """Une page où axe peut s'injecter (le contexte ignore la politique de sécurité du contenu pour cela)."""
    return new_context(bypass_csp=True).new_page()


def _nouveau_dossier(page: Page) -> str:
    page.get_by_role("button", name="Commencer un nouveau dossier").click()
    page.wait_for_url(re.compile(r"/mes-dossiers/GU-\d{4}-[A-Z0-9]{6}$"))
    return page.url.rsplit("/", 1)[1]


def _joindre(page: Page, etiquette: str, nom: str, contenu: bytes, type_mime: str) -> None:
    page.get_by_label(etiquette).first.set_input_files({"name": nom, "mimeType": type_mime, "buffer": contenu})
    page.get_by_role("button", name="Joindre ce fichier").last.click()
    page.wait_for_load_state()


def _deposer_et_lire_l_accuse(page: Page, serveur: ServeurPorteur, reference: str) -> str:
    page.get_by_role("button", name="Déposer le dossier").click()
    page.wait_for_url(re.compile(rf"/mes-dossiers/{reference}\?depose=1$"))
    expect(page.locator(".govuk-panel__title")).to_have_text("Dossier déposé")
    expect(page.locator(".govuk-panel__body")).to_contain_text(reference)
    reponse = page.request.get(f"{serveur.url}/mes-dossiers/{reference}/accuse-de-reception.pdf")
    assert reponse.status == 200 and reponse.headers["content-type"] == "application/pdf"
    texte = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(reponse.body())).pages).split())
    aujourd_hui = datetime.now(ZoneInfo("Europe/Paris"))
    jour = "1er" if aujourd_hui.day == 1 else str(aujourd_hui.day)
    assert reference in texte
    assert f"Déposé le {jour} {MOIS[aujourd_hui.month - 1]} {aujourd_hui.year}" in texte
    for nom in NOMS_FINANCEURS.values():
        assert " ".join(nom.split()) in texte, nom
    return texte


def test_une_commune_inscrite_depose_son_aire_de_camping_cars_qui_apparait_dans_la_liste_des_dossiers(
        page_axe, serveur):
    page, email = page_axe, "mairie@bethune.essai.fr"
    page.goto(f"{serveur.url}/inscription")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Votre nom ou celui de votre structure (facultatif)").fill("Mairie de Béthune")
    page.get_by_label("Mot de passe", exact=True).fill(MDP)
    page.get_by_label("Confirmez le mot de passe").fill(MDP)
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_url(re.compile("/inscription/envoyee$"))
    page.goto(serveur.lien_de_confirmation(email))
    page.goto(f"{serveur.url}/connexion")
    se_connecter(page, serveur.url, email)
    expect(page.locator("h1")).to_have_text("Mes dossiers")
    auditer(page, "mes-dossiers-vide")

    reference = _nouveau_dossier(page)
    expect(page.locator(".govuk-task-list")).to_contain_text("Le porteur")
    auditer(page, "liste-des-taches")

    page.get_by_role("link", name="Le porteur").click()
    page.get_by_label("Commune", exact=True).check()
    expect(page.get_by_label("Taille de l’entreprise (définition européenne)").first).to_be_hidden()
    page.get_by_label("Nom du porteur").fill("Commune de Béthune")
    page.get_by_label("Numéro SIRET").fill("21620910600015")
    expect(page.locator("#siret-verification")).to_contain_text("clé de contrôle invalide")
    page.get_by_label("Numéro SIRET").fill("21620910600014")
    expect(page.locator("#siret-verification")).to_contain_text("SIRET valide")
    panneau_a_jour(page)
    auditer(page, "commune-porteur")
    continuer(page, "projet")

    page.get_by_label("Titre du projet").fill("Aire d'accueil de camping-cars du port")
    page.get_by_label("Commune du projet").fill("Béthune (62119, Pas-de-Calais)")
    page.get_by_label("Investissement").check()
    page.get_by_label("Hébergement", exact=True).check()
    page.get_by_label("Aire de camping-cars").check()
    page.get_by_label("Promeneurs chaleureux").check()
    page.get_by_label("Vélo", exact=True).check()
    page.get_by_label("Fluvial et nautique").check()
    page.get_by_label("Aucun label").check()
    page.locator("input[name='projet.accessibilite'][value='oui']").check()
    page.get_by_label("Jour").fill("1")
    page.get_by_label("Mois").fill("9")
    page.get_by_label("Année").fill("2027")
    panneau_a_jour(page)
    region = page.locator(".guichet-financeur", has_text=NOMS_FINANCEURS["region_hdf"])
    expect(region.locator(".guichet-statut")).to_have_text("Prioritaire")
    region.get_by_text("Pourquoi ?").click()
    lien = region.locator(".guichet-source a").first
    assert re.fullmatch(r"/textes/000_2cc5c77f9f4957df\.txt#regle-[a-z0-9_.]+", lien.get_attribute("href"))
    auditer(page, "commune-projet")
    continuer(page, "budget")

    page.get_by_label("Coût total du projet, hors taxes").fill("180 000")
    page.get_by_label("Dont dépenses d’investissement, hors taxes").fill("180000")
    page.get_by_label("Montant demandé à la Région").fill("90 000")
    page.locator("select[name='budget.financements-0-financeur']").select_option("departement_62")
    page.locator("input[name='budget.financements-0-montant']").fill("40 000")
    page.locator("input[name='budget.financements-0-statut'][value='sollicite']").check()
    panneau_a_jour(page)
    totaux = page.locator("#totaux-budget")
    expect(totaux).to_contain_text("130 000,00")  # 90 000 asked of the Région + 40 000 of the Département
    expect(totaux).to_contain_text("Respectée")  # 50 000 € of self-financing: 27,8 % ≥ 20 %
    auditer(page, "commune-budget")
    continuer(page, "pieces")

    _joindre(page, "Joindre un autre document", "devis-aire.pdf", PDF_MINIMAL, "application/pdf")
    expect(page.locator(".guichet-fichiers")).to_contain_text("devis-aire.pdf")
    auditer(page, "commune-pieces")
    page.get_by_role("link", name="Continuer vers la vérification").click()
    expect(page.locator("h1")).to_have_text("Vérifiez vos réponses avant de déposer")
    expect(page.get_by_role("link", name="Modifier : nom du porteur")).to_have_attribute(
        "href", f"/mes-dossiers/{reference}/porteur#porteur.nom")
    expect(page.locator("main")).to_contain_text("Béthune (62119, Pas-de-Calais)")
    auditer(page, "commune-verifier")
    texte = _deposer_et_lire_l_accuse(page, serveur, reference)
    assert "devis-aire.pdf" in texte
    auditer(page, "commune-depose")

    # Done when: the dossier filed in the browser is in `guichet dossier liste`, with its evaluation.
    voir = serveur.guichet("dossier", "voir", reference, "--format", "json")
    assert voir.returncode == 0, voir.stderr
    historique = json.loads(voir.stdout)
    assert historique["etat"] == "depose" and len(historique["evaluations"]) == 1
    avis = historique["evaluations"][0]["resultat"]["avis"]
    liste = serveur.guichet("dossier", "liste")
    assert liste.returncode == 0, liste.stderr
    ligne = next(line for line in liste.stdout.splitlines() if line.startswith(reference))
    assert re.search(rf"^{reference}\s+Déposé\s+{avis}\s+Commune de Béthune\s+Aire d'accueil", ligne), ligne


def test_une_entreprise_depose_son_restaurant_en_transition_ecologique(page_axe, serveur):
    email = serveur.creer_porteur("gerant@relais-du-canal.essai.fr")
    page = page_axe
    connecter(page, serveur.url, email)
    reference = _nouveau_dossier(page)
    page.get_by_role("link", name="Le porteur").click()
    page.get_by_label("Entreprise", exact=True).check()
    expect(page.get_by_text("Vendez-vous des biens ou des services")).to_be_hidden()
    page.get_by_label("Nom du porteur").fill("SARL Le Relais du Canal")
    page.get_by_label("Numéro SIRET").fill(siret_valide("4410288180001"))
    page.get_by_label("Micro-entreprise").check()
    page.get_by_label("Aides publiques « de minimis » reçues sur les trois dernières années").fill("20 000")
    auditer(page, "entreprise-porteur")
    continuer(page, "projet")
    page.get_by_label("Titre du projet").fill("Restaurant du canal : cuisine locale et sobriété énergétique")
    page.get_by_label("Commune du projet").fill("Aire-sur-la-Lys")
    page.get_by_label("Investissement").check()
    page.get_by_label("Restauration").check()
    expect(page.get_by_text("Type d’hébergement")).to_be_hidden()
    page.get_by_label("Promeneurs chaleureux").check()
    page.get_by_label("Gastronomie").check()
    page.get_by_label("Clef verte").check()
    page.locator("input[name='projet.transition_ecologique'][value='oui']").check()
    page.locator("input[name='projet.diagnostic_environnemental'][value='oui']").check()
    panneau_a_jour(page)
    auditer(page, "entreprise-projet")
    continuer(page, "budget")
    page.get_by_label("Coût total du projet, hors taxes").fill("120 000")
    page.get_by_label("Dont dépenses d’investissement, hors taxes").fill("100 000")
    page.get_by_label("Montant demandé à la Région").fill("30 000")
    page.locator("select[name='budget.financements-0-financeur']").select_option("ademe_fonds_tourisme_durable")
    page.locator("input[name='budget.financements-0-montant']").fill("40 000")
    page.locator("input[name='budget.financements-0-statut'][value='sollicite']").check()
    panneau_a_jour(page)
    # 20 000 already received + 70 000 of public aid in this project, against the 300 000 € ceiling.
    expect(page.locator("#totaux-budget")).to_contain_text("90 000,00")
    ademe = page.locator(".guichet-financeur", has_text=NOMS_FINANCEURS["ademe_fonds_tourisme_durable"])
    expect(ademe).to_contain_text("Aide indicative")
    auditer(page, "entreprise-budget")
    continuer(page, "pieces")
    page.get_by_role("link", name="Continuer vers la vérification").click()
    expect(page.locator(".govuk-summary-list").first).to_contain_text("Micro-entreprise")
    auditer(page, "entreprise-verifier")
    _deposer_et_lire_l_accuse(page, serveur, reference)
    page.goto(f"{serveur.url}/mes-dossiers")
    expect(page.locator("table")).to_contain_text(reference)
    expect(page.locator("table")).to_contain_text("Déposé")


def _tabuler(page: Page, selecteur: str, maximum: int = 250) -> None:
    for _ in range(maximum):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selecteur):
            return
    raise AssertionError(f"« {selecteur} » n'est pas atteignable au clavier")


def _taper(page: Page, nom: str, texte: str) -> None:
    _tabuler(page, f"[name='{nom}']")
    page.keyboard.type(texte)


def _choisir(page: Page, nom: str, valeur: str) -> None:
    """Un bouton radio au clavier : Tab jusqu'au groupe, flèches jusqu'à la valeur, Espace."""
    _tabuler(page, f"input[name='{nom}']")
    for _ in range(20):
        if page.evaluate("() => document.activeElement.value") == valeur:
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    assert page.evaluate("() => document.activeElement.checked")


def _cocher(page: Page, nom: str, valeur: str) -> None:
    _tabuler(page, f"input[name='{nom}'][value='{valeur}']")
    page.keyboard.press("Space")


def _envoyer(page: Page, suivante: str) -> None:
    _tabuler(page, "button[value='continuer']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/{suivante}$"))
    page.wait_for_load_state()


def test_une_particuliere_depose_ses_chambres_d_hotes_au_seul_clavier(page_axe, serveur):
    email = serveur.creer_porteur("claire.vandamme@essai.fr")
    page = page_axe
    page.goto(f"{serveur.url}/connexion")
    _taper(page, "email", email)
    _taper(page, "mot_de_passe", MDP)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{serveur.url}/mes-dossiers")
    _tabuler(page, "button.govuk-button--start")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/mes-dossiers/GU-"))
    reference = page.url.rsplit("/", 1)[1]
    _tabuler(page, "a[href$='/porteur']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("/porteur$"))
    _choisir(page, "porteur.type", "particulier")
    expect(page.get_by_label("Numéro SIRET")).to_be_hidden()
    _taper(page, "porteur.nom", "Claire Vandamme")
    _choisir(page, "porteur.activite_economique", "oui")
    _choisir(page, "porteur.taille", "micro")
    _taper(page, "porteur.aides_minimis_3_ans", "0")
    auditer(page, "particuliere-porteur")
    _envoyer(page, "projet")
    _taper(page, "projet.titre", "Trois chambres d'hôtes Accueil Vélo au bord du canal d'Aire")
    _taper(page, "projet.commune_insee", "Hinges")
    _choisir(page, "projet.nature", "investissement")
    _choisir(page, "projet.secteur", "hebergement")
    _choisir(page, "projet.hebergement_type", "chambre_hotes")
    _cocher(page, "projet.clienteles", "promeneurs_chaleureux")
    _cocher(page, "projet.thematiques", "velo")
    _cocher(page, "projet.labels", "accueil_velo")
    panneau_a_jour(page)
    # A chambre d'hôtes aiming at Accueil Vélo: the pre-diagnostic asks for « Chambre d'hôte référence ».
    expect(page.locator("#panneau")).to_contain_text("Chambre d'hôte référence")
    auditer(page, "particuliere-projet")
    _envoyer(page, "budget")
    _taper(page, "budget.cout_total_ht", "65 000")
    _taper(page, "budget.depenses_investissement", "65 000")
    _taper(page, "budget.montant_sollicite", "15 000")
    _envoyer(page, "pieces")
    with page.expect_file_chooser() as choix:
        _tabuler(page, "input[type='file']")
        page.keyboard.press("Enter")
    choix.value.set_files({"name": "label.png", "mimeType": "image/png",
                           "buffer": b"\x89PNG\r\n\x1a\n" + b"\0" * 64})
    _tabuler(page, "form.guichet-envoi button")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator(".guichet-fichiers")).to_contain_text("label.png")
    auditer(page, "particuliere-pieces")
    _tabuler(page, "a[href$='/verifier']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("/verifier$"))
    auditer(page, "particuliere-verifier")
    _tabuler(page, "#deposer button")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/mes-dossiers/{reference}\?depose=1$"))
    expect(page.locator(".govuk-panel__body")).to_contain_text(reference)
    auditer(page, "particuliere-depose")
