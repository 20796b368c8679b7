"""Les entrées hostiles et l'hygiène de la ligne de commande, dans un vrai sous-processus : fichiers sans fin,
tubes, dossiers, JSON imbriqué à l'infini, caractères de contrôle, messages anglais, Ctrl-C, tube fermé,
commandes de lecture qui écriraient, accords et avancement."""
import json
import os
import pty
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

RACINE = Path(__file__).resolve().parents[2]
EXEMPLES = json.loads((RACINE / "examples" / "dossiers.json").read_text(encoding="utf-8"))
ANGLAIS = ("Usage:", "Show this message", "Commands", "[required]", "[default:", "Expecting", "unexpected",
           "no such table", "file is not a database", "Connection refused", "Error", "Traceback")


def _environnement(dossier: Path, env: dict | None = None) -> dict:
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "GUICHET_TAILLE_MAX_MO")}
    # PYTHONPATH: this checkout's code, whatever copy the shared venv's editable install points to.
    return {**base, "PYTHONPATH": str(RACINE), "GUICHET_DONNEES": str(dossier / "donnees"),
            "GUICHET_AUTEUR": "Claire", **(env or {})}


def guichet(dossier: Path, *args: str, env: dict | None = None, timeout: float = 120,
            **options) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "api", *args], capture_output=True, text=True, timeout=timeout,
                          cwd=dossier, env=_environnement(dossier, env), **options)


def _une_ligne(sortie: subprocess.CompletedProcess, code: int = 2) -> str:
    assert sortie.returncode == code, sortie.stderr
    lignes = sortie.stderr.strip().splitlines()
    assert len(lignes) == 1, sortie.stderr
    assert not any(mot in lignes[0] for mot in ANGLAIS), lignes[0]
    return lignes[0]


def _ecrire(chemin: Path, contenu) -> Path:
    chemin.write_text(contenu if isinstance(contenu, str) else json.dumps(contenu), encoding="utf-8")
    return chemin


# 1. Control characters ------------------------------------------------------------------------------------

def test_un_caractere_nul_dans_un_texte_est_refuse_en_nommant_le_champ(tmp_path):
    fichier = _ecrire(tmp_path / "d.json", [{**EXEMPLES[0], "reference": "A\u0000B"}, EXEMPLES[1]])
    sortie = guichet(tmp_path, "evaluate", str(fichier), "--engine", "python")
    assert sortie.returncode == 3, sortie.stderr
    invalide, valide = json.loads(sortie.stdout)
    assert invalide["erreurs"] == [{"champ": "reference", "message": "caractère de contrôle interdit (U+0000, "
                                    "caractère nul, position 2) : ce champ tient sur une ligne, retirez-le"}]
    assert "avis" in valide


def test_un_dossier_au_caractere_nul_n_arrete_pas_l_import_d_un_comite(tmp_path):
    assert guichet(tmp_path, "db", "upgrade").returncode == 0
    assert guichet(tmp_path, "comite", "creer", "--date", "2025-12-11", "--code", "ct").returncode == 0
    liste = [{**EXEMPLES[0], "projet": {**EXEMPLES[0]["projet"], "description": "abri\u0000vélos"}},
             {**EXEMPLES[1], "reference": "X\u202e-1"}, EXEMPLES[2]]
    sortie = guichet(tmp_path, "comite", "importer", "ct", str(_ecrire(tmp_path / "l.json", liste)))
    assert sortie.returncode == 3, sortie.stderr
    assert "1 dossier importé et inscrit au comité « ct »" in sortie.stdout
    assert "projet.description : caractère de contrôle interdit (U+0000" in sortie.stderr
    assert "(X\\u202e-1) écartée : reference : caractère invisible interdit (U+202E" in sortie.stderr
    assert "\u202e" not in sortie.stderr and "\x00" not in sortie.stderr
    assert sortie.stderr.strip().splitlines()[-1] == "guichet : 2 dossiers invalides sur 3"


# 2. Lengths -------------------------------------------------------------------------------------------------

def test_une_reference_de_5000_caracteres_est_refusee(tmp_path):
    fichier = _ecrire(tmp_path / "d.json", {**EXEMPLES[0], "reference": "R" * 5000})
    sortie = guichet(tmp_path, "evaluate", str(fichier), "--engine", "python")
    assert sortie.returncode == 3
    assert json.loads(sortie.stdout)[0]["erreurs"] == [
        {"champ": "reference", "message": "trop long : 64 caractères au plus (5\u202f000 reçus)"}]


# 3. Files that never end, pipes, folders ---------------------------------------------------------------------

