"""Les règles en vigueur traduites en une table de décision GoRules (JDM) pour zen-engine.

Une seule table (`decisionTableNode`, hitPolicy « collect »), une colonne d'entrée par champ
lu, une colonne de sortie `r` = l'indice de la règle. La condition de chaque règle est mise
en forme normale disjonctive (négations poussées jusqu'aux tests) : une conjonction = une
ligne ; dans une ligne, les tests d'un même champ sont joints par `and` dans la cellule de ce
champ (expressions unaires sur `$`). Une règle dont la forme disjonctive dépasserait
MAX_LIGNES lignes garde une seule ligne, avec son arbre entier dans une colonne-expression
(sans champ), où `$` est remplacé par le chemin du champ.

zen-engine est à deux valeurs : on ne lui donne que des faits tous connus, imbriqués
(`projet.nature` → {"projet": {"nature": …}}), les dates en numéros de jour (toordinal).
"""
import json
from datetime import date
from typing import Any, Iterable, Optional, Sequence

from rules.conditions import Noeud, Test
from rules.regle import Regle

MAX_LIGNES = 32
_NEGATION = {"est": "different_de", "different_de": "est", "parmi": "hors_de", "hors_de": "parmi",
             "contient_un_de": "ne_contient_aucun", "ne_contient_aucun": "contient_un_de",
             "min": "inf", "inf": "min", "max": "sup", "sup": "max"}
Litteral = tuple[Test, bool]  # (test, nié)


def _constante(v: Any) -> str:
    if isinstance(v, date):
        return str(v.toordinal())
    if isinstance(v, (frozenset, set, tuple, list)):
        return "[" + ", ".join(_constante(x) for x in sorted(v)) + "]"
    return json.dumps(v, ensure_ascii=False)


def expression_unaire(t: Test, nie: bool) -> str:
    """Le test comme expression ZEN sur `$` (la valeur de la colonne)."""
    op = t.operateur
    if op == "renseigne":
        return "$ != null" if t.valeur != nie else "$ == null"
    if op == "contient":
        return f"not(contains($, {_constante(t.valeur)}))" if nie else f"contains($, {_constante(t.valeur)})"
    if nie:
        op = _NEGATION[op]
    k = _constante(t.valeur)
    return {
        "est": f"$ == {k}", "different_de": f"$ != {k}",
        "parmi": f"$ in {k}", "hors_de": f"not($ in {k})",
        "contient_un_de": f"some($, # in {k})", "ne_contient_aucun": f"none($, # in {k})",
        "min": f"$ >= {k}", "max": f"$ <= {k}", "sup": f"$ > {k}", "inf": f"$ < {k}",
    }[op]


def forme_disjonctive(n: Noeud, nie: bool = False, limite: int = MAX_LIGNES) -> Optional[list[list[Litteral]]]:
    """Liste de conjonctions de littéraux, ou None si elle dépasse `limite` conjonctions."""
    if isinstance(n, Test):
        return [[(n, nie)]]
    mode = n.mode
    if mode == "aucune":
        mode, nie = "au_moins_une", not nie
    conjonction = (mode == "toutes") != nie  # De Morgan
    enfants = [forme_disjonctive(e, nie, limite) for e in n.enfants]
    if any(e is None for e in enfants):
        return None
    if not conjonction:
        union = [c for e in enfants for c in e]
        return union if len(union) <= limite else None
    produit: list[list[Litteral]] = [[]]
    for e in enfants:
        produit = [a + b for a in produit for b in e]
        if len(produit) > limite:
            return None
    return produit


def _expression_complete(n: Noeud, nie: bool = False) -> str:
    if isinstance(n, Test):
        return "(" + expression_unaire(n, nie).replace("$", n.champ) + ")"
    mode = n.mode
    if mode == "aucune":
        mode, nie = "au_moins_une", not nie
    lien = " and " if (mode == "toutes") != nie else " or "
    return "(" + lien.join(_expression_complete(e, nie) for e in n.enfants) + ")"


def table_de_decision(regles: Sequence[Regle], max_lignes: int = MAX_LIGNES) -> tuple[dict, dict[str, int]]:
    """Le graphe JDM, et des statistiques (lignes, colonnes, règles en colonne-expression)."""
    champs = list(dict.fromkeys(c for r in regles for c in r.condition.champs()))
    colonnes = {c: f"i{k}" for k, c in enumerate(champs)}
    lignes: list[dict[str, str]] = []
    en_expression = 0
    for i, regle in enumerate(regles):
        dnf = forme_disjonctive(regle.condition, limite=max_lignes)
        if dnf is None:
            en_expression += 1
            lignes.append({"_id": f"l{len(lignes)}", "ix": _expression_complete(regle.condition), "r": str(i)})
            continue
        for conjonction in dnf:
            cellules: dict[str, list[str]] = {}
            for test, nie in conjonction:
                texte = expression_unaire(test, nie)
                if texte not in cellules.setdefault(test.champ, []):
                    cellules[test.champ].append(texte)
            ligne = {"_id": f"l{len(lignes)}"}
            ligne.update({colonnes[c]: " and ".join(f"({x})" for x in t) if len(t) > 1 else t[0]
                          for c, t in cellules.items()})
            ligne["r"] = str(i)
            lignes.append(ligne)
    entrees = [{"id": colonnes[c], "name": c, "field": c} for c in champs]
    if en_expression:
        entrees.append({"id": "ix", "name": "expression"})
    for ligne in lignes:  # every row names every column; an empty cell matches anything
        for e in entrees:
            ligne.setdefault(e["id"], "")
    graphe = {
        "nodes": [
            {"id": "entree", "type": "inputNode", "name": "Dossier", "position": {"x": 0, "y": 0},
             "content": {}},
            {"id": "table", "type": "decisionTableNode", "name": "Règles en vigueur",
             "position": {"x": 300, "y": 0},
             "content": {"hitPolicy": "collect", "inputs": entrees,
                         "outputs": [{"id": "r", "name": "règle", "field": "r"}], "rules": lignes}},
            {"id": "sortie", "type": "outputNode", "name": "Règles vraies", "position": {"x": 600, "y": 0},
             "content": {}},
        ],
        "edges": [
            {"id": "a1", "sourceId": "entree", "targetId": "table", "type": "edge"},
            {"id": "a2", "sourceId": "table", "targetId": "sortie", "type": "edge"},
        ],
    }
    stats = {"lignes": len(lignes), "colonnes": len(entrees), "regles_en_expression": en_expression}
    return graphe, stats


def _json_valeur(v: Any) -> Any:
    if isinstance(v, date):
        return v.toordinal()
    if isinstance(v, (tuple, list, frozenset, set)):
        return list(v)
    return v


def contexte(faits: dict[str, Any], champs: Iterable[str]) -> dict[str, Any]:
    """Les faits lus par les règles, en objets imbriqués selon les points des noms."""
    racine: dict[str, Any] = {}
    for champ in champs:
        *parents, feuille = champ.split(".")
        noeud = racine
        for p in parents:
            noeud = noeud.setdefault(p, {})
        noeud[feuille] = _json_valeur(faits.get(champ))
    return racine


def declenchees(reponse: dict) -> frozenset[int]:
    return frozenset(ligne["r"] for ligne in reponse["result"])
