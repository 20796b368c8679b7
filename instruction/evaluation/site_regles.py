"""Le site public des règles (`/regles`, `/regles/{id}`, `/textes/{document}`) : ses modèles de vue, calculés
depuis la base de règles que l'application a chargée et les textes sources que lui passe un adaptateur (`Textes`).

Rien n'est lu ici. Découper un texte en passages (`rules.passages.decouper`) coûte environ 0,6 s pour le contrat
Lys Artois : le découpage est gardé dans la mémoire du processus, par texte et par jeu de passages. C'est une
fonction pure des fichiers, la même pour tous les visiteurs : le serveur reste sans état pour les personnes.
"""
import re
import unicodedata
from datetime import date
from functools import lru_cache
from typing import Any, Iterable, Optional, Protocol

from forms.libelles import (
    LIBELLES_ATTENDUS,
    LIBELLES_EFFETS,
    LIBELLES_FINANCEMENTS,
    NOM_DOSSIER_ENTIER,
    NOMS_ACCOMPAGNEMENTS,
    NOMS_FINANCEURS,
    euros,
)
from forms.valeurs import ACCOMPAGNEMENTS, FINANCEURS
from instruction.erreurs import Introuvable
from instruction.evaluation.territoire import Territoire
from rules.base import BaseDeRegles
from rules.champs import CHAMPS
from rules.documents import titre_document
from rules.en_francais import en_francais, nom_du_champ, valeur_en_francais
from rules.passages import decouper, situer
from rules.regle import EFFETS, Regle
from rules.verification import TEXTES_LEGAUX

DOSSIER_ENTIER = "dossier-entier"  # the address of the rules that belong to no funder (law, required pieces)
ORDRE_FINANCEURS = (*FINANCEURS, *ACCOMPAGNEMENTS, None)
NOMS = {**NOMS_FINANCEURS, **NOMS_ACCOMPAGNEMENTS, None: NOM_DOSSIER_ENTIER}
CONTEXTE = 280  # characters of the source text shown on each side of a passage, on the rule's page
RECHERCHE_MAX = 200


class Textes(Protocol):
    """Les textes sources, par nom de fichier (l'adaptateur : `api.textes_sources`)."""

    def documents(self) -> list[str]: ...

    def lire(self, document: str) -> Optional[str]: ...


class RegleIntrouvable(Introuvable):
    def __init__(self, rid: str):
        super().__init__(f"Aucune règle ne porte l'identifiant « {rid[:80]} ». La liste des règles est sur /regles.")


class FinanceurIntrouvable(Introuvable):
    def __init__(self, financeur: str):
        super().__init__(f"Aucun financeur ne porte l'identifiant « {financeur[:80]} ».")


class TexteIntrouvable(Introuvable):
    def __init__(self, document: str):
        super().__init__(f"Aucun texte source ne s'appelle « {document[:80]} ». La liste des textes est sur /textes.")


def slug(financeur: Optional[str]) -> str:
    return financeur or DOSSIER_ENTIER


def lien_passage(regle: Regle) -> Optional[str]:
    """L'adresse du passage surligné dans son texte ; None pour un texte de loi (non reproduit ici)."""
    if regle.source.document in TEXTES_LEGAUX:
        return None
    return f"/textes/{regle.source.document}#regle-{regle.id}"


def resume(regle: Regle) -> dict[str, Any]:
    """Ce qu'une liste montre d'une règle."""
    return {"id": regle.id, "titre": regle.titre, "effet": regle.effet, "libelle_effet": LIBELLES_EFFETS[regle.effet],
            "interpretation": regle.interpretation, "du": regle.du, "au": regle.au,
            "financeur": slug(regle.financeur), "nom_financeur": NOMS.get(regle.financeur, regle.financeur)}


# --- /regles : every funder and its rules, filtered by the search box ------------------------------------------

def _sans_accents(texte: str) -> str:
    decompose = unicodedata.normalize("NFKD", texte.casefold().replace("’", "'"))
    return "".join(c for c in decompose if not unicodedata.combining(c))


def mots_cherches(recherche: str) -> list[str]:
    return re.findall(r"\w+", _sans_accents(recherche[:RECHERCHE_MAX]))


def trouve(regle: Regle, mots: Iterable[str]) -> bool:
    """Chaque mot cherché (sans accents ni majuscules) est dans l'identifiant, le titre, le message, la référence
    ou le passage cité de la règle, ou dans le nom de son financeur."""
    mots = list(mots)
    if not mots:
        return True
    botte = _sans_accents(" ".join((regle.id, regle.titre, regle.message, regle.source.reference,
                                    regle.source.extrait, NOMS.get(regle.financeur) or "")))
    return all(mot in botte for mot in mots)