def test_dev_zero_est_refuse_vite_sans_tout_lire(tmp_path):
    debut = time.monotonic()
    sortie = guichet(tmp_path, "evaluate", "/dev/zero", env={"GUICHET_TAILLE_MAX_MO": "1"}, timeout=60)
    assert time.monotonic() - debut < 30
    assert _une_ligne(sortie) == ("guichet : /dev/zero : fichier trop volumineux (plus de 1 Mo ; 1 Mo au plus) : "
                                  "découpez-le en plusieurs fichiers")


def test_un_tube_est_lu_jusqu_a_la_limite_seulement(tmp_path):
    tube = tmp_path / "tube.json"
    os.mkfifo(tube)
    processus = subprocess.Popen([sys.executable, "-m", "api", "evaluate", str(tube)], cwd=tmp_path,
                                 env=_environnement(tmp_path, {"GUICHET_TAILLE_MAX_MO": "0,5"}),
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def remplir():
        # An endless writer: the reader must stop at the limit, and the writer then gets a closed pipe.
        try:
            with open(tube, "wb") as f:
                while True:
                    f.write(b" " * 65536)
        except (BrokenPipeError, OSError):
            pass

    ecrivain = threading.Thread(target=remplir, daemon=True)
    ecrivain.start()
    _, erreur = processus.communicate(timeout=60)
    assert processus.returncode == 2
    assert "fichier trop volumineux (plus de 0,5 Mo ; 0,5 Mo au plus)" in erreur


def test_un_tube_ordinaire_est_lu(tmp_path):
    tube = tmp_path / "tube.json"
    os.mkfifo(tube)
    threading.Thread(target=lambda: tube.write_text(json.dumps(EXEMPLES[0])), daemon=True).start()
    sortie = guichet(tmp_path, "evaluate", str(tube), "--engine", "python", timeout=60)
    assert sortie.returncode == 0, sortie.stderr
    assert json.loads(sortie.stdout)[0]["reference"] == EXEMPLES[0]["reference"]


def test_un_dossier_est_refuse(tmp_path):
    assert "c'est un dossier, pas un fichier" in _une_ligne(guichet(tmp_path, "evaluate", str(tmp_path)))


def test_la_taille_d_un_fichier_trop_gros_s_ecrit_a_la_francaise(tmp_path):
    fichier = _ecrire(tmp_path / "d.json", {**EXEMPLES[0], "projet": {"description": "x" * 800_000}})
    ligne = _une_ligne(guichet(tmp_path, "evaluate", str(fichier), env={"GUICHET_TAILLE_MAX_MO": "0,5"}))
    assert "fichier trop volumineux (0,76 Mo ; 0,5 Mo au plus)" in ligne


# 4. Deep nesting --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("nom, contenu", [
    ("profond.json", "[" * 100_000 + "]" * 100_000),
    ("profond.jsonl", json.dumps(EXEMPLES[0]) + "\n" + "[" * 100_000 + "]" * 100_000 + "\n"),
    ("objets.json", '{"a":' * 50_000 + "1" + "}" * 50_000),
])
def test_un_json_imbrique_a_l_infini_est_refuse_clairement(tmp_path, nom, contenu):
    ligne = _une_ligne(guichet(tmp_path, "evaluate", str(_ecrire(tmp_path / nom, contenu))))
    assert "JSON trop imbriqué (plus de 1\u202f024 niveaux de [ ou de { ; un dossier en compte quatre)" in ligne
    assert "recursion" not in ligne


def test_lire_json_refuse_l_imbrication_pour_toutes_les_entrees():
    from api.lecture import JsonIllisible, lire_json
    with pytest.raises(JsonIllisible, match="JSON trop imbriqué"):
        lire_json("[" * 5000 + "]" * 5000)
    assert lire_json('{"a": [1, {"b": null}]}') == {"a": [1, {"b": None}]}


# 6. No English ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("contenu, attendu", [
    ("x", "JSON invalide ligne 1, colonne 1 : valeur attendue"),
    ('{"a":}', "JSON invalide ligne 1, colonne 6 : valeur attendue"),
    ('{\n"a" 1}', "JSON invalide ligne 2, colonne 5 : deux-points (:) attendu après le nom du champ"),
    ("[1 2]", "JSON invalide ligne 1, colonne 4 : virgule attendue entre deux éléments"),
    ("{'a': 1}", 'JSON invalide ligne 1, colonne 2 : nom de champ attendu, entre guillemets droits (")'),
    ('"abc', "JSON invalide ligne 1, colonne 1 : texte non terminé : guillemet fermant manquant"),
])
def test_les_erreurs_json_sont_en_francais(tmp_path, contenu, attendu):
    ligne = _une_ligne(guichet(tmp_path, "evaluate", str(_ecrire(tmp_path / "d.json", contenu))))
    assert ligne.endswith(attendu)


