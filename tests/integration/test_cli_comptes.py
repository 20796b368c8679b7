"""`guichet utilisateur` et `guichet jeton` en sous-processus, sur une base SQLite jetable : le mot de passe lu sur
l'entrée standard ou demandé deux fois au terminal, chaque faute en une ligne (code 2), le jeton écrit une fois."""
import os
import pty
import re
import select
import signal
import subprocess
import time

import pytest

from tests.e2e.serveur import GUICHET, RACINE, environnement_guichet

MDP = "motdepasse-ligne-de-commande"


@pytest.fixture
def guichet(tmp_path):
    env = environnement_guichet(tmp_path)
    assert subprocess.run([str(GUICHET), "db", "upgrade"], cwd=RACINE, env=env, capture_output=True).returncode == 0

    def lancer(*arguments: str, entree: str = "") -> subprocess.CompletedProcess:
        return subprocess.run([str(GUICHET), *arguments], cwd=RACINE, env=env, input=entree, capture_output=True,
                              text=True, timeout=60)
    lancer.env = env
    return lancer


def test_creer_un_compte_avec_le_mot_de_passe_sur_l_entree_standard(guichet):
    sortie = guichet("utilisateur", "creer", "--email", "Chef@Region.fr", "--role", "admin", "--nom", "Chef",
                     entree=MDP + "\n")
    assert (sortie.returncode, sortie.stdout) == (0, "Compte créé : chef@region.fr (admin).\n")
    liste = guichet("utilisateur", "liste").stdout
    assert re.search(r"chef@region\.fr\s+admin\s+actif\s+Chef", liste) and "1 compte(s)" in liste


def test_desactiver_puis_reactiver_un_compte(guichet):
    for email, role in (("chef@region.fr", "admin"), ("claire@exemple.fr", "porteur")):
        assert guichet("utilisateur", "creer", "--email", email, "--role", role, entree=MDP + "\n").returncode == 0
    sortie = guichet("utilisateur", "desactiver", "--email", "Claire@Exemple.fr")
    assert (sortie.returncode, sortie.stdout) == (0, "Compte désactivé : claire@exemple.fr.\n")
    assert re.search(r"claire@exemple\.fr\s+porteur\s+désactivé", guichet("utilisateur", "liste").stdout)
    assert guichet("utilisateur", "reactiver", "--email", "claire@exemple.fr").returncode == 0
    assert re.search(r"claire@exemple\.fr\s+porteur\s+actif", guichet("utilisateur", "liste").stdout)
    dernier = guichet("utilisateur", "desactiver", "--email", "chef@region.fr")
    assert dernier.returncode == 2 and "dernier compte administrateur actif" in dernier.stderr
    inconnu = guichet("utilisateur", "desactiver", "--email", "personne@region.fr")
    assert inconnu.returncode == 2 and len(inconnu.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("arguments, entree, message", [
    (["--email", "a@b.fr", "--role", "stagiaire"], MDP, "--role : rôle inconnu « stagiaire »"),
    (["--email", "a@b.fr", "--role", "porteur"], "court", "mot de passe : Le mot de passe doit contenir au moins 12"),
    (["--email", "pas-une-adresse", "--role", "porteur"], MDP, "--email : Saisissez une adresse électronique valide"),
    (["--email", "a@b.fr", "--role", "membre_comite", "--comite", "inconnu"], MDP, "--comite : Comité inconnu"),
    (["--email", "a@b.fr", "--role", "porteur", "--comite", "x"], MDP, "--comite : Seul un membre du comité"),
])
def test_chaque_faute_est_une_ligne_et_le_code_2(guichet, arguments, entree, message):
    sortie = guichet("utilisateur", "creer", *arguments, entree=entree + "\n")
    assert sortie.returncode == 2 and sortie.stdout == ""
    assert len(sortie.stderr.strip().splitlines()) == 1 and sortie.stderr.startswith(f"guichet : {message}")


def test_une_adresse_deja_prise_est_refusee(guichet):
    assert guichet("utilisateur", "creer", "--email", "a@b.fr", "--role", "porteur", entree=MDP).returncode == 0
    sortie = guichet("utilisateur", "creer", "--email", "A@B.fr", "--role", "admin", entree=MDP)
    assert sortie.returncode == 2 and "Un compte existe déjà pour cette adresse" in sortie.stderr


def _au_terminal(guichet, *saisies: str) -> tuple[int, str]:
    """La commande dans un pseudo-terminal : getpass lit les saisies sans les afficher."""
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(RACINE)
        os.execve(str(GUICHET), [str(GUICHET), "utilisateur", "creer", "--email", "t@b.fr", "--role", "porteur"],
                  guichet.env)
    sortie, reste, limite = b"", list(saisies), time.monotonic() + 60
    while time.monotonic() < limite:
        if not select.select([fd], [], [], 1)[0]:
            continue
        try:
            morceau = os.read(fd, 1024)
        except OSError:  # the child has gone: its terminal is closed
            break
        if not morceau:
            break
        sortie += morceau
        # Answer a prompt only once it is on screen: getpass flushes whatever was typed before it.
        if reste and morceau.rstrip().endswith(b":"):
            os.write(fd, reste.pop(0).encode() + b"\n")
    else:
        os.kill(pid, signal.SIGKILL)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), sortie.decode(errors="replace")


def test_au_terminal_le_mot_de_passe_est_demande_deux_fois_sans_etre_affiche(guichet):
    code, sortie = _au_terminal(guichet, MDP, MDP)
    assert code == 0 and "Encore une fois" in sortie and "Compte créé : t@b.fr" in sortie and MDP not in sortie
    code, sortie = _au_terminal(guichet, MDP, MDP + "x")
    assert code == 2 and "les deux mots de passe saisis ne sont pas identiques" in sortie


def test_un_jeton_est_ecrit_une_fois_puis_revoque(guichet):
    sortie = guichet("jeton", "creer", "--role", "instructeur", "--nom", "Tableau de bord")
    assert sortie.returncode == 0 and re.fullmatch(r"gch_[0-9a-f]{8}_[\w-]{43}\n", sortie.stdout)
    assert "copiez-le maintenant" in sortie.stderr
    prefixe = sortie.stdout[4:12]
    assert guichet("jeton", "revoquer", f"gch_{prefixe}").stdout == f"Jeton gch_{prefixe}… révoqué.\n"
    deuxieme = guichet("jeton", "revoquer", prefixe)
    assert deuxieme.returncode == 2 and "déjà révoqué" in deuxieme.stderr
    inconnu = guichet("jeton", "revoquer", "00000000")
    assert inconnu.returncode == 2 and "aucun jeton d'API ne commence par « 00000000 »" in inconnu.stderr
    assert guichet("jeton", "creer", "--role", "porteur", "--compte", "x@y.fr").returncode == 2