def _ordre(financeur: Optional[str]) -> int:
    return ORDRE_FINANCEURS.index(financeur) if financeur in ORDRE_FINANCEURS else len(ORDRE_FINANCEURS)


def sommaire(base: BaseDeRegles, recherche: str = "") -> dict[str, Any]:
    """Les financeurs et leurs règles (seulement celles qui contiennent les mots cherchés, s'il y en a)."""
    mots = mots_cherches(recherche)
    groupes: dict[Optional[str], list[Regle]] = {}
    for regle in base.regles:
        groupes.setdefault(regle.financeur, [])
        if trouve(regle, mots):
            groupes[regle.financeur].append(regle)
    financeurs = [{"id": slug(f), "nom": NOMS.get(f, f), "nombre": sum(r.financeur == f for r in base.regles),
                   "regles": [resume(r) for r in sorted(regles, key=lambda r: r.id)]}
                  for f, regles in sorted(groupes.items(), key=lambda t: _ordre(t[0])) if regles or not mots]
    return {"recherche": recherche[:RECHERCHE_MAX], "mots": mots, "total": len(base.regles),
            "trouvees": sum(len(f["regles"]) for f in financeurs), "financeurs": financeurs}


# --- /regles/financeurs/{id} : one funder, its rules grouped by what they conclude ---------------------------------

def page_financeur(base: BaseDeRegles, financeur: str) -> dict[str, Any]:
    cle = None if financeur == DOSSIER_ENTIER else financeur
    regles = [r for r in base.regles if r.financeur == cle]
    if not regles:
        raise FinanceurIntrouvable(financeur)
    groupes = [{"effet": e, "libelle": LIBELLES_EFFETS[e],
                "regles": [resume(r) for r in sorted(regles, key=lambda r: r.id) if r.effet == e]} for e in EFFETS]
    return {"id": financeur, "nom": NOMS.get(cle, financeur), "nombre": len(regles),
            "interpretations": sum(r.interpretation for r in regles), "groupes": [g for g in groupes if g["regles"]]}


# --- /regles/{id} : one rule ----------------------------------------------------------------------------------------

def regle_par_id(base: BaseDeRegles, rid: str) -> Regle:
    for regle in base.regles:
        if regle.id == rid:
            return regle
    raise RegleIntrouvable(rid)


def page_regle(base: BaseDeRegles, rid: str, territoire: Territoire, textes: Textes) -> dict[str, Any]:
    regle = regle_par_id(base, rid)
    noms = territoire.noms_des_valeurs()
    return {
        **resume(regle), "message": regle.message, "fichier": regle.fichier, "piece": regle.piece,
        "montant": regle.montant, "motif_interpretation": regle.motif_interpretation,
        "conditions": en_francais(regle.condition, noms),
        "exemples": [exemple(e, territoire, noms) for e in regle.exemples],
        "source": source(regle, textes),
    }


def source(regle: Regle, textes: Textes) -> dict[str, Any]:
    """Le passage cité, et, pour un texte du dossier des sources, le même passage dans son contexte."""
    s = regle.source
    vue: dict[str, Any] = {"document": s.document, "titre": titre_document(s.document), "reference": s.reference,
                           "extrait": s.extrait, "legal": s.document in TEXTES_LEGAUX, "lien": lien_passage(regle),
                           "contexte": None}
    texte = None if vue["legal"] else textes.lire(s.document)
    ou = _situer(texte, s.extrait) if texte is not None else None
    if ou is not None:
        debut, fin = ou
        avant, apres = texte[max(0, debut - CONTEXTE):debut], texte[fin:fin + CONTEXTE]
        # Cut at a word boundary: a context that starts or ends mid-word reads as a typo.
        if debut > CONTEXTE:
            avant = "… " + avant.split(None, 1)[-1] if " " in avant.strip() else avant
        if fin + CONTEXTE < len(texte):
            apres = apres.rsplit(None, 1)[0] + " …" if " " in apres.strip() else apres
        vue["contexte"] = {"avant": _blancs(avant), "passage": _blancs(texte[debut:fin]), "apres": _blancs(apres)}
    return vue


@lru_cache(maxsize=512)
def _situer(texte: str, extrait: str) -> Optional[tuple[int, int]]:
    return situer(texte, extrait)


def _blancs(texte: str) -> str:
    # PDF extractions break lines mid-sentence: one space reads better in a short excerpt.
    return re.sub(r"\s+", " ", texte)


