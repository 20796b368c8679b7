"""Ce que la seconde lecture des textes exige de toute la base : chaque interprétation dit pourquoi,
chaque seuil a un exemple à la limite, et le README tient la liste des interprétations à jour."""
import re
from pathlib import Path

import pytest

from forms.validation import valider_dossier
from instruction.evaluation.exemples import JOUR_PAR_DEFAUT
from instruction.evaluation.faits import faits_du_dossier
from rules.base import BaseDeRegles

RACINE = Path(__file__).resolve().parents[2]
BASE = BaseDeRegles.charger()
ORDRES = ("min", "max", "sup", "inf")


def _seuils(regle):
    return [t for t in regle.condition.feuilles() if t.operateur in ORDRES]


@pytest.mark.parametrize("regle", [r for r in BASE.regles if r.interpretation], ids=lambda r: r.id)
def test_chaque_interpretation_dit_pourquoi_elle_en_est_une(regle):
    assert regle.motif_interpretation and len(regle.motif_interpretation.split()) >= 8, (
        f"{regle.fichier}: {regle.id} : « interpretation » doit expliquer la lecture, pas seulement valoir true")


@pytest.mark.parametrize("regle", [r for r in BASE.regles if _seuils(r)], ids=lambda r: r.id)
def test_chaque_seuil_a_un_exemple_exactement_a_la_limite(regle, territoire):
    valeurs: dict[str, list] = {}
    for exemple in regle.exemples:
        dossier, _ = valider_dossier({"reference": "EXEMPLE", **exemple.dossier})
        faits = faits_du_dossier(dossier, territoire, dossier.date_depot or JOUR_PAR_DEFAUT)
        for champ in {t.champ for t in _seuils(regle)}:
            valeurs.setdefault(champ, []).append(faits.get(champ))
    for test in _seuils(regle):
        assert test.valeur in valeurs.get(test.champ, []), (
            f"{regle.fichier}: {regle.id} : aucun exemple avec {test.champ} = {test.valeur} "
            f"(la limite de « {test.operateur} »)")


def test_le_readme_liste_exactement_les_interpretations_de_la_base():
    readme = (RACINE / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Interprétations et limites connues", 1)[1].split("\n## ", 1)[0]
    citees = set(re.findall(r"`([a-z0-9_]+(?:\.[a-z0-9_]+)+)`", section))
    interpretations = {r.id for r in BASE.regles if r.interpretation}
    assert f"{len(interpretations)} des {len(BASE.regles)} règles sont des interprétations" in section
    assert not interpretations - citees, f"interprétations absentes du README : {sorted(interpretations - citees)}"
    en_trop = (citees & {r.id for r in BASE.regles}) - interpretations
    assert not en_trop, f"règles citées comme interprétations qui n'en sont pas : {sorted(en_trop)}"
