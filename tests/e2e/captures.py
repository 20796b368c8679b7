"""Des captures d'écran des pages dans tests/e2e/captures/ (ignoré par git), pour regarder ce que voit un usager."""
from pathlib import Path

from playwright.sync_api import Page

from tests.e2e.axe import verifier_accessibilite

CAPTURES = Path(__file__).resolve().parent / "captures"


def capturer(page: Page, nom: str, pleine_page: bool = True) -> Path:
    """Enregistre la page affichée sous captures/<nom>.png et rend le chemin du fichier."""
    CAPTURES.mkdir(exist_ok=True)
    chemin = CAPTURES / f"{nom}.png"
    page.screenshot(path=str(chemin), full_page=pleine_page)
    return chemin


def auditer_et_capturer(page: Page, nom: str, pleine_page: bool = True) -> None:
    """La page une fois chargée : axe-core sans aucune violation, puis sa capture sous captures/<nom>.png."""
    page.wait_for_load_state("networkidle")
    verifier_accessibilite(page)
    capturer(page, nom, pleine_page)
