"""Ce que partagent les pages du porteur : la rubrique et son agent, la saisie d'un formulaire telle quelle,
le pré-diagnostic en direct du brouillon, les listes de choix en français."""
from datetime import date
from typing import Annotated, Any, Optional

from fastapi import Depends, Request

from api.web.acces import exiger
from forms import libelles
from instruction.acces import Agent
from instruction.dossiers import brouillons, etapes, prediagnostic
from instruction.evaluation.guichet import Guichet
from instruction.temps import Horloge, jour_de

PorteurDep = Annotated[Agent, Depends(exiger("espace_porteur"))]


async def _saisie(request: Request) -> dict[str, list[str]]:
    # Every value as typed, lists for checkboxes; files are not part of a step's answers.
    formulaire = await request.form()
    return {cle: [v for v in formulaire.getlist(cle) if isinstance(v, str)] for cle in formulaire.keys()}


SaisieDep = Annotated[dict[str, list[str]], Depends(_saisie)]


def version_de(saisie: dict[str, list[str]]) -> int:
    valeur = (saisie.get("version") or [""])[0]
    return int(valeur) if valeur.isdigit() else 0


def jour(horloge: Horloge) -> date:
    return jour_de(horloge())


def titres(guichet: Guichet) -> dict[str, str]:
    return {r.id: r.titre for r in guichet.base.regles}


def panneau(guichet: Guichet, donnees: dict[str, Any], reference: str, horloge: Horloge, etape: Optional[str] = None,
            saisie: Optional[dict[str, list[str]]] = None) -> tuple[Optional[dict], Optional[dict]]:
    """(le pré-diagnostic en direct, les totaux du budget) du brouillon, réponses en cours de frappe comprises."""
    aujourd_hui = jour(horloge)
    dossier, evaluation = brouillons.apercu(guichet, donnees, aujourd_hui, etape, saisie)
    if dossier is None or evaluation is None:
        return None, None
    commune = guichet.territoire.commune(dossier.projet.commune_insee)
    vue = prediagnostic.construire(evaluation, reference, titres(guichet), commune.epci_nom if commune else None)
    return vue, prediagnostic.totaux_du_budget(dossier, guichet.territoire, aujourd_hui)


def _options(table: dict[str, str], aides: Optional[dict[str, str]] = None) -> list[dict[str, str]]:
    return [{"valeur": v, "libelle": t, "aide": (aides or {}).get(v, "")} for v, t in table.items()]


CHOIX = {
    "porteur.type": _options(libelles.LIBELLES_PORTEURS),
    "porteur.taille": _options(libelles.LIBELLES_TAILLES),
    "porteur.rayonnement": _options(libelles.LIBELLES_RAYONNEMENTS),
    "projet.nature": _options(libelles.LIBELLES_NATURES),
    "projet.secteur": _options(libelles.LIBELLES_SECTEURS),
    "projet.hebergement_type": _options(libelles.LIBELLES_HEBERGEMENTS),
    "projet.envergure": _options(libelles.LIBELLES_ENVERGURES),
    "projet.clienteles": _options(libelles.LIBELLES_CLIENTELES, libelles.AIDES_CLIENTELES),
    "projet.thematiques": _options(libelles.LIBELLES_THEMATIQUES, libelles.AIDES_THEMATIQUES),
    "projet.labels": _options(libelles.LIBELLES_LABELS, libelles.AIDES_LABELS),
    "financeurs": _options(libelles.NOMS_FINANCEURS),
    "statuts_financement": _options({"sollicite": "Sollicitée", "acquis": "Acquise"}),
}


def contexte_commun(reference: str) -> dict[str, Any]:
    return {"reference": reference, "choix": CHOIX, "libelles": libelles.CHAMPS, "titres_etapes":
            libelles.TITRES_ETAPES, "etapes": etapes.ETAPES, "conditions": etapes.CONDITIONS, "ancre": etapes.ancre}
