"""Ce que les tests de navigateur des comptes se partagent : se connecter par le formulaire, atteindre un élément
au clavier."""
from playwright.sync_api import Page

MDP_NAVIGATEUR = "motdepasse-navigateur"
COMPTES_NAVIGATEUR = {"porteur": "porteur@nav.fr", "instructeur": "instructeur@nav.fr",
                      "membre_comite": "membre@nav.fr", "admin": "admin@nav.fr", "echecs": "echecs@nav.fr"}


def se_connecter(page: Page, serveur: str, email: str, mot_de_passe: str = MDP_NAVIGATEUR, chemin: str = "/connexion"):
    page.goto(f"{serveur}{chemin}")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(mot_de_passe)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def tabuler_jusqu_a(page: Page, selecteur: str, maximum: int = 40) -> int:
    """Appuie sur Tab jusqu'à ce que l'élément ait le focus ; rend le nombre d'appuis (échoue au-delà du maximum)."""
    for appuis in range(1, maximum + 1):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selecteur):
            return appuis
    raise AssertionError(f"« {selecteur} » n'est pas atteignable au clavier en {maximum} appuis sur Tab")


def focus(page: Page) -> dict:
    return page.evaluate("() => ({id: document.activeElement.id, classes: document.activeElement.className,"
                         " texte: document.activeElement.textContent.trim().slice(0, 80)})")
