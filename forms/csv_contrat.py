"""Le dossier en CSV : mêmes noms que le JSON, clés imbriquées jointes par des points,
listes jointes par « | ». Le plan de financement s'écrit « financeur:montant:statut|… ».

Une cellule vide veut dire « inconnu » ; une liste vide connue s'écrit « aucun »."""
import re
from typing import Any, Optional

from forms.dossier import Budget, Porteur, Projet

_LISTES = {"projet.clienteles", "projet.thematiques", "projet.labels"}
_BOOLEENS = {"projet.transition_ecologique", "projet.diagnostic_environnemental", "projet.accessibilite",
             "porteur.activite_economique"}
_NOMBRES = {"porteur.aides_minimis_3_ans", "budget.cout_total_ht", "budget.depenses_investissement",
            "budget.montant_sollicite"}
_VRAI = {"true", "vrai", "oui", "1"}
_AUCUN = {"aucun", "aucune", "none"}
_FAUX = {"false", "faux", "non", "0"}

COLONNES: tuple[str, ...] = ("reference", "date_depot") + tuple(
    f"{bloc}.{nom}" for bloc, modele in (("porteur", Porteur), ("projet", Projet), ("budget", Budget))
    for nom in modele.model_fields)
# Columns added to the contract after its first version: a file written before them stays valid
# (their cells are then unknown).
COLONNES_AJOUTEES: tuple[str, ...] = ("porteur.activite_economique", "projet.envergure")


class ColonnesInvalides(ValueError):
    pass


def verifier_entete(entete: Optional[list[str]]) -> None:
    if not entete:
        raise ColonnesInvalides("le CSV n'a pas de ligne d'en-tête")
    noms = [c.strip() for c in entete]
    doubles = sorted({c for c in noms if noms.count(c) > 1})
    if doubles:
        raise ColonnesInvalides(f"colonnes en double : {', '.join(doubles)}")
    manquantes = [c for c in COLONNES if c not in noms and c not in COLONNES_AJOUTEES]
    inconnues = [c for c in noms if c not in COLONNES]
    if manquantes:
        raise ColonnesInvalides(f"colonnes manquantes : {', '.join(manquantes)}")
    if inconnues:
        raise ColonnesInvalides(f"colonnes inconnues du contrat : {', '.join(inconnues)}")


def _cellule(colonne: str, brut: str) -> Any:
    texte = brut.strip()
    if texte == "":
        return None
    if (colonne in _LISTES or colonne == "budget.financements") and texte.lower() in _AUCUN:
        return []
    if colonne in _LISTES:
        return [v.strip() for v in texte.split("|") if v.strip()]
    if colonne in _BOOLEENS:
        bas = texte.lower()
        return True if bas in _VRAI else False if bas in _FAUX else texte
    if colonne in _NOMBRES:
        return _nombre(texte)
    if colonne == "budget.financements":
        return [_financement(item) for item in texte.split("|") if item.strip()]
    return texte


# A number as a spreadsheet writes it: digits, one decimal separator, perhaps an exponent (Excel's
# 1.5E-05). float() alone would also take "nan", "inf", "1_000" or "١٢".
_NOMBRE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
# Thousands separators the French way: space, no-break space, narrow no-break space.
_MILLIERS = str.maketrans({" ": None, "\u00a0": None, "\u202f": None, ",": "."})


def _nombre(texte: str) -> Any:
    chiffres = texte.translate(_MILLIERS)
    if not _NOMBRE.fullmatch(chiffres):
        return texte  # left as text: validation names the field and says a number is expected
    return float(chiffres)


def _financement(item: str) -> Any:
    morceaux = [m.strip() for m in item.split(":")]
    if len(morceaux) != 3:
        return item  # validation will say a funding line is an object
    return {"financeur": morceaux[0], "montant": _nombre(morceaux[1]), "statut": morceaux[2]}


def ligne_vers_dossier(ligne: dict[str, str]) -> dict[str, Any]:
    dossier: dict[str, Any] = {}
    for colonne, brut in ligne.items():
        if colonne is None:
            continue  # extra cells beyond the header; csv.DictReader groups them under None
        valeur = _cellule(colonne.strip(), brut or "")
        if valeur is None:
            continue
        *blocs, nom = colonne.strip().split(".")
        cible = dossier
        for bloc in blocs:
            cible = cible.setdefault(bloc, {})
        cible[nom] = valeur
    return dossier


def dossier_vers_ligne(dossier: dict[str, Any]) -> dict[str, str]:
    ligne = {}
    for colonne in COLONNES:
        valeur: Any = dossier
        for part in colonne.split("."):
            valeur = valeur.get(part) if isinstance(valeur, dict) else None
        if valeur is None:
            ligne[colonne] = ""
        elif valeur == []:
            ligne[colonne] = "aucun"
        elif colonne == "budget.financements":
            ligne[colonne] = "|".join(f"{f['financeur']}:{f['montant']}:{f['statut']}" for f in valeur)
        elif isinstance(valeur, list):
            ligne[colonne] = "|".join(map(str, valeur))
        elif isinstance(valeur, bool):
            ligne[colonne] = "true" if valeur else "false"
        else:
            ligne[colonne] = str(valeur)
    return ligne
