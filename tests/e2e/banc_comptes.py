"""Le banc des tests HTTP des comptes : l'application en processus (TestClient) sur une base SQLite jetable, un
compte par rôle, un hacheur rapide et une horloge que le test avance."""
import re
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace
from typing import Optional

from fastapi.testclient import TestClient

from api.web.app import creer_app
from instruction.acces import Agent
from instruction.comptes import services
from instruction.comptes.mots_de_passe import Hacheur
from instruction.storage.connexion import creer_moteur
from instruction.storage.migration import mettre_a_jour
from instruction.storage.unite import UniteDeTravailSql

MDP = "motdepasse-essai-1"
COMPTES = {"porteur": "porteur@essai.fr", "instructeur": "instructeur@essai.fr",
           "membre_comite": "membre@essai.fr", "admin": "admin@essai.fr"}
ROLES_ET_ANONYME = ("anonyme", *COMPTES)
HTTPS = "https://guichet.test"  # not localhost: the session cookie is Secure, so the client must speak https


class Horloge:
    def __init__(self, instant: Optional[datetime] = None):
        self.instant = instant or datetime.now(timezone.utc)

    def __call__(self) -> datetime:
        return self.instant

    def avancer(self, **duree) -> None:
        self.instant += timedelta(**duree)


def banc(guichet, dossier) -> SimpleNamespace:
    """Une base migrée, l'application sur elle, et un compte par rôle (mot de passe MDP)."""
    url = f"sqlite:///{dossier / 'guichet.sqlite'}"
    mettre_a_jour(url)
    moteur = creer_moteur(url)
    contexte = SimpleNamespace(guichet=guichet, territoire=guichet.territoire, hacheur=Hacheur.rapide(),
                               horloge=Horloge(), unite_de_travail=lambda: UniteDeTravailSql(moteur))
    for role, email in COMPTES.items():
        assert services.creer_compte(contexte.unite_de_travail(), Agent.local("banc"), email, role, MDP,
                                     f"Compte {role}", horloge=contexte.horloge, hacheur=contexte.hacheur) == []
    return SimpleNamespace(app=creer_app(contexte), contexte=contexte, url=url, moteur=moteur)


def client(app, base: str = HTTPS) -> TestClient:
    return TestClient(app, base_url=base, follow_redirects=False, raise_server_exceptions=False)


def jeton_csrf(html: str) -> str:
    trouve = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert trouve, "pas de jeton anti-CSRF dans la page"
    return trouve.group(1)


def connecter(client: TestClient, email: str, mot_de_passe: str = MDP, suivant: Optional[str] = None):
    """GET /connexion (qui ouvre la session anonyme et donne le jeton), puis POST /connexion."""
    jeton = jeton_csrf(client.get("/connexion").text)
    donnees = {"email": email, "mot_de_passe": mot_de_passe, "csrf_token": jeton}
    if suivant is not None:
        donnees["suivant"] = suivant
    return client.post("/connexion", data=donnees)


def client_de(app, role: str) -> TestClient:
    """Un client anonyme, ou connecté avec le compte du rôle."""
    nouveau = client(app)
    if role != "anonyme":
        assert connecter(nouveau, COMPTES[role]).status_code == 303
    return nouveau


def jeton_de_page(client: TestClient, chemin: str = "/mon-compte/mot-de-passe") -> str:
    """Le jeton anti-CSRF de la session du client (lu sur une page à formulaire)."""
    return jeton_csrf(client.get(chemin).text)
