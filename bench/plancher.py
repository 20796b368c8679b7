"""Le plancher : les mêmes règles en code Python écrit à plat, à deux valeurs, sans moteur.

Chaque règle devient un `if` sur ses tests (`and` / `or` / `not`, court-circuités) ; la
fonction rend la liste des indices des règles vraies. C'est ce qu'on écrirait à la main :
une borne basse du coût d'une évaluation en Python pur, pour des faits tous connus.
Deux variantes : les champs lus dans le dict à chaque test (`f["projet.nature"]`), ou lus
une fois dans des variables locales ; on retient la plus rapide comme plancher.
"""
from datetime import date
from typing import Any, Callable, Sequence

from rules.conditions import Noeud, Test
from rules.regle import Regle

_GABARITS = {
    "est": "{v} == {k}",
    "different_de": "{v} != {k}",
    "parmi": "{v} in {k}",
    "hors_de": "{v} not in {k}",
    "contient": "{k} in {v}",
    "contient_un_de": "not {k}.isdisjoint({v})",
    "ne_contient_aucun": "{k}.isdisjoint({v})",
    "min": "{v} >= {k}",
    "max": "{v} <= {k}",
    "sup": "{v} > {k}",
    "inf": "{v} < {k}",
}


class _Generateur:
    def __init__(self, locales: bool):
        self.locales = locales
        self.variables: dict[str, str] = {}
        self.constantes: dict[str, Any] = {}

    def lecture(self, champ: str) -> str:
        if not self.locales:
            return f"f[{champ!r}]"
        if champ not in self.variables:
            self.variables[champ] = f"v{len(self.variables)}"
        return self.variables[champ]

    def litteral(self, valeur: Any) -> str:
        if isinstance(valeur, (str, bool, int, float)) or valeur is None:
            return repr(valeur)
        nom = f"K{len(self.constantes)}"  # frozensets, dates: module constants
        self.constantes[nom] = valeur
        return nom

    def expression(self, n: Noeud) -> str:
        if isinstance(n, Test):
            v = self.lecture(n.champ)
            if n.operateur == "renseigne":
                return f"({v} is not None)" if n.valeur else f"({v} is None)"
            return "(" + _GABARITS[n.operateur].format(v=v, k=self.litteral(n.valeur)) + ")"
        parts = [self.expression(e) for e in n.enfants]
        if n.mode == "toutes":
            return "(" + " and ".join(parts) + ")"
        if n.mode == "au_moins_une":
            return "(" + " or ".join(parts) + ")"
        return "(not (" + " or ".join(parts) + "))"


def compiler_plancher(regles: Sequence[Regle], locales: bool = True) -> Callable[[dict], list[int]]:
    gen = _Generateur(locales)
    tests = [gen.expression(r.condition) for r in regles]
    lignes = ["def _plancher(f):"]
    lignes += [f"    {v} = f[{c!r}]" for c, v in gen.variables.items()]
    lignes += ["    r = []", "    a = r.append"]
    lignes += [f"    if {t}:\n        a({i})" for i, t in enumerate(tests)]
    lignes.append("    return r")
    source = "\n".join(lignes) + "\n"
    espace: dict[str, Any] = {"date": date, **gen.constantes}
    exec(compile(source, "<plancher>", "exec"), espace)  # noqa: S102 - code we generated
    fonction = espace["_plancher"]
    fonction.source = source
    return fonction