def exemple(e: Any, territoire: Territoire, noms: dict[str, dict[str, str]]) -> dict[str, Any]:
    """Un exemple de la règle, lisible : les données du dossier en français, et ce que la règle conclut."""
    donnees = [{"champ": _majuscule(nom_du_champ(champ)), "valeur": _valeur(champ, valeur, territoire, noms)}
               for champ, valeur in _a_plat(e.dossier)]
    return {"nom": e.nom, "donnees": donnees, "attendu": e.attendu, "libelle_attendu": LIBELLES_ATTENDUS[e.attendu],
            "manquants": [nom_du_champ(m) for m in e.manquants or ()]}


def _a_plat(dossier: dict, prefixe: str = "") -> list[tuple[str, Any]]:
    champs: list[tuple[str, Any]] = []
    for cle, valeur in dossier.items():
        if isinstance(valeur, dict):
            champs += _a_plat(valeur, f"{prefixe}{cle}.")
        else:
            champs.append((f"{prefixe}{cle}", valeur))
    return champs


def _valeur(champ: str, valeur: Any, territoire: Territoire, noms: dict[str, dict[str, str]]) -> str:
    if valeur is None:
        return "inconnu"
    if champ == "budget.financements":
        return " ; ".join(f"{NOMS.get(ligne.get('financeur'), ligne.get('financeur'))} : {euros(ligne.get('montant'))} "
                          f"({LIBELLES_FINANCEMENTS.get(ligne.get('statut'), ligne.get('statut'))})"
                          for ligne in valeur) or "aucune ligne"
    if champ == "projet.commune_insee":
        commune = territoire.commune(str(valeur))
        return f"{commune.nom} ({valeur})" if commune else f"code INSEE {valeur}"
    if isinstance(valeur, str) and champ in CHAMPS and CHAMPS[champ].nature == "date":
        try:
            valeur = date.fromisoformat(valeur)
        except ValueError:
            pass
    if isinstance(valeur, list) and not valeur:
        return "aucun"
    return valeur_en_francais(champ, valeur, noms)


def _majuscule(texte: str) -> str:
    return texte[:1].upper() + texte[1:]


# --- /textes and /textes/{document} : the source texts, every cited passage marked -----------------------------

def index_textes(base: BaseDeRegles, textes: Textes) -> dict[str, Any]:
    """Les textes du dossier des sources, et les textes de loi que citent les règles de droit."""
    documents = [{"document": d, "titre": titre_document(d),
                  "nombre": sum(r.source.document == d for r in base.regles)} for d in textes.documents()]
    lois: dict[str, list[dict[str, Any]]] = {}
    for regle in base.regles:
        if regle.source.document in TEXTES_LEGAUX:
            lois.setdefault(regle.source.document, []).append(
                {**resume(regle), "reference": regle.source.reference})
    return {"documents": documents, "lois": [{"titre": t, "regles": r} for t, r in sorted(lois.items())]}


def page_texte(base: BaseDeRegles, document: str, textes: Textes) -> dict[str, Any]:
    texte = textes.lire(document)
    if texte is None:
        raise TexteIntrouvable(document)
    citantes = {r.id: r for r in base.regles if r.source.document == document}
    morceaux = decoupage(texte, _passages(citantes.values()))
    dans_l_ordre = list(dict.fromkeys(rid for m in morceaux for rid in m["regles"]))
    return {"document": document, "titre": titre_document(document), "morceaux": morceaux,
            "regles": [resume(citantes[rid]) for rid in dans_l_ordre],
            "introuvables": [resume(r) for rid, r in sorted(citantes.items()) if rid not in dans_l_ordre]}


def prechauffer(base: BaseDeRegles, documents: Iterable[str], textes: Textes) -> None:
    """Découpe d'avance les textes qu'une page mène à ouvrir (la page d'une règle mène à son texte) : la page du
    texte est alors servie depuis la mémoire. À lancer après la réponse."""
    for document in dict.fromkeys(documents):
        texte = textes.lire(document)
        if texte is not None:
            decoupage(texte, _passages(r for r in base.regles if r.source.document == document))


def _passages(regles: Iterable[Regle]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((r.id, r.source.extrait) for r in regles))


@lru_cache(maxsize=16)
def decoupage(texte: str, passages: tuple[tuple[str, str], ...]) -> tuple[dict[str, Any], ...]:
    """Le texte en morceaux, chacun avec les règles qui le citent (gardé en mémoire : voir le haut du module).
    Seuls les blancs changent : les lignes vides en série de l'extraction PDF n'en font plus qu'une."""
    return tuple({**m, "texte": _lignes_vides(m["texte"])} for m in decouper(texte, list(passages)))


def _lignes_vides(texte: str) -> str:
    # A PDF page break leaves runs of blank lines (often holding a single space): one blank line reads as a break.
    return re.sub(r"\n(?:[ \t\u00a0]*\n)+", "\n\n", re.sub(r"[ \t\u00a0]+\n", "\n", texte))