def test_une_ligne_json_lines_cassee_est_dite_en_francais(tmp_path):
    fichier = _ecrire(tmp_path / "d.jsonl", json.dumps(EXEMPLES[0]) + '\n{"a" 1}\n[1,]\n')
    sortie = guichet(tmp_path, "evaluate", str(fichier), "--engine", "python")
    erreurs = [e["erreurs"][0] for e in json.loads(sortie.stdout) if "erreurs" in e]
    assert erreurs == [
        {"champ": "ligne 2", "message": "JSON invalide colonne 6 : deux-points (:) attendu après le nom du champ"},
        {"champ": "ligne 3", "message": "JSON invalide colonne 3 : virgule en trop avant la fin"}]


@pytest.mark.parametrize("args", [("--help",), ("evaluate", "--help"), ("dossier", "--help"),
                                  ("comite", "importer", "--help")])
def test_l_aide_est_en_francais(tmp_path, args):
    sortie = guichet(tmp_path, *args, env={"COLUMNS": "200"})
    assert sortie.returncode == 0
    assert "Utilisation : guichet" in sortie.stdout and "Affiche cette aide." in sortie.stdout
    assert not [mot for mot in ANGLAIS if mot in sortie.stdout], sortie.stdout


def test_l_aide_d_un_groupe_dit_commandes(tmp_path):
    sortie = guichet(tmp_path, "--help", env={"COLUMNS": "200"})
    assert "COMMANDE [ARGUMENTS]..." in sortie.stdout and "Commandes" in sortie.stdout


def test_un_fichier_qui_n_est_pas_une_base_est_dit_en_francais(tmp_path):
    _ecrire(tmp_path / "f.sqlite", "pas une base")
    ligne = _une_ligne(guichet(tmp_path, "dossier", "liste", env={"DATABASE_URL": "sqlite:///f.sqlite"}))
    assert ligne.endswith(": ce fichier n'est pas une base SQLite")


def test_une_base_sans_schema_est_dite_en_francais(tmp_path):
    (tmp_path / "vide.sqlite").touch()  # an empty file is an empty SQLite base
    ligne = _une_ligne(guichet(tmp_path, "dossier", "liste", env={"DATABASE_URL": "sqlite:///vide.sqlite"}))
    assert "n'a pas le schéma attendu (table absente : " in ligne and "lancez « guichet db upgrade »" in ligne


def test_un_serveur_qui_refuse_la_connexion_est_dit_en_francais(tmp_path):
    ligne = _une_ligne(guichet(tmp_path, "dossier", "liste",
                               env={"DATABASE_URL": "postgresql://guichet:secret@127.0.0.1:1/guichet"}))
    assert "connexion refusée (le serveur est-il démarré ?)" in ligne and "secret" not in ligne


# 7. Ctrl-C and closed pipes ---------------------------------------------------------------------------------

def _lot(tmp_path: Path, nombre: int) -> Path:
    return _ecrire(tmp_path / "lot.json", [{**EXEMPLES[i % len(EXEMPLES)], "reference": f"L-{i}"}
                                           for i in range(nombre)])


