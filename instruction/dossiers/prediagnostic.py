"""Le pré-diagnostic tel qu'un porteur le lit : la même évaluation que `guichet evaluate`, dite en français.

Pour chaque financeur, son statut en clair et ses raisons (chaque constat avec le passage du texte, et le lien
vers ce passage sur le site des règles : `/textes/{document}#regle-{id}`, ou `/regles/{id}` pour un texte de
loi) ; l'orientation et les accompagnements avec qui contacter ; les « questions qui peuvent changer le
résultat » (les informations manquantes), chacune avec le lien vers son champ ; les textes et la date des
règles employées. Un modèle de vue : rien n'est décidé ici qui ne l'ait été par l'évaluation.
"""
from datetime import date
from typing import Any, Optional

from forms.dossier import Dossier
from forms.libelles import (
    AVIS_EN_CLAIR,
    CONTACTS,
    LIBELLES_AVIS,
    LIBELLES_STATUTS,
    NOMS_ACCOMPAGNEMENTS,
    NOMS_FINANCEURS,
    STATUTS_EN_CLAIR,
    TITRES_ETAPES,
    libelle,
)
from instruction.documents.financement import plan
from instruction.dossiers import etapes
from instruction.evaluation.faits import faits_du_dossier
from instruction.evaluation.resultat import Constat, Evaluation
from instruction.evaluation.territoire import Territoire
from rules.documents import titre_document

EFFETS_SIGNALES = ("avertissement", "piece_requise")


def lien_du_passage(constat: Constat) -> str:
    """Le passage cité, surligné sur le site des règles ; la page de la règle pour un texte de loi."""
    if constat.source.document.endswith(".txt"):
        return f"/textes/{constat.source.document}#regle-{constat.regle}"
    return f"/regles/{constat.regle}"


def _constat(c: Constat, titres: dict[str, str]) -> dict[str, Any]:
    return {"regle": c.regle, "titre": titres.get(c.regle, c.regle), "effet": c.effet, "message": c.message,
            "extrait": c.source.extrait, "reference_texte": c.source.reference,
            "texte": titre_document(c.source.document), "lien": lien_du_passage(c),
            "interpretation": c.interpretation, "motif_interpretation": c.motif_interpretation, "piece": c.piece}


def date_des_regles(version_regles: str) -> Optional[date]:
    """La date dont les règles en vigueur ont été prises (après le « @ » de la version)."""
    _, _, jour = version_regles.rpartition("@")
    try:
        return date.fromisoformat(jour)
    except ValueError:
        return None


def lien_du_champ(reference: str, champ: str, base: str = "/mes-dossiers") -> Optional[str]:
    etape = etapes.ETAPE_DU_CHAMP.get(champ)
    return f"{base}/{reference}/{etape}#{etapes.ancre(champ)}" if etape else None


def questions(evaluation: Evaluation, reference: str) -> list[dict[str, Any]]:
    """Les informations manquantes, celles qui peuvent changer l'avis d'abord, chacune avec l'étape et le lien
    de son champ."""
    avis = [c for c in evaluation.informations_manquantes_avis if c in evaluation.informations_manquantes]
    ordre = avis + [c for c in evaluation.informations_manquantes if c not in avis]
    return [{"champ": c, "libelle": libelle(c), "lien": lien_du_champ(reference, c),
             "etape": TITRES_ETAPES.get(etapes.ETAPE_DU_CHAMP.get(c, ""), ""), "change_l_avis": c in avis}
            for c in ordre]


def construire(evaluation: Evaluation, reference: str, titres: dict[str, str],
               epci_nom: Optional[str] = None) -> dict[str, Any]:
    """`titres` : le titre de chaque règle ; `epci_nom` : l'intercommunalité du projet, pour dire qui contacter."""
    contacts = dict(CONTACTS)
    if epci_nom:
        contacts["epci"] = f"{epci_nom} (votre intercommunalité)"
    financeurs = []
    for f in evaluation.financeurs:
        raisons = [_constat(c, titres) for c in evaluation.constats if c.financeur == f.financeur]
        financeurs.append({"id": f.financeur, "nom": NOMS_FINANCEURS[f.financeur], "statut": f.statut,
                           "statut_libelle": LIBELLES_STATUTS[f.statut], "en_clair": STATUTS_EN_CLAIR[f.statut],
                           "montant_indicatif": f.montant_indicatif.en_json() if f.montant_indicatif else None,
                           "raisons": raisons, "contact": contacts.get(f.financeur)})
    # Open routes first, in the evaluation's own order of relevance; closed ones after.
    ouverts = {f: i for i, f in enumerate(evaluation.orientation)}
    financeurs.sort(key=lambda f: (f["id"] not in ouverts, ouverts.get(f["id"], 0)))
    documents = sorted({c.source.document for c in evaluation.constats})
    return {
        "reference": reference,
        "avis": evaluation.avis, "avis_libelle": LIBELLES_AVIS[evaluation.avis],
        "avis_en_clair": AVIS_EN_CLAIR[evaluation.avis],
        "financeurs": financeurs,
        "orientation": [{"id": f, "nom": NOMS_FINANCEURS[f], "contact": contacts.get(f)}
                        for f in evaluation.orientation],
        "accompagnement": [{"id": a, "nom": NOMS_ACCOMPAGNEMENTS[a], "contact": contacts.get(a),
                            "raisons": [_constat(c, titres) for c in evaluation.constats if c.financeur == a]}
                           for a in evaluation.accompagnement],
        "questions": questions(evaluation, reference),
        "pieces": list(evaluation.pieces_requises),
        "signales": [_constat(c, titres) for c in evaluation.constats
                     if c.financeur is None and c.effet in EFFETS_SIGNALES + ("information",)],
        "textes": [titre_document(d) for d in documents],
        "date_regles": date_des_regles(evaluation.version_regles),
        "version_regles": evaluation.version_regles,
    }


def totaux_du_budget(dossier: Dossier, territoire: Territoire, jour: date) -> dict[str, Any]:
    """Le plan de financement et ses contrôles (aides publiques, autofinancement face aux 20 % du CGCT,
    cumul de minimis face à 300 000 €), calculés comme dans l'avis technique."""
    return plan(dossier, faits_du_dossier(dossier, territoire, dossier.date_depot or jour))
