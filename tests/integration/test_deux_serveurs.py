"""Deux processus `guichet serve` sur une même base PostgreSQL, comme derrière un répartiteur de charge : une
session ouverte par l'un vaut pour l'autre, ce qu'écrit l'un se voit par l'autre, la déconnexion et le freinage
des tentatives valent pour les deux. Rien n'est gardé dans la mémoire d'un processus."""
import os
import re
import subprocess
import uuid

import httpx
import pytest

from instruction.acces import Agent
from instruction.comptes import services
from instruction.storage import UniteDeTravailSql, creer_moteur, mettre_a_jour
from tests.e2e.serveur import GUICHET, RACINE, arreter_serveur, attendre_sante, port_libre
from tests.integration.conftest import _supprimer_base
from tests.integration.serveur_postgres import creer_base

MDP = "motdepasse-deux-serveurs"


@pytest.fixture
def url_partagee(serveur_postgresql):
    nom = f"deux_serveurs_{uuid.uuid4().hex[:12]}"
    url = creer_base(serveur_postgresql, nom)
    mettre_a_jour(url)
    moteur = creer_moteur(url)
    try:
        assert services.creer_compte(UniteDeTravailSql(moteur), Agent.local("test"), "admin@deux.fr", "admin",
                                     MDP) == []
    finally:
        moteur.dispose()
    yield url
    _supprimer_base(serveur_postgresql, nom)


@pytest.fixture
def deux_serveurs(url_partagee, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "GUICHET_DONNEES"}
    env.update(DATABASE_URL=url_partagee, PYTHONUNBUFFERED="1")
    processus, adresses = [], []
    try:
        for _ in range(2):
            port = port_libre()
            processus.append(subprocess.Popen([str(GUICHET), "serve", "--port", str(port)], cwd=RACINE, env=env,
                                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                              start_new_session=True))
            adresses.append(f"http://127.0.0.1:{port}")
        for un, adresse in zip(processus, adresses):
            attendre_sante(un, adresse)
        yield adresses
    finally:
        for un in processus:
            arreter_serveur(un)


def _jeton(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _cookie(secret: str) -> dict[str, str]:
    return {"Cookie": f"guichet_session={secret}"}


def _connecter(adresse: str, mot_de_passe: str = MDP) -> httpx.Response:
    with httpx.Client(base_url=adresse) as client:
        jeton = _jeton(client.get("/connexion").text)
        return client.post("/connexion", data={"email": "admin@deux.fr", "mot_de_passe": mot_de_passe,
                                               "csrf_token": jeton})


def test_une_session_ouverte_par_un_serveur_vaut_pour_l_autre_et_ce_qu_ecrit_l_un_se_voit_par_l_autre(deux_serveurs):
    a, b = deux_serveurs
    connexion = _connecter(a)
    assert connexion.status_code == 303
    secret = connexion.cookies["guichet_session"]
    page_b = httpx.get(f"{b}/admin/comptes/nouveau", headers=_cookie(secret))
    assert page_b.status_code == 200  # the session opened through A, read from the database by B
    creation = httpx.post(f"{b}/admin/comptes/nouveau", headers=_cookie(secret), data={
        "email": "ines@region.fr", "role": "instructeur", "mot_de_passe": MDP, "csrf_token": _jeton(page_b.text)})
    assert creation.status_code == 303  # and its CSRF token too
    assert "ines@region.fr" in httpx.get(f"{a}/admin", headers=_cookie(secret)).text  # written by B, seen by A
    deconnexion = httpx.post(f"{a}/deconnexion", headers=_cookie(secret),
                             data={"csrf_token": _jeton(httpx.get(f"{a}/admin", headers=_cookie(secret)).text)})
    assert deconnexion.status_code == 303
    assert httpx.get(f"{b}/admin", headers=_cookie(secret)).status_code == 303  # closed for B as well


def test_les_echecs_de_connexion_se_comptent_sur_les_deux_serveurs(deux_serveurs):
    a, b = deux_serveurs
    codes = [_connecter(serveur, "mauvais-mot-de-passe").status_code for serveur in (a, b, a, b)]
    assert codes == [422] * 4
    assert _connecter(a, "mauvais-mot-de-passe").status_code == 429  # the fifth, whichever server gets it
    assert _connecter(b).status_code == 429
