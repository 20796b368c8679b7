"""Chaque règle porte ses exemples ; chacun est un petit dossier et le résultat attendu."""
from dataclasses import replace

import pytest

from instruction.evaluation.exemples import jouer, verifier_exemples
from rules.base import BaseDeRegles

BASE = BaseDeRegles.charger()
CAS = [(r, ex) for r in BASE.regles for ex in r.exemples]


def test_chaque_regle_a_au_moins_un_exemple():
    assert [r.id for r in BASE.regles if not r.exemples] == []


@pytest.mark.parametrize("regle, exemple", CAS, ids=[f"{r.id}:{ex.nom}" for r, ex in CAS])
def test_exemple_de_regle(regle, exemple, territoire):
    assert jouer(regle, exemple, territoire).probleme(exemple) is None


def test_un_exemple_faux_est_signale_avec_sa_regle(territoire):
    regle = next(r for r in BASE.regles if r.id == "region.exclusion.adrt")
    faux = replace(regle.exemples[0], attendu="non_applicable")
    problemes = verifier_exemples([replace(regle, exemples=(faux,))], territoire)
    assert problemes == ["region.yaml: règle region.exclusion.adrt : exemple « porteur ADRT » : "
                         "attendu non_applicable, obtenu applicable"]
