"""Chaque fichier de règles cassé donne une erreur qui nomme le fichier, la règle et la faute."""
from pathlib import Path

import pytest
import yaml

from rules.chargement import DOSSIER_REGLES, charger_regles, lire_fichier
from rules.erreurs import ErreursRegles

FIXTURES = Path(__file__).parent / "fixtures"
CAS = sorted(FIXTURES.glob("*.yaml"))


def _attendu(chemin: Path) -> str:
    premiere = chemin.read_text(encoding="utf-8").splitlines()[0]
    assert premiere.startswith("# attendu: "), f"{chemin.name} doit dire son erreur attendue"
    return premiere.removeprefix("# attendu: ")


@pytest.mark.parametrize("chemin", CAS, ids=[c.stem for c in CAS])
def test_un_fichier_casse_donne_une_erreur_qui_le_nomme(chemin):
    _, erreurs = lire_fichier(chemin.name, chemin.read_text(encoding="utf-8"))
    erreurs_globales = []
    if not erreurs:  # duplicate ids are a whole-rulebase check
        with pytest.raises(ErreursRegles) as exc:
            charger_regles(_dossier_avec(chemin))
        erreurs_globales = exc.value.erreurs
    messages = [str(e) for e in erreurs + erreurs_globales]
    assert any(_attendu(chemin) in m for m in messages), messages


def _dossier_avec(chemin: Path) -> Path:
    import shutil
    import tempfile
    dossier = Path(tempfile.mkdtemp())
    shutil.copy(chemin, dossier / chemin.name)
    return dossier


def test_un_dossier_sans_regles_est_refuse(tmp_path):
    with pytest.raises(ErreursRegles, match="aucun fichier de règles"):
        charger_regles(tmp_path)


def test_la_base_livree_se_charge_sans_erreur_et_sans_perdre_une_regle(base):
    # Counted on the raw YAML, apart from the loader: one rule per entry of « regles », one per row of each
    # table. A loader that dropped a rule, or a table row, would load with fewer.
    attendu = 0
    for chemin in sorted(DOSSIER_REGLES.glob("*.yaml")):
        contenu = yaml.safe_load(chemin.read_text(encoding="utf-8"))
        attendu += len(contenu.get("regles") or []) + sum(len(t["lignes"]) for t in contenu.get("tables") or [])
    assert len(base.regles) == attendu
    assert sorted(base.textes) == sorted(c.name for c in DOSSIER_REGLES.glob("*.yaml"))


def test_une_interpretation_peut_dire_pourquoi_et_true_seul_reste_lu():
    texte = (FIXTURES / "interpretation_invalide.yaml").read_text(encoding="utf-8")
    [expliquee], erreurs = lire_fichier("interpretation_invalide.yaml", texte.replace(
        "interpretation: 1", "interpretation: >\n      La fenêtre est celle du contrat, pas du texte."))
    assert not erreurs and expliquee.interpretation
    assert expliquee.motif_interpretation == "La fenêtre est celle du contrat, pas du texte."
    [ancienne], erreurs = lire_fichier("interpretation_invalide.yaml", texte.replace("interpretation: 1",
                                                                                   "interpretation: true"))
    assert not erreurs and ancienne.interpretation and ancienne.motif_interpretation is None
