"""Le format « table » de `guichet evaluate` : une ligne par dossier, lisible au terminal."""
from forms.valeurs import FINANCEURS
from instruction.evaluation.resultat import EvaluationInvalide, Resultat

ABREGES = {"region_hdf": "Région", "region_prit": "PRIT", "departement_62": "CD62", "departement_59": "CD59",
           "ademe_fonds_tourisme_durable": "ADEME", "leader": "LEADER", "epci": "EPCI"}
STATUTS = {"prioritaire": "prio", "eligible": "élig", "a_completer": "à compl.", "exclu": "exclu",
           "non_concerne": "—"}


def tableau(evaluations: list[Resultat]) -> str:
    entete = ["Référence", "Avis"] + [ABREGES[f] for f in FINANCEURS] + ["Manquant"]
    lignes = [entete]
    for e in evaluations:
        if isinstance(e, EvaluationInvalide):
            detail = "; ".join(f"{x.champ} : {x.message}" for x in e.erreurs)
            lignes.append([str(e.reference or "?"), "INVALIDE"] + [""] * len(FINANCEURS) + [detail])
            continue
        statuts = {f.financeur: STATUTS[f.statut] for f in e.financeurs}
        lignes.append([e.reference, e.avis] + [statuts[f] for f in FINANCEURS] + [", ".join(e.informations_manquantes)])
    largeurs = [max(len(ligne[i]) for ligne in lignes[:-0 or None]) for i in range(len(entete) - 1)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(ligne, largeurs)) + "  " + ligne[-1] for ligne in lignes)
