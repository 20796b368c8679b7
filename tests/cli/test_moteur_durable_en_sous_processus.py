"""Ce qui ferait planter durable-rules (segfault) ne plante plus : chaque cas tourne dans un processus
fils, pour que la suite survive à une régression et la signale par le code de sortie du fils."""
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from rules import durable
from tests.unit.cas_durable import GABARIT

pytestmark = pytest.mark.skipif(not durable.disponible(), reason="durable-rules ne s'importe pas ici (Python 3.13 ?)")

RACINE = Path(__file__).resolve().parents[2]


def _fils(code: str, entree: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], input=entree, capture_output=True,
                          text=True, cwd=RACINE, timeout=60)


def test_une_session_sans_aucune_regle_vraie_s_efface_sans_planter():
    # durable-rules frees uninitialised pointers when deleting a session where no action ever
    # ran: on a dirty heap, that is a segfault.
    code = """
        sale = [bytearray(b"\\xff" * 20000) for _ in range(30)]
        del sale
        from rules.chargement import lire_fichier
        from rules.durable import MoteurDurable
        texte = open(0).read()
        regles, _ = lire_fichier("t.yaml", texte)
        moteur = MoteurDurable(regles)
        for _ in range(3):
            assert moteur.declenchees([{"projet.nature": "etude"}] * 5) == [frozenset()] * 5
        print("ok")
        """
    regles_yaml = "regles:\n" + GABARIT.format(k=0, si="      projet.nature: investissement")
    fini = _fils(code, regles_yaml)
    assert (fini.returncode, fini.stdout.strip()) == (0, "ok"), fini.stderr


def test_des_valeurs_jointes_de_meme_empreinte_ne_font_pas_planter_le_moteur():
    # Sent as they are, these pairs make durable-rules segfault (same FNV-1a hash, or the same
    # double hash).
    code = """
        from rules.jointures import Jointure, paires_python
        from rules.durable import JointuresDurables
        j = (Jointure("p", ("dossier", "dossier"), (("siren", "siren"),)),)
        for a, b in [(0.3, 0.30000000000000004), ("sCQoSD1hO", "sWuec2HkO"), (0.1, 0.10000000000000002)]:
            faits = [{"sorte": "dossier", "siren": v} for v in (a, b, a)]
            assert JointuresDurables(j).paires(faits) == paires_python(j, faits) == {"p": [(0, 2)]}
        print("ok")
        """
    fini = _fils(code)
    assert (fini.returncode, fini.stdout.strip()) == (0, "ok"), fini.stderr
