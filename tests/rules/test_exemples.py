"""Chaque règle porte ses exemples ; chacun est un petit dossier et le résultat attendu."""
from datetime import date

import pytest

from forms.validation import valider_dossier
from instruction.faits import champs_du_formulaire, faits_du_dossier
from rules.base import BaseDeRegles
from rules.conditions import evaluer

BASE = BaseDeRegles.charger()
CAS = [(r, ex) for r in BASE.regles for ex in r.exemples]
JOUR_PAR_DEFAUT = date(2025, 6, 1)
ATTENDU = {"applicable": True, "non_applicable": False, "inconnu": None}


def test_chaque_regle_a_au_moins_un_exemple():
    sans = [r.id for r in BASE.regles if not r.exemples]
    assert sans == []


@pytest.mark.parametrize("regle, exemple", CAS, ids=[f"{r.id}:{ex.nom}" for r, ex in CAS])
def test_exemple_de_regle(regle, exemple, territoire):
    dossier, erreurs = valider_dossier({"reference": "EXEMPLE", **exemple.dossier})
    assert not erreurs, f"l'exemple n'est pas un dossier valide : {erreurs}"
    faits = faits_du_dossier(dossier, territoire, dossier.date_depot or JOUR_PAR_DEFAUT)
    trace = evaluer(regle.condition, faits)
    assert trace.resultat is ATTENDU[exemple.attendu], trace.tests
    if exemple.manquants is not None:
        manquants = {c for champ in trace.inconnus() for c in champs_du_formulaire(champ, faits)}
        assert manquants == set(exemple.manquants)
