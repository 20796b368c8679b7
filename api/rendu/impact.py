"""La mise en forme de `guichet rules impact` : un texte aligné pour le terminal, ou un CSV.

Colonnes du CSV (une ligne par dossier et par changement ; listes jointes par « | ») :
reference, porte_sur (avis, statut, constats, manquants, invalide), financeur, avant, apres,
motifs_ajoutes, motifs_retires, constats_ajoutes, constats_retires, manquants_ajoutes,
manquants_retires, erreurs.
"""
import csv
import io
from datetime import date
from typing import Any, Optional

from forms.libelles import pluriel

FORMATS = ("table", "json", "csv")
COLONNES = ("reference", "porte_sur", "financeur", "avant", "apres", "motifs_ajoutes", "motifs_retires",
            "constats_ajoutes", "constats_retires", "manquants_ajoutes", "manquants_retires", "erreurs")


def en_table(impact: dict[str, Any], versions: dict[str, dict[str, str]], jour: Optional[date]) -> str:
    lignes = ["Impact du changement de règles",
              f"  avant : {versions['avant']['regles']}  ({versions['avant']['source']})",
              f"  après : {versions['apres']['regles']}  ({versions['apres']['source']})",
              "  jugés à la date " + (jour.isoformat() if jour else "de dépôt de chaque dossier"),
              f"{pluriel(impact['total'], 'dossier')} : {pluriel(impact['changes'], 'changé')}, "
              f"{pluriel(impact['inchanges'], 'inchangé')}, {pluriel(len(impact['invalides']), 'invalide')}", ""]
    lignes.append("Statuts par financeur" + ("" if impact["transitions"] else " : aucun changement"))
    lignes += _aligner([["Financeur", "Avant", "", "Après", "Dossiers"]]
                       + [[t["financeur"], t["avant"] or "—", "→", t["apres"], str(t["nombre"])]
                          for t in impact["transitions"]], droite=frozenset({4})) if impact["transitions"] else []
    lignes += ["", "Avis" + ("" if impact["avis"] else " : aucun changement")]
    lignes += _aligner([["Référence", "Avant", "", "Après"]]
                       + [[_ref(a), a["avant"] or "—", "→", a["apres"]] for a in impact["avis"]]) \
        if impact["avis"] else []
    if impact["dossiers"]:
        lignes += ["", "Règles en cause"]
        for d in impact["dossiers"]:
            lignes += _dossier(d)
    if impact["invalides"]:
        lignes += ["", "Dossiers invalides"]
        for e in impact["invalides"]:
            detail = " ; ".join(f"{x['champ']} : {x['message']}" for x in e["erreurs"])
            lignes.append(f"  entrée {e['position']} ({_ref(e)}) : {detail}")
    return "\n".join(lignes)


def _dossier(d: dict[str, Any]) -> list[str]:
    lignes = [f"  {_ref(d)}" + (f"  (avis {d['avis']['avant'] or '—'} → {d['avis']['apres']})" if d["avis"] else "")]
    for f in d["financeurs"]:
        lignes.append(f"    {f['financeur']} : {f['avant'] or '—'} → {f['apres']}")
        if f["motifs_ajoutes"] or f["motifs_retires"]:
            lignes.append(f"      motifs    {_plus_moins(f['motifs_ajoutes'], f['motifs_retires'])}")
        if f["constats_ajoutes"] or f["constats_retires"]:
            lignes.append(f"      constats  {_plus_moins(f['constats_ajoutes'], f['constats_retires'])}")
    for g in d["autres_constats"]:
        qui = f"de {g['financeur']} (statut inchangé)" if g["financeur"] else "du dossier entier"
        lignes.append(f"    constats {qui} : {_plus_moins(g['ajoutes'], g['retires'])}")
    if d["manquants_ajoutes"] or d["manquants_retires"]:
        lignes.append(f"    informations manquantes : {_plus_moins(d['manquants_ajoutes'], d['manquants_retires'])}")
    return lignes


def _plus_moins(ajoutes: list[str], retires: list[str]) -> str:
    return "  ".join([f"+ {r}" for r in ajoutes] + [f"− {r}" for r in retires])


def _ref(element: dict[str, Any]) -> str:
    return element.get("reference") or "sans référence"


def _aligner(lignes: list[list[str]], droite: frozenset = frozenset()) -> list[str]:
    largeurs = [max(len(ligne[i]) for ligne in lignes) for i in range(len(lignes[0]))]
    return ["  " + "  ".join(c.rjust(w) if i in droite else c.ljust(w)
                             for i, (c, w) in enumerate(zip(ligne, largeurs))).rstrip() for ligne in lignes]


def en_csv(impact: dict[str, Any]) -> str:
    sortie = io.StringIO()
    ecrivain = csv.DictWriter(sortie, fieldnames=COLONNES, lineterminator="\n")
    ecrivain.writeheader()
    for d in impact["dossiers"]:
        reference = _ref(d)
        if d["avis"]:
            ecrivain.writerow(_ligne(reference, "avis", avant=d["avis"]["avant"], apres=d["avis"]["apres"]))
        for f in d["financeurs"]:
            ecrivain.writerow(_ligne(reference, "statut", **f))
        for g in d["autres_constats"]:
            ecrivain.writerow(_ligne(reference, "constats", financeur=g["financeur"], constats_ajoutes=g["ajoutes"],
                                     constats_retires=g["retires"]))
        if d["manquants_ajoutes"] or d["manquants_retires"]:
            ecrivain.writerow(_ligne(reference, "manquants", manquants_ajoutes=d["manquants_ajoutes"],
                                     manquants_retires=d["manquants_retires"]))
    for e in impact["invalides"]:
        ecrivain.writerow(_ligne(_ref(e), "invalide",
                                 erreurs=[f"{x['champ']} : {x['message']}" for x in e["erreurs"]]))
    return sortie.getvalue()


def _ligne(reference: str, porte_sur: str, **valeurs: Any) -> dict[str, str]:
    ligne = {"reference": reference, "porte_sur": porte_sur}
    for colonne in COLONNES[2:]:
        valeur = valeurs.get(colonne)
        ligne[colonne] = "|".join(valeur) if isinstance(valeur, list) else (valeur or "")
    return ligne
