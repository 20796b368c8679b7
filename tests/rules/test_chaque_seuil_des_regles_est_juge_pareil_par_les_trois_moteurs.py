"""Chaque comparaison des vrais fichiers de règles (min, max, sup, inf ; est, different_de, parmi,
hors_de sur un nombre ou une date) est jugée à son seuil, juste en dessous et juste au-dessus (± 0,01
pour un nombre, ± 1 jour pour une date), seule et niée (sous « aucune »), et sur une valeur inconnue :
l'arbre (rules.conditions.evaluer), l'évaluateur compilé (rules.evaluateur.compiler) et durable-rules
(là où il s'importe) rendent ce que l'opérateur veut dire, calculé ici à part (en décimal, en jours)."""
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Iterator, Optional

import pytest
import yaml

from rules import durable
from rules.base import BaseDeRegles
from rules.champs import CHAMPS
from rules.chargement import DOSSIER_REGLES
from rules.conditions import Combinaison, evaluer
from rules.evaluateur import DECODE, compiler

BASE = BaseDeRegles.charger()
COMPARAISONS = ("min", "max", "sup", "inf", "est", "different_de", "parmi", "hors_de")
FEUILLES = [(regle, k, t) for regle in BASE.regles for k, t in enumerate(regle.condition.feuilles())
            if t.operateur in COMPARAISONS and CHAMPS[t.champ].nature in ("nombre", "date")]
IDS = [f"{r.id}#{k} {t.champ} {t.operateur} {t.valeur}" for r, k, t in FEUILLES]


def _exact(v: Any) -> Any:
    """La valeur comparée sans flottant : un décimal (exact pour un double) ou un numéro de jour."""
    return v.toordinal() if isinstance(v, date) else Decimal(v)


_SENS = {
    "min": lambda v, k: v >= k, "max": lambda v, k: v <= k, "sup": lambda v, k: v > k, "inf": lambda v, k: v < k,
    "est": lambda v, k: v == k, "different_de": lambda v, k: v != k,
    "parmi": lambda v, ks: any(v == k for k in ks), "hors_de": lambda v, ks: all(v != k for k in ks),
}


def sens(operateur: str, valeur: Any, constante: Any) -> Optional[bool]:
    if valeur is None:
        return None  # an unknown value makes the test unknown
    k = [_exact(c) for c in constante] if isinstance(constante, frozenset) else _exact(constante)
    return _SENS[operateur](_exact(valeur), k)


def valeurs_autour(constante: Any) -> list[Any]:
    """Le seuil (un nombre aussi en flottant), juste en dessous, juste au-dessus, et l'inconnu."""
    seuils = sorted(constante) if isinstance(constante, frozenset) else [constante]
    valeurs: list[Any] = []
    for s in seuils:
        if isinstance(s, date):
            valeurs += [s - timedelta(days=1), s, s + timedelta(days=1)]
        else:
            valeurs += [s - 0.01, s, float(s), s + 0.01]
    return [*valeurs, None]


def cas(regle, k, feuille):
    """Deux règles (la feuille, puis « aucune » de la feuille), des faits, et ce que chacune doit valoir."""
    regles = [replace(regle, id=f"{regle.id}#{k}", condition=feuille),
              replace(regle, id=f"{regle.id}#{k}.niee", condition=Combinaison("aucune", (feuille,)))]
    valeurs = valeurs_autour(feuille.valeur)
    attendus = []
    for v in valeurs:
        r = sens(feuille.operateur, v, feuille.valeur)
        attendus.append([r, None if r is None else not r])
    return regles, [{feuille.champ: v} for v in valeurs], attendus


def _seuils_ecrits(si: Any) -> Iterator[str]:
    """Les comparaisons sur un nombre ou une date, telles qu'écrites dans le YAML (sans le chargeur)."""
    if isinstance(si, list):
        for element in si:
            yield from _seuils_ecrits(element)
    elif isinstance(si, dict):
        for cle, valeur in si.items():
            if cle in ("toutes", "au_moins_une", "aucune"):
                yield from _seuils_ecrits(valeur)
            elif cle in CHAMPS and CHAMPS[cle].nature in ("nombre", "date"):
                operateur = next(iter(valeur)) if isinstance(valeur, dict) else "est"
                if operateur in COMPARAISONS:
                    yield operateur


def test_chaque_seuil_ecrit_dans_les_fichiers_est_juge():
    # Counted on the raw files: each rule's written comparisons, a table's once per row. None is left
    # out of the parametrised tests below, and there are thresholds of each kind to judge.
    ecrits: list[str] = []
    for chemin in sorted(DOSSIER_REGLES.glob("*.yaml")):
        contenu = yaml.safe_load(chemin.read_text(encoding="utf-8"))
        for regle in contenu.get("regles") or []:
            ecrits += _seuils_ecrits(regle["si"])
        for table in contenu.get("tables") or []:
            ecrits += list(_seuils_ecrits(table["si"])) * len(table["lignes"])
    assert sorted(t.operateur for _, _, t in FEUILLES) == sorted(ecrits)
    assert {t.operateur for _, _, t in FEUILLES} >= {"min", "sup", "inf"}
    assert {CHAMPS[t.champ].nature for _, _, t in FEUILLES} == {"nombre", "date"}


@pytest.mark.parametrize("regle, k, feuille", FEUILLES, ids=IDS)
def test_l_arbre_et_l_evaluateur_compile_jugent_le_seuil_selon_son_sens(regle, k, feuille):
    regles, lot, attendus = cas(regle, k, feuille)
    fonction = compiler(regles)
    for faits, attendu in zip(lot, attendus):
        assert [evaluer(r.condition, faits).resultat for r in regles] == attendu, faits
        assert [DECODE[x] for x in fonction(faits)] == attendu, faits


@pytest.mark.skipif(not durable.disponible(), reason="durable-rules ne s'importe pas ici (Python 3.13 ?)")
@pytest.mark.parametrize("regle, k, feuille", FEUILLES, ids=IDS)
def test_durable_rules_juge_le_seuil_selon_son_sens(regle, k, feuille):
    regles, lot, attendus = cas(regle, k, feuille)
    # Two-valued: a rule fires if and only if it is true; false and unknown both leave it unfired.
    assert durable.MoteurDurable(regles).declenchees(lot) == [
        frozenset(i for i, r in enumerate(attendu) if r is True) for attendu in attendus]
