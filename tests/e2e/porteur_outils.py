"""Ce que partagent les tests du parcours du porteur dans le navigateur : un `guichet serve` dont on lit le journal
(le lien de confirmation d'une inscription y est écrit), des comptes de porteur, l'audit de chaque page."""
import re
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Optional

from playwright.sync_api import Page, expect

from tests.e2e.captures import auditer_et_capturer
from tests.e2e.serveur import GUICHET, RACINE, arreter_serveur, attendre_sante, environnement_guichet, port_libre

MDP = "motdepasse-du-porteur"


class ServeurPorteur:
    """Un `guichet serve` sur un dossier de données neuf ; sa sortie va dans un fichier qu'on relit."""

    def __init__(self, donnees: Path):
        self.donnees = donnees
        sortie = subprocess.run([str(GUICHET), "db", "upgrade"], cwd=RACINE, env=environnement_guichet(donnees),
                                capture_output=True, text=True)
        assert sortie.returncode == 0, sortie.stderr
        self.journal = donnees / "serveur.log"
        port = port_libre()
        self._fichier = self.journal.open("w")
        self.processus = subprocess.Popen([str(GUICHET), "serve", "--port", str(port)], cwd=RACINE,
                                          env=environnement_guichet(donnees), stdout=self._fichier,
                                          stderr=subprocess.STDOUT, text=True, start_new_session=True)
        self.url = f"http://127.0.0.1:{port}"
        attendre_sante(self.processus, self.url)

    @property
    def base(self) -> Path:
        return self.donnees / "guichet.sqlite"

    def arreter(self) -> None:
        arreter_serveur(self.processus)
        self._fichier.close()

    def guichet(self, *arguments: str, entree: Optional[str] = None) -> subprocess.CompletedProcess:
        return subprocess.run([str(GUICHET), *arguments], cwd=RACINE, env=environnement_guichet(self.donnees),
                              input=entree, capture_output=True, text=True)

    def creer_porteur(self, email: str) -> str:
        sortie = self.guichet("utilisateur", "creer", "--email", email, "--role", "porteur", "--nom",
                              "Porteur d'essai", entree=MDP + "\n")
        assert sortie.returncode == 0, sortie.stderr
        return email

    def lien_de_confirmation(self, email: str, attente: float = 10) -> str:
        """Le lien écrit dans le journal du serveur pour cette adresse (aucun serveur SMTP dans les tests)."""
        limite = time.monotonic() + attente
        while time.monotonic() < limite:
            trouve = re.search(rf"inscription de {re.escape(email)} : .*?(http\S+/inscription/confirmer\?jeton=\S+)",
                               self.journal.read_text(encoding="utf-8"))
            if trouve:
                return trouve.group(1)
            time.sleep(0.2)
        raise AssertionError(f"aucun lien de confirmation pour {email} dans le journal du serveur")

    def expirer_les_sessions(self, email: str) -> None:
        """Comme si deux heures s'étaient écoulées sans activité : les sessions du compte ont expiré."""
        with sqlite3.connect(self.base) as base:
            base.execute("UPDATE sessions SET expire_le = '2000-01-01 00:00:00.000000', vu_le = "
                         "'2000-01-01 00:00:00.000000' WHERE compte_id = (SELECT id FROM comptes WHERE email = ?)",
                         (email,))


def se_connecter(page: Page, url: str, email: str, mot_de_passe: str = MDP) -> None:
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(mot_de_passe)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def connecter(page: Page, url: str, email: str) -> None:
    page.goto(f"{url}/connexion")
    se_connecter(page, url, email)
    expect(page).to_have_url(f"{url}/mes-dossiers")


def auditer(page: Page, nom: str) -> None:
    """axe-core sans aucune violation, puis une capture de la page (tests/e2e/captures/porteur-<nom>.png)."""
    auditer_et_capturer(page, f"porteur-{nom}")


def continuer(page: Page, suivante: str) -> None:
    """« Enregistrer et continuer », puis l'étape suivante chargée (le script vérifie la session avant l'envoi)."""
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.wait_for_url(re.compile(rf"/{suivante}$"))
    page.wait_for_load_state()


def panneau_a_jour(page: Page) -> None:
    """Attend la fin des demandes htmx du pré-diagnostic en direct."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