def test_ctrl_c_referme_le_tableau_json_et_sort_en_130(tmp_path):
    lot, sortie = _lot(tmp_path, 3000), tmp_path / "sortie.json"
    with sortie.open("wb") as fichier:
        processus = subprocess.Popen([sys.executable, "-m", "api", "evaluate", str(lot), "--engine", "python"],
                                     cwd=tmp_path, env=_environnement(tmp_path), stdout=fichier,
                                     stderr=subprocess.PIPE, start_new_session=True,
                                     # A test runner may ignore SIGINT: the command gets it as from a terminal.
                                     preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        limite = time.monotonic() + 60
        while sortie.stat().st_size < 50_000 and time.monotonic() < limite:
            time.sleep(0.05)  # until evaluations are being written
        processus.send_signal(signal.SIGINT)
        _, erreur = processus.communicate(timeout=60)
    assert processus.returncode == 130
    assert erreur.decode().strip() == "guichet : interrompu"
    evaluations = json.loads(sortie.read_bytes())  # still a JSON array: closed after the last one written
    assert 0 < len(evaluations) < 3000 and evaluations[0]["reference"] == "L-0"


@pytest.mark.parametrize("args", [("evaluate", "{lot}", "--engine", "python"), ("--help",), ("rules", "export")])
def test_un_lecteur_qui_part_fait_sortir_en_silence(tmp_path, args):
    lot = _lot(tmp_path, 300)
    commande = [sys.executable, "-m", "api", *(a.format(lot=lot) for a in args)]
    processus = subprocess.Popen(commande, cwd=tmp_path, env=_environnement(tmp_path), stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE)
    processus.stdout.read(10)
    processus.stdout.close()  # what `| head -c 10` does
    erreur = processus.stderr.read()
    assert processus.wait(timeout=60) == 141
    assert erreur == b""


# 9. Read-only commands write nothing -------------------------------------------------------------------------

@pytest.mark.parametrize("args", [("dossier", "liste"), ("dossier", "voir", "LA-1"), ("comite", "liste"),
                                  ("demo",)])
def test_sans_base_une_commande_le_dit_et_ne_cree_rien(tmp_path, args):
    avant = set(tmp_path.iterdir())
    ligne = _une_ligne(guichet(tmp_path, *args))
    assert ligne.startswith("guichet : base absente : lancez « guichet db upgrade »")
    assert set(tmp_path.iterdir()) == avant


@pytest.mark.parametrize("url", ["sqlite:///:memory:", "sqlite://"])
@pytest.mark.parametrize("args", [("db", "upgrade"), ("dossier", "liste")])
def test_une_base_en_memoire_est_refusee(tmp_path, url, args):
    ligne = _une_ligne(guichet(tmp_path, *args, env={"DATABASE_URL": url}))
    assert "base en mémoire refusée" in ligne and "None" not in ligne


# 10. Counts, amounts, names ----------------------------------------------------------------------------------

def test_un_seul_dossier_s_accorde_au_singulier(tmp_path):
    fichier = _ecrire(tmp_path / "un.json", [{**EXEMPLES[0], "date_depot": "2025-03-10"}])
    sortie = guichet(tmp_path, "comite", "evaluate", str(fichier), "--output", "r.csv")
    assert sortie.returncode == 0, sortie.stderr
    assert sortie.stdout.strip() == "Rapport du comité écrit dans r.csv (1 dossier évalué)"


def test_la_liste_coupe_les_noms_entre_deux_mots(tmp_path):
    assert guichet(tmp_path, "db", "upgrade").returncode == 0
    nom = "Communauté d'agglomération de Béthune-Bruay, Artois Lys Romane"
    dossier = {**EXEMPLES[0], "porteur": {**EXEMPLES[0]["porteur"], "nom": nom}}
    assert guichet(tmp_path, "dossier", "deposer", str(_ecrire(tmp_path / "d.json", dossier))).returncode == 0
    sortie = guichet(tmp_path, "dossier", "liste")
    assert "Communauté d'agglomération…" in sortie.stdout and "Communauté d'agglomération de Bé " not in sortie.stdout
    assert sortie.stdout.strip().splitlines()[-1] == "1 dossier"


# 11. Progress -------------------------------------------------------------------------------------------------

def test_hors_terminal_aucune_ligne_d_avancement(tmp_path):
    sortie = guichet(tmp_path, "comite", "evaluate", str(_ecrire(tmp_path / "l.json", EXEMPLES)),
                     "--output", "r.csv", "--date", "2026-01-15")
    assert sortie.stderr.count("\n") <= sum(1 for _ in EXEMPLES) + 1  # only the refusals, if any
    assert "Évaluation :" not in sortie.stderr and "Lecture :" not in sortie.stderr


def _sur_un_terminal(tmp_path: Path, *args: str) -> tuple[int, str]:
    """Lance la commande, sa sortie d'erreur sur un pseudo-terminal ; rend (code, ce que le terminal a reçu)."""
    maitre, esclave = pty.openpty()
    processus = subprocess.Popen([sys.executable, "-m", "api", *args], cwd=tmp_path, env=_environnement(tmp_path),
                                 stdout=subprocess.PIPE, stderr=esclave)
    os.close(esclave)
    recu = b""
    while True:
        try:
            morceau = os.read(maitre, 65536)
        except OSError:  # EIO: the process closed the terminal
            break
        if not morceau:
            break
        recu += morceau
    os.close(maitre)
    processus.communicate(timeout=300)
    return processus.returncode, recu.decode("utf-8", "replace")


def test_au_terminal_l_avancement_et_la_mise_en_page_du_pdf_se_voient(tmp_path):
    code, terminal = _sur_un_terminal(tmp_path, "comite", "evaluate", str(_ecrire(tmp_path / "l.json", EXEMPLES)),
                                      "--output", "r.pdf", "--date", "2026-01-15")
    assert code in (0, 3), terminal
    assert "Évaluation : 37/37 (100 %)" in terminal
    assert "Mise en page du PDF… terminée (" in terminal and " pages, " in terminal
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert not list(tmp_path.glob(".r.*"))  # written under a temporary name, then renamed
