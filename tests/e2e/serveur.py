"""Un `guichet serve` dans un sous-processus, sur un dossier de données donné et un port libre de 127.0.0.1."""
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

RACINE = Path(__file__).resolve().parents[2]
GUICHET = Path(sys.executable).parent / "guichet"
DEMARRAGE_MAX_SECONDES = 60


def environnement_guichet(donnees: Path) -> dict[str, str]:
    """L'environnement d'une commande `guichet` sur le dossier de données `donnees`, toujours en SQLite."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(GUICHET_DONNEES=str(donnees), PYTHONUNBUFFERED="1")
    return env


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def demarrer_serveur(donnees: Path, port: int) -> subprocess.Popen:
    return subprocess.Popen([str(GUICHET), "serve", "--port", str(port)], cwd=RACINE,
                            env=environnement_guichet(donnees), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)


def attendre_sante(processus: subprocess.Popen, url: str) -> None:
    """Attend que `/sante` réponde 200 ; échoue avec la sortie du serveur s'il meurt ou tarde."""
    limite = time.monotonic() + DEMARRAGE_MAX_SECONDES
    while time.monotonic() < limite:
        if processus.poll() is not None:
            pytest.fail(f"guichet serve s'est arrêté (code {processus.returncode}) :\n{processus.stdout.read()}")
        try:
            if httpx.get(f"{url}/sante", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    arreter_serveur(processus)
    pytest.fail(f"guichet serve ne répond pas sur {url}/sante après {DEMARRAGE_MAX_SECONDES} s :\n"
                f"{processus.stdout.read()}")


def arreter_serveur(processus: subprocess.Popen) -> str:
    """Ctrl-C, puis la sortie du serveur ; tué s'il ne s'arrête pas de lui-même."""
    if processus.poll() is None:
        processus.send_signal(signal.SIGINT)
    try:
        sortie, _ = processus.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(processus.pid, signal.SIGKILL)
        sortie, _ = processus.communicate()
    return sortie or ""
