"""Le cas d'usage de la page d'administration « Impact d'un changement de règles » (`/admin/impact`) : les versions
de règles qu'on peut comparer, et tous les dossiers de la base jugés sous deux d'entre elles.

Une version est soit celle des fichiers de règles du serveur (`EN_VIGUEUR`), soit une version déjà employée par une
évaluation enregistrée (ses fichiers sont conservés en base), nommée par son empreinte (`sha256:…`). La comparaison
est celle de `guichet rules impact` (`instruction.evaluation.impact.mesurer_impact`) ; rien n'est enregistré.
"""
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Optional

from instruction import acces
from instruction.acces import Agent
from instruction.dossiers.services import base_de_version, donnees_des_dossiers
from instruction.erreurs import SaisieRefusee, VersionReglesInconnue
from instruction.evaluation.guichet import Guichet
from instruction.evaluation.impact import mesurer_impact
from instruction.ports import UniteDeTravail
from rules.base import BaseDeRegles

EN_VIGUEUR = "en_vigueur"


@dataclass(frozen=True)
class VersionEmployee:
    empreinte: str  # the rule files' fingerprint (12 hex digits)
    evaluations: int
    premiere: datetime
    derniere: datetime

    @property
    def code(self) -> str:
        return f"sha256:{self.empreinte}"


def empreinte_de(version_regles: str) -> str:
    """« sha256:<empreinte des fichiers>/<règles en vigueur>@<date> » → l'empreinte des fichiers."""
    return version_regles.removeprefix("sha256:").split("/")[0].split("@")[0]


def versions_employees(uow: UniteDeTravail, agent: Agent) -> list[VersionEmployee]:
    """Les versions de règles des évaluations enregistrées, de la plus récemment employée à la plus ancienne."""
    acces.verifier(agent, "mesurer_impact")
    vues: dict[str, list] = {}
    with uow:
        for resume in uow.dossiers.lister():
            dossier = uow.dossiers.obtenir(resume.reference)
            for evaluation in dossier.evaluations if dossier is not None else ():
                vue = vues.setdefault(empreinte_de(evaluation.version_regles), [0, evaluation.quand, evaluation.quand])
                vue[0] += 1
                vue[1], vue[2] = min(vue[1], evaluation.quand), max(vue[2], evaluation.quand)
    versions = [VersionEmployee(e, n, premiere, derniere) for e, (n, premiere, derniere) in vues.items()]
    return sorted(versions, key=lambda v: v.derniere, reverse=True)


def _base(uow: UniteDeTravail, courante: BaseDeRegles, choix: str, champ: str) -> BaseDeRegles:
    choix = choix.strip()
    if not choix:
        raise SaisieRefusee(champ, "choisissez une version des règles")
    if choix == EN_VIGUEUR or empreinte_de(choix) == courante.empreinte:
        return courante
    if not choix.startswith("sha256:"):
        raise SaisieRefusee(champ, f"« {choix[:40]} » n'est pas une version des règles (sha256:…)")
    try:
        return base_de_version(uow, choix)
    except VersionReglesInconnue:
        raise SaisieRefusee(champ, f"version inconnue « {choix[:40]} » : aucune évaluation enregistrée ne l'a "
                                   "employée") from None


def mesurer(uow: UniteDeTravail, agent: Agent, guichet: Guichet, avant: str, apres: str,
            jour: Optional[date] = None) -> dict[str, Any]:
    """L'impact sur tous les dossiers de la base, jugés à leur date de dépôt (ou à `jour`) sous `avant` puis sous
    `apres` ; `guichet` porte les règles en vigueur du serveur et le territoire."""
    acces.verifier(agent, "mesurer_impact")
    base_avant = _base(uow, guichet.base, avant, "avant")
    base_apres = _base(uow, guichet.base, apres, "apres")
    dossiers = donnees_des_dossiers(uow, agent)
    # The Python evaluator: the reference engine, and the cheapest to build for a version read from the database.
    juge_avant = Guichet(base_avant, guichet.territoire, moteur="python")
    juge_apres = Guichet(base_apres, guichet.territoire, moteur="python")
    impact = mesurer_impact(list(juge_avant.evaluer_lot(dossiers, jour)), list(juge_apres.evaluer_lot(dossiers, jour)))
    return {**impact, "date": jour,
            "versions": {"avant": {"regles": f"sha256:{base_avant.empreinte}", "source": avant},
                         "apres": {"regles": f"sha256:{base_apres.empreinte}", "source": apres}}}
