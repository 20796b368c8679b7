"""Le banc des tests de l'API : l'application en processus (TestClient) sur une base SQLite jetable où la
démonstration est chargée (dossiers à chaque stade, réunion du comité, un compte par rôle), plus un second
porteur et son dossier ; un jeton d'API par rôle, rattaché au compte de démonstration de ce rôle.
"""
import copy
import json
from types import SimpleNamespace

from fastapi.testclient import TestClient

from api import demo
from api.web.app import creer_app
from instruction.acces import Agent
from instruction.comptes import services as services_comptes
from instruction.comptes import services_jetons
from instruction.comptes.mots_de_passe import Hacheur
from instruction.dossiers import services
from instruction.storage.connexion import creer_moteur
from instruction.storage.migration import mettre_a_jour
from instruction.storage.unite import UniteDeTravailSql

HTTPS = "https://guichet.test"
AUTRE_PORTEUR = Agent("autre-porteur@essai.fr", "porteur", nom="Autre porteur")
DOSSIER_AUTRE = "AUTRE-2025-001"  # filed by the other holder: invisible to the demo's holder
COMPTES = {"porteur": demo.PORTEUR.id, "autre_porteur": AUTRE_PORTEUR.id, "instructeur": demo.INSTRUCTRICE.id,
           "membre_comite": "membre@demo.guichet.fr", "admin": "admin@demo.guichet.fr"}
ROLES = ("porteur", "instructeur", "membre_comite", "admin")
ROLES_ET_ANONYME = ("anonyme", *ROLES)
MDP = "motdepasse-essai-1"


def exemples() -> dict[str, dict]:
    return {d["reference"]: d for d in json.loads(demo.EXEMPLES.read_text(encoding="utf-8"))}


def dossier_neuf(reference: str, modele: str = "LA-2025-003") -> dict:
    """Un dossier de la démonstration sous une autre référence (déposable une fois de plus)."""
    donnees = copy.deepcopy(exemples()[modele])
    donnees["reference"] = reference
    return donnees


def banc(guichet, controles, dossier) -> SimpleNamespace:
    url = f"sqlite:///{dossier / 'guichet.sqlite'}"
    mettre_a_jour(url)
    moteur = creer_moteur(url)
    contexte = SimpleNamespace(guichet=guichet, territoire=guichet.territoire, controles=controles,
                               hacheur=Hacheur.rapide(), unite_de_travail=lambda: UniteDeTravailSql(moteur))
    uow = contexte.unite_de_travail
    demo.charger(uow(), guichet, controles)
    admin = Agent.local("banc")
    assert services_comptes.creer_compte(uow(), admin, AUTRE_PORTEUR.id, "porteur", MDP, AUTRE_PORTEUR.nom,
                                         hacheur=contexte.hacheur) == []
    assert services.deposer(uow(), guichet, dossier_neuf(DOSSIER_AUTRE), AUTRE_PORTEUR) == []
    jetons = {}
    for role, email in COMPTES.items():
        erreurs, _, secret = services_jetons.creer_jeton(uow(), admin, "porteur" if role == "autre_porteur" else role,
                                                         f"essai {role}", email)
        assert erreurs == [], erreurs
        jetons[role] = secret
    return SimpleNamespace(app=creer_app(contexte), contexte=contexte, jetons=jetons, moteur=moteur, url=url)


def client(app) -> TestClient:
    return TestClient(app, base_url=HTTPS, follow_redirects=False, raise_server_exceptions=False)


def entetes(banc, role: str) -> dict[str, str]:
    """Les en-têtes d'un client du rôle (aucun pour l'anonyme)."""
    return {} if role == "anonyme" else {"Authorization": f"Bearer {banc.jetons[role]}"}
