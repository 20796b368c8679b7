"""L'évaluateur Python : les règles compilées en une fonction, en logique à trois valeurs.

Chaque test distinct est calculé une fois (vrai = 3, inconnu = 1, faux = 0). Avec ce codage,
la logique de Kleene devient du calcul binaire : « toutes » est un ET bit à bit, « au moins
une » un OU, « aucune » la négation d'un OU (table NEG). Le code est généré une fois par jeu
de règles en vigueur, puis appelé pour chaque dossier.
"""
from typing import Any, Callable, Optional, Sequence

from rules.conditions import Noeud, Test
from rules.regle import Regle

DECODE: tuple[Optional[bool], ...] = (False, None, None, True)
NEG = (3, 1, None, 0)

_GABARITS = {
    "est": "3 if {v} == {k} else 0",
    "different_de": "0 if {v} == {k} else 3",
    "parmi": "3 if {v} in {k} else 0",
    "hors_de": "0 if {v} in {k} else 3",
    "contient": "3 if {k} in {v} else 0",
    "contient_un_de": "0 if {k}.isdisjoint({v}) else 3",
    "ne_contient_aucun": "3 if {k}.isdisjoint({v}) else 0",
    "min": "3 if {v} >= {k} else 0",
    "max": "3 if {v} <= {k} else 0",
    "sup": "3 if {v} > {k} else 0",
    "inf": "3 if {v} < {k} else 0",
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
                expr = f"3 if ({v} is not None) == {t.valeur!r} else 0"
            else:
                expr = f"1 if {v} is None else ({_GABARITS[t.operateur].format(v=v, k=self.constante(t.valeur))})"
            self.tests[t] = nom
            self.lignes.append(f"    {nom} = {expr}")
        return self.tests[t]

    def expression(self, n: Noeud) -> str:
        if isinstance(n, Test):
            return self.test(n)
        parts = [self.expression(e) for e in n.enfants]
        if n.mode == "toutes":
            return "(" + " & ".join(parts) + ")"
        ou = "(" + " | ".join(parts) + ")"
        return ou if n.mode == "au_moins_une" else f"NEG[{ou}]"


def _tuple(elements: list[str]) -> str:
    return f"({', '.join(elements)}{',' if len(elements) == 1 else ''})"


def compiler(regles: Sequence[Regle]) -> Callable[[dict[str, Any]], tuple[int, ...]]:
    """Une fonction faits -> tuple d'entiers (0 faux, 1 inconnu, 3 vrai), un par règle, dans l'ordre."""
    return compiler_avec_tests(regles)[0]


def compiler_avec_tests(regles: Sequence[Regle]):
    """La fonction des règles, et une seconde qui rend aussi le résultat de chaque test.

    La seconde sert à expliquer les constats sans réévaluer les conditions ; avec elle vient,
    pour chaque règle, la position de chacune de ses feuilles dans le tuple des tests.
    """
    gen = _Generateur()
    resultats = [gen.expression(r.condition) for r in regles]
    corps = "\n".join(gen.lignes) or "    pass"
    tests = list(gen.tests.values())
    source = (f"def _evaluer(f):\n{corps}\n    return {_tuple(resultats)}\n\n"
              f"def _evaluer_avec_tests(f):\n{corps}\n    return {_tuple(resultats)}, {_tuple(tests)}\n")
    espace: dict[str, Any] = {"NEG": NEG, **gen.constantes}
    exec(compile(source, "<règles compilées>", "exec"), espace)  # noqa: S102 - code we generated
    fonction, avec_tests = espace["_evaluer"], espace["_evaluer_avec_tests"]
    fonction.source = source
    position = {t: k for k, t in enumerate(gen.tests)}
    feuilles = [[position[t] for t in r.condition.feuilles()] for r in regles]
    return fonction, avec_tests, feuilles
