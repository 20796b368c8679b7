"""Les erreurs d'usage de la commande `guichet` : en français, sur une ligne, avec l'aide de la bonne sous-commande."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

RACINE = Path(__file__).resolve().parents[2]


def _guichet(tmp_path: Path, *args: str, env: dict | None = None, code: str | None = None):
    # A real process, as the user runs it; the data folder is a temporary one, whatever the command.
    environnement = {**os.environ, "GUICHET_DONNEES": str(tmp_path / "donnees"), **(env or {})}
    commande = [sys.executable, "-c", code] if code else [sys.executable, "-m", "api", *args]
    return subprocess.run(commande, capture_output=True, text=True, timeout=120, cwd=RACINE, env=environnement)


def _une_ligne_en_2(sortie: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in sortie.stderr + sortie.stdout
    assert sortie.returncode == 2, sortie.stderr
    lignes = sortie.stderr.strip().splitlines()
    assert len(lignes) == 1, sortie.stderr
    assert lignes[0].startswith("guichet : ")
    return lignes[0]


@pytest.mark.parametrize("args, attendu", [
    (("dossier", "corriger", "X"),
     "guichet : option obligatoire manquante : --justification (voir guichet dossier corriger --help)"),
    (("dossier", "revoir", "X", "1", "--justification", "j"),
     "guichet : --maintenir ou --retirer : l'un des deux, pas les deux ni aucun"),
    (("dossier", "revoir", "X", "1", "--maintenir", "--retirer", "--justification", "j"),
     "guichet : --maintenir ou --retirer : l'un des deux, pas les deux ni aucun"),
    (("dossier", "corriger", "X", "--justification", "j", "--bogus"),
     "guichet : option inconnue : --bogus (voir guichet dossier corriger --help)"),
    (("evaluate", "x.json", "--frmat", "json"),
     "guichet : option inconnue : --frmat ; vouliez-vous dire --format, --date ? (voir guichet evaluate --help)"),
    (("dossier", "corriger", "--justification", "j"),
     "guichet : argument manquant : REFERENCE (voir guichet dossier corriger --help)"),
    (("dossier", "liste", "--etat"), "guichet : l'option --etat attend une valeur (voir guichet dossier liste --help)"),
    (("dossier", "revoir", "X", "1", "--maintenir=oui", "--justification", "j"),
     "guichet : l'option --maintenir ne prend pas de valeur (voir guichet dossier revoir --help)"),
    (("dossier", "revoir", "X", "abc", "--maintenir", "--justification", "j"),
     "guichet : valeur invalide pour NUMERO : « abc » (un nombre entier est attendu) "
     "(voir guichet dossier revoir --help)"),
    (("evaluate", "a.json", "b.json"), "guichet : argument en trop : b.json (voir guichet evaluate --help)"),
    (("evaluate", "a.json", "b.json", "c.json"),
     "guichet : arguments en trop : b.json c.json (voir guichet evaluate --help)"),
    (("dossier", "corrigr"),
     "guichet : commande inconnue : corrigr ; vouliez-vous dire corriger ? (voir guichet dossier --help)"),
    (("inconnue",), "guichet : commande inconnue : inconnue (voir guichet --help)"),
    (("dossier", "--"), "guichet : commande manquante (voir guichet dossier --help)"),
])
def test_une_erreur_d_usage_est_dite_en_francais(tmp_path, args, attendu):
    assert _une_ligne_en_2(_guichet(tmp_path, *args)) == attendu


def test_une_valeur_avec_un_saut_de_ligne_reste_sur_une_ligne(tmp_path):
    ligne = _une_ligne_en_2(_guichet(tmp_path, "dossier", "revoir", "X", "1\n2", "--maintenir", "--justification", "j"))
    assert "valeur invalide pour NUMERO : « 1\\n2 »" in ligne


def test_une_erreur_d_usage_imprevue_est_dite_honnetement(tmp_path):
    # No command line produces it today: a future click message must still give one French line, exit 2.
    code = ("import sys; import api.cli.app as cli; from typer._click.exceptions import UsageError\n"
            "def app(**_): raise UsageError('Something new went wrong.')\n"
            "cli.app = app; cli.main()")
    ligne = _une_ligne_en_2(_guichet(tmp_path, code=code))
    assert ligne == "guichet : commande mal formée (Something new went wrong.) (voir guichet --help)"


def test_l_aide_nomme_guichet_meme_lancee_par_python_m_api(tmp_path):
    sortie = _guichet(tmp_path, "dossier", "corriger", "--help")
    assert sortie.returncode == 0 and "guichet dossier corriger" in sortie.stdout


def test_une_taille_maximale_illisible_est_refusee_sur_une_ligne(tmp_path):
    fichier = tmp_path / "d.json"
    fichier.write_text(json.dumps({"reference": "T-1"}), encoding="utf-8")
    sortie = _guichet(tmp_path, "evaluate", str(fichier), "--engine", "python", env={"GUICHET_TAILLE_MAX_MO": "abc"})
    ligne = _une_ligne_en_2(sortie)
    assert "GUICHET_TAILLE_MAX_MO" in ligne and "« abc »" in ligne


def test_une_taille_maximale_valide_s_applique_a_la_lecture(tmp_path):
    fichier = tmp_path / "d.json"
    fichier.write_text(json.dumps({"reference": "T-1", "projet": {"description": "x" * 2048}}), encoding="utf-8")
    sortie = _guichet(tmp_path, "evaluate", str(fichier), env={"GUICHET_TAILLE_MAX_MO": "0,001"})
    assert "trop volumineux" in _une_ligne_en_2(sortie) and "0,001 Mo au plus" in sortie.stderr


@pytest.mark.parametrize("valeur", ["abc", "0", "-5", "nan", "inf", "32 Mo"])
def test_chaque_taille_maximale_invalide_est_un_fichier_illisible(tmp_path, monkeypatch, valeur):
    from api.lecture import FichierIllisible, lire_dossiers

    fichier = tmp_path / "d.json"
    fichier.write_text("{}", encoding="utf-8")
    monkeypatch.setenv("GUICHET_TAILLE_MAX_MO", valeur)
    with pytest.raises(FichierIllisible, match=f"^GUICHET_TAILLE_MAX_MO : valeur invalide « {valeur} »"):
        lire_dossiers(fichier)


@pytest.mark.parametrize("valeur", ["", "  "])
def test_une_taille_maximale_vide_vaut_la_valeur_par_defaut(tmp_path, monkeypatch, valeur):
    from api.lecture import lire_dossiers

    fichier = tmp_path / "d.json"
    fichier.write_text("{}", encoding="utf-8")
    monkeypatch.setenv("GUICHET_TAILLE_MAX_MO", valeur)
    assert lire_dossiers(fichier) == [{}]
