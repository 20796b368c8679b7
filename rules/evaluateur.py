"""L'évaluateur Python : les règles compilées en une fonction, en logique à trois valeurs.

Chaque test distinct est calculé une fois (vrai = 2, inconnu = 1, faux = 0) ; « toutes »
est un min, « au moins une » un max, « aucune » 2 - max. Le code est généré une fois par
jeu de règles en vigueur, puis appelé pour chaque dossier.
"""
from typing import Any, Callable, Optional, Sequence

from rules.conditions import Combinaison, Noeud, Test
from rules.regle import Regle

DECODE: tuple[Optional[bool], ...] = (False, None, True)

_GABARITS = {
    "est": "2 if {v} == {k} else 0",
    "different_de": "0 if {v} == {k} else 2",
    "parmi": "2 if {v} in {k} else 0",
    "hors_de": "0 if {v} in {k} else 2",
    "contient": "2 if {k} in {v} else 0",
    "contient_un_de": "0 if {k}.isdisjoint({v}) else 2",
    "ne_contient_aucun": "2 if {k}.isdisjoint({v}) else 0",
    "min": "2 if {v} >= {k} else 0",
    "max": "2 if {v} <= {k} else 0",
    "sup": "2 if {v} > {k} else 0",
    "inf": "2 if {v} < {k} else 0",
}


class _Generateur:
    def __init__(self) -> None:
        self.variables: dict[str, str] = {}
        self.constantes: dict[str, Any] = {}
        self.tests: dict[Test, str] = {}
        self.lignes: list[str] = []

    def variable(self, champ: str) -> str:
        if champ not in self.variables:
            nom = f"c{len(self.variables)}"
            self.variables[champ] = nom
            self.lignes.append(f"    {nom} = f.get({champ!r})")
        return self.variables[champ]

    def constante(self, valeur: Any) -> str:
        nom = f"K{len(self.constantes)}"
        self.constantes[nom] = valeur
        return nom

    def test(self, t: Test) -> str:
        if t not in self.tests:
            v = self.variable(t.champ)
            nom = f"t{len(self.tests)}"
            if t.operateur == "renseigne":
                expr = f"2 if ({v} is not None) == {t.valeur!r} else 0"
            else:
                expr = f"1 if {v} is None else ({_GABARITS[t.operateur].format(v=v, k=self.constante(t.valeur))})"
            self.tests[t] = nom
            self.lignes.append(f"    {nom} = {expr}")
        return self.tests[t]

    def expression(self, n: Noeud) -> str:
        if isinstance(n, Test):
            return self.test(n)
        parts = [self.expression(e) for e in n.enfants]
        if len(parts) == 1:
            inner = parts[0]
            return inner if n.genre != "aucune" else f"(2 - {inner})"
        liste = ", ".join(parts)
        if n.genre == "toutes":
            return f"min({liste})"
        if n.genre == "au_moins_une":
            return f"max({liste})"
        return f"(2 - max({liste}))"


def compiler(regles: Sequence[Regle]) -> Callable[[dict[str, Any]], tuple[int, ...]]:
    """Une fonction faits -> tuple d'entiers (0 faux, 1 inconnu, 2 vrai), un par règle, dans l'ordre."""
    gen = _Generateur()
    resultats = [gen.expression(r.condition) for r in regles]
    corps = "\n".join(gen.lignes) or "    pass"
    source = f"def _evaluer(f):\n{corps}\n    return ({', '.join(resultats)}{',' if len(resultats) == 1 else ''})\n"
    espace: dict[str, Any] = dict(gen.constantes)
    exec(compile(source, "<règles compilées>", "exec"), espace)  # noqa: S102 - code we generated
    fonction = espace["_evaluer"]
    fonction.source = source
    return fonction
