"""L'historique d'un dossier en une seule chronologie, du plus récent au plus ancien : passages d'état,
modifications des données, évaluations, corrections, décisions du comité et demandes de compléments, chacun
avec qui, quand et pourquoi, en français. Pur : le dossier chargé suffit (aucune lecture par événement)."""
from typing import Any, Sequence

from forms import libelles as lib
from instruction.dossiers import corrections as corr
from instruction.dossiers.dossier_instruit import DossierInstruit

PREFIXE_MODIFICATION = "données modifiées : "


def _changement(texte: str) -> str:
    """« projet.clienteles : inconnu → [...] » devient « Clientèles visées : inconnu → [...] »."""
    champ, separateur, reste = texte.partition(" : ")
    return f"{lib.libelle(champ)} : {reste}" if separateur else texte


def _transition(t) -> dict[str, Any]:
    if t.de is None:
        titre = "Dossier déposé" if t.vers == "depose" else f"Dossier créé ({lib.LIBELLES_ETATS[t.vers].lower()})"
        return {"genre": "creation", "titre": titre, "texte": t.motif, "lignes": []}
    if t.de == t.vers and t.motif.startswith(PREFIXE_MODIFICATION):
        changements = t.motif[len(PREFIXE_MODIFICATION):].split(" ; ")
        return {"genre": "modification", "titre": "Données modifiées", "texte": "",
                "lignes": [_changement(c) for c in changements]}
    titre = f"{lib.LIBELLES_ETATS.get(t.de, t.de)} → {lib.LIBELLES_ETATS.get(t.vers, t.vers)}"
    return {"genre": "transition", "titre": titre, "texte": t.motif,
            "lignes": [f"Réunion du comité : {t.comite}"] if t.comite else []}


def _evaluation(e) -> dict[str, Any]:
    return {"genre": "evaluation", "titre": f"Évaluation n° {e.numero}",
            "texte": f"Avis calculé : {lib.LIBELLES_AVIS[e.resultat.avis]}",
            "lignes": [f"Règles en vigueur le {e.date_reference:%d/%m/%Y} ({e.version_regles})"]}


def _correction(ligne: dict[str, Any]) -> dict[str, Any]:
    lignes = [f"{ligne['calcule']} → {ligne['corrige']}"] if ligne["genre"] != corr.CONSTAT_AJOUTE else []
    if ligne["a_revoir"] and not ligne["retiree"]:
        lignes.append(f"À revoir : {ligne['motif_revue']}")
    if ligne["retiree"]:
        lignes.append(f"Retirée par {ligne['retrait']}")
    return {"genre": "correction", "titre": f"Correction n° {ligne['numero']} — {ligne['objet']}",
            "texte": ligne["justification"], "lignes": lignes}


def _decision(d) -> dict[str, Any]:
    return {"genre": "decision",
            "titre": f"Décision : {lib.NOMS_FINANCEURS.get(d.financeur, d.financeur)} — "
                     f"{lib.LIBELLES_DECISIONS.get(d.decision, d.decision)}",
            "texte": d.motif, "lignes": [f"Réunion du comité : {d.comite}"] if d.comite else []}


def _demandes(d) -> list[dict[str, Any]]:
    """Une demande de compléments, et sa réponse quand elle est venue : deux événements."""
    champs = ", ".join("Pièces jointes" if c == "pieces" else lib.libelle(c) for c in d.champs)
    evenements = [{"genre": "complements", "titre": f"Compléments demandés (demande n° {d.numero})", "texte": d.message,
                   "lignes": [f"À compléter : {champs}"], "quand": d.demandee_le, "auteur": d.auteur}]
    if d.repondue_le is not None:
        evenements.append({"genre": "complements", "titre": f"Compléments reçus (demande n° {d.numero})",
                           "texte": d.reponse, "lignes": [], "quand": d.repondue_le,
                           "auteur": d.repondue_par or ""})
    return evenements


def chronologie(dossier: DossierInstruit, lignes_corrections: list[dict[str, Any]],
                demandes: Sequence = ()) -> list[dict[str, Any]]:
    """Les événements, du plus récent au plus ancien ; à instant égal, l'ordre où ils ont été enregistrés.
    `lignes_corrections` : les corrections côte à côte avec le calcul (`corrections.cote_a_cote`) ; `demandes` :
    les demandes de compléments (`parcours.DemandeComplements`)."""
    evenements = [({**_transition(t), "quand": t.quand, "auteur": t.auteur}) for t in dossier.transitions]
    evenements += [{**_evaluation(e), "quand": e.quand, "auteur": e.auteur} for e in dossier.evaluations]
    evenements += [{**_correction(c), "quand": c["quand"], "auteur": c["auteur"]} for c in lignes_corrections]
    evenements += [{**_decision(d), "quand": d.quand, "auteur": d.auteur} for d in dossier.decisions]
    evenements += [e for d in demandes for e in _demandes(d)]
    rangs = {id(e): i for i, e in enumerate(evenements)}
    return sorted(evenements, key=lambda e: (e["quand"], rangs[id(e)]), reverse=True)
