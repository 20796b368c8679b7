"""Guichet fusionne le verdict d'un moteur à deux valeurs (durable-rules) avec l'évaluateur Python à trois
valeurs : il compte chaque dossier où les deux diffèrent, et chaque dossier que le moteur refuse, sans en
perdre un. Le moteur est ici le modèle pur Python de durable-rules (tests/unit/cas_durable.py) : ces tests
tournent aussi là où durable-rules ne s'importe pas, et ne dépendent d'aucun tirage."""
from datetime import date
from types import SimpleNamespace

import pytest

from instruction.evaluation import guichet as module_guichet
from instruction.evaluation.guichet import Guichet
from rules.durable.erreurs import ErreurMoteurDurable, MoteurDurableIndisponible
from rules.evaluateur import DECODE, compiler
from tests.unit.cas_durable import declenchees_modele

JOUR = date(2025, 6, 1)  # one date for the whole lot: one rules version, hence one batch


class MoteurModele:
    """Ce que rules.durable.MoteurDurable rend, calculé par le modèle pur du moteur."""
    lots: list[int] = []

    def __init__(self, regles):
        self.regles = regles

    def declenchees(self, lot):
        MoteurModele.lots.append(len(lot))
        return declenchees_modele(self.regles, lot)


def _brancher(monkeypatch, moteur=MoteurModele) -> None:
    MoteurModele.lots = []
    faux = SimpleNamespace(disponible=lambda: True, MoteurDurable=moteur, ErreurMoteurDurable=ErreurMoteurDurable,
                           MoteurDurableIndisponible=MoteurDurableIndisponible)
    monkeypatch.setattr(module_guichet, "_charger_durable", lambda: faux)


def test_un_moteur_fidele_ne_fait_ni_desaccord_ni_repli(base, territoire, guichet_python, exemples, monkeypatch):
    _brancher(monkeypatch)
    guichet = Guichet(base, territoire, moteur="durable")
    assert guichet.moteur == "durable"
    assert [e.en_json() for e in guichet.evaluer_lot(exemples, JOUR)] == [
        e.en_json() for e in guichet_python.evaluer_lot(exemples, JOUR)]
    assert MoteurModele.lots == [len(exemples)]  # judged by the engine, in one batch
    assert (guichet.desaccords, guichet.replis_python) == (0, 0)


def test_chaque_dossier_en_desaccord_est_compte_une_fois_et_le_verdict_du_moteur_est_rendu(
        base, territoire, guichet_python, exemples, monkeypatch):
    ajoutees = {}

    class MoteurEnDesaccord(MoteurModele):
        def declenchees(self, lot):
            feux = super().declenchees(lot)
            python = compiler(self.regles)(lot[3])
            fausses = [i for i, x in enumerate(python) if DECODE[x] is False]
            ajoutees[3] = fausses[:2]  # two rules wrongly fired for one dossier: still one disagreement
            return [frozenset() if n == 1 else feu | set(ajoutees[3]) if n == 3 else feu
                    for n, feu in enumerate(feux)]

    _brancher(monkeypatch, MoteurEnDesaccord)
    guichet = Guichet(base, territoire, moteur="durable")
    sorties = [e.en_json() for e in guichet.evaluer_lot(exemples, JOUR)]
    attendues = [e.en_json() for e in guichet_python.evaluer_lot(exemples, JOUR)]
    assert (guichet.desaccords, guichet.replis_python) == (2, 0)
    assert [n for n, (s, a) in enumerate(zip(sorties, attendues)) if s != a] == [1, 3]
    assert attendues[1]["constats"] and sorties[1]["constats"] == []  # nothing fired: no finding
    regles = guichet.base.en_vigueur(JOUR).regles
    ajoutes = {c["regle"] for c in sorties[3]["constats"]} - {c["regle"] for c in attendues[3]["constats"]}
    assert ajoutes <= {regles[i].id for i in ajoutees[3]} and ajoutes
    list(guichet.evaluer_lot(exemples, JOUR))
    assert guichet.desaccords == 4  # the counter adds up over calls


def test_un_lot_refuse_par_le_moteur_est_juge_par_python_et_compte_a_sa_taille(
        base, territoire, guichet_python, exemples, monkeypatch):
    class MoteurQuiRefuseLeDeuxiemeLot(MoteurModele):
        def declenchees(self, lot):
            if len(MoteurModele.lots) == 1:
                MoteurModele.lots.append(len(lot))
                raise ErreurMoteurDurable("valeur non transmissible")
            return super().declenchees(lot)

    _brancher(monkeypatch, MoteurQuiRefuseLeDeuxiemeLot)
    guichet = Guichet(base, territoire, moteur="durable")
    lot = [*exemples[:7], {"reference": "CASSE", "projet": {"nature": "fete"}}]  # an invalid one is no fact
    assert list(guichet.evaluer_lot(lot, JOUR, taille=5)) == list(guichet_python.evaluer_lot(lot, JOUR, taille=5))
    assert MoteurModele.lots == [5, 2]  # batches of 5 entries; the invalid one is not sent
    assert (guichet.replis_python, guichet.desaccords) == (2, 0)


@pytest.mark.parametrize("moteur, attendu", [("auto", "python"), ("python", "python")])
def test_sans_durable_rules_auto_choisit_python_et_durable_est_refuse(base, territoire, monkeypatch, moteur,
                                                                        attendu):
    absent = SimpleNamespace(disponible=lambda: False, MoteurDurableIndisponible=MoteurDurableIndisponible)
    monkeypatch.setattr(module_guichet, "_charger_durable", lambda: absent)
    assert Guichet(base, territoire, moteur=moteur).moteur == attendu
    with pytest.raises(MoteurDurableIndisponible):
        Guichet(base, territoire, moteur="durable")
