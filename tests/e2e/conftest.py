"""Le banc des tests de bout en bout : un vrai `guichet serve` sur une base SQLite jetable, et le Chromium de Debian.

Le serveur démarre une fois par session, dans un sous-processus, sur un port libre de 127.0.0.1 ; il est
arrêté à la fin par Ctrl-C (SIGINT), comme à la main. Si Chromium ne démarre pas, les tests du navigateur
échouent en le disant : un banc qui se saute lui-même ne prouve rien.
"""
import os
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Error as ErreurPlaywright

from tests.e2e.serveur import (
    GUICHET,
    RACINE,
    arreter_serveur,
    attendre_sante,
    demarrer_serveur,
    environnement_guichet,
    port_libre,
)

CHROMIUM = os.environ.get("GUICHET_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling Google's hosts, refused on this closed network.
OPTIONS_CHROMIUM = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
                    "--disable-default-apps", "--disable-extensions", "--mute-audio"]


@pytest.fixture(scope="session")
def donnees_migrees(tmp_path_factory) -> Path:
    """Un dossier de données neuf, sa base SQLite migrée par `guichet db upgrade`."""
    donnees = tmp_path_factory.mktemp("donnees")
    sortie = subprocess.run([str(GUICHET), "db", "upgrade"], cwd=RACINE, env=environnement_guichet(donnees),
                            capture_output=True, text=True)
    assert sortie.returncode == 0, sortie.stderr
    return donnees


@pytest.fixture(scope="session")
def serveur(donnees_migrees):
    """L'adresse de base (http://127.0.0.1:PORT) d'un `guichet serve` qui répond."""
    port = port_libre()
    processus = demarrer_serveur(donnees_migrees, port)
    url = f"http://127.0.0.1:{port}"
    attendre_sante(processus, url)
    yield url
    arreter_serveur(processus)


@pytest.fixture(scope="session")
def browser(playwright):
    """Remplace le navigateur de pytest-playwright : le Chromium de Debian, sans fenêtre, jamais téléchargé."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"Chromium introuvable ({CHROMIUM}) : lancez « make navigateur » (paquet Debian chromium)")
    try:
        navigateur = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=OPTIONS_CHROMIUM)
    except ErreurPlaywright as exc:
        pytest.fail(f"Chromium ({CHROMIUM}) ne démarre pas : {exc}")
    yield navigateur
    navigateur.close()


@pytest.fixture
def browser_context_args(browser_context_args):
    # French browser, a desktop-sized window: what the Region's agents use.
    return {**browser_context_args, "locale": "fr-FR", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="module")
def banc_partage(guichet_python, tmp_path_factory):
    """L'application des comptes en processus, partagée par les tests d'un module qui n'y changent rien."""
    from tests.e2e.banc_comptes import banc
    return banc(guichet_python, tmp_path_factory.mktemp("comptes"))


@pytest.fixture
def banc_neuf(guichet_python, tmp_path):
    """L'application des comptes en processus, sur une base neuve pour ce seul test."""
    from tests.e2e.banc_comptes import banc
    return banc(guichet_python, tmp_path)


@pytest.fixture(scope="session")
def comptes_navigateur(donnees_migrees) -> dict[str, str]:
    """Un compte par rôle dans la base du serveur, créés par `guichet utilisateur creer` (mot de passe sur l'entrée
    standard), plus un porteur réservé aux mauvais mots de passe (ses échecs ne bloquent personne d'autre)."""
    from tests.e2e.navigateur import COMPTES_NAVIGATEUR, MDP_NAVIGATEUR
    for role, email in COMPTES_NAVIGATEUR.items():
        sortie = subprocess.run([str(GUICHET), "utilisateur", "creer", "--email", email,
                                 "--role", "porteur" if role == "echecs" else role, "--nom", f"Essai {role}"],
                                cwd=RACINE, env=environnement_guichet(donnees_migrees), input=MDP_NAVIGATEUR + "\n",
                                capture_output=True, text=True)
        assert sortie.returncode == 0, sortie.stderr
    return COMPTES_NAVIGATEUR
