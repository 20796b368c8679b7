"""`guichet serve` : refuse une base non migrée en une ligne, sert une base migrée, s'arrête proprement au Ctrl-C."""
import subprocess

import httpx

from tests.e2e.serveur import (
    GUICHET,
    RACINE,
    arreter_serveur,
    attendre_sante,
    demarrer_serveur,
    environnement_guichet,
    port_libre,
)


def test_serve_refuse_une_base_non_migree_en_une_ligne(tmp_path):
    sortie = subprocess.run([str(GUICHET), "serve", "--port", str(port_libre())], cwd=RACINE,
                            env=environnement_guichet(tmp_path), capture_output=True, text=True, timeout=60)
    assert sortie.returncode == 2
    assert sortie.stdout == ""
    lignes = sortie.stderr.strip().splitlines()
    assert len(lignes) == 1, sortie.stderr
    assert lignes[0].startswith("guichet : la base ") and "guichet db upgrade" in lignes[0]


def test_la_sante_d_un_serveur_lance_est_bonne(serveur):
    reponse = httpx.get(f"{serveur}/sante")
    assert (reponse.status_code, reponse.json()) == (200, {"statut": "ok"})


def test_ctrl_c_arrete_le_serveur_proprement(donnees_migrees):
    port = port_libre()
    processus = demarrer_serveur(donnees_migrees, port)
    attendre_sante(processus, f"http://127.0.0.1:{port}")
    sortie = arreter_serveur(processus)
    assert processus.returncode == 0, sortie
    assert "Guichet : serveur arrêté." in sortie
    assert "Traceback" not in sortie
