"""Les contrôles croisés d'une réunion du comité : ce que seule la liste entière des dossiers montre.

Le moteur de règles rapproche les dossiers (jointures sur le SIREN, la commune, les montants…)
avec tous les dossiers de la réunion comme faits d'une même session ; ce module prépare ces
faits, puis lit les rapprochements : porteur en double, projet en double, cumul de minimis
d'une entreprise, total demandé à chaque financeur. Le sens de chaque contrôle et sa source
sont des données (`data/controles_comite.yaml`).
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

import yaml

from forms.dossier import Dossier, montant_exact
from forms.libelles import euros
from forms.valeurs import FINANCEURS
from instruction.documents.financement import demandes_detaillees
from instruction.evaluation.territoire import DOSSIER_DONNEES, LecteurDonnees, Territoire
from rules.jointures import Jointure
from rules.regle import Source
from rules.yaml_strict import lire_yaml

FICHIER = DOSSIER_DONNEES / "controles_comite.yaml"
Apparieur = Callable[[Sequence[Jointure], Sequence[dict[str, Any]]], dict[str, list[tuple[int, int]]]]

PORTEUR_EN_DOUBLE = "comite.porteur_en_double"
PROJET_EN_DOUBLE = "comite.projet_en_double"
MINIMIS = "comite.minimis_cumul"
HORS_TERRITOIRE = "comite.hors_territoire"
DEPOSE_APRES = "comite.depose_apres"
DEMANDES = "comite.demandes_par_financeur"
_GRAVITES = ("information", "alerte")

JOINTURES = (
    Jointure(PORTEUR_EN_DOUBLE, ("dossier", "dossier"), (("siren", "siren"),)),
    Jointure(PROJET_EN_DOUBLE, ("dossier", "dossier"),
             (("commune", "commune"), ("nature", "nature"), ("cout", "cout"), ("sollicite", "sollicite"))),
    Jointure(MINIMIS, ("dossier", "dossier"), (("siren", "siren"),),
             ((("type", "entreprise"),), (("type", "entreprise"),))),
    Jointure(DEMANDES, ("financeur", "demande"), (("code", "financeur"),)),
)


@dataclass(frozen=True)
class Plafond:
    montant: int
    du: date
    au: date
    source: Source


@dataclass(frozen=True)
class Controle:
    id: str
    titre: str
    gravite: str
    message: str
    interpretation: bool
    source: Optional[Source]
    plafonds: tuple[Plafond, ...] = ()
    fichier: str = FICHIER.name

    def sources(self) -> tuple[Source, ...]:
        return ((self.source,) if self.source else ()) + tuple(p.source for p in self.plafonds)


def charger_controles(fichier: Path = FICHIER) -> dict[str, Controle]:
    lecteur = LecteurDonnees(fichier)
    try:
        brut = lire_yaml(fichier.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise lecteur.erreur("", f"fichier illisible : {exc}") from None
    entrees = lecteur.cle(brut, "controles", dict, "")
    attendus = {PORTEUR_EN_DOUBLE, PROJET_EN_DOUBLE, MINIMIS, HORS_TERRITOIRE, DEPOSE_APRES}
    if set(entrees) != attendus:
        raise lecteur.erreur("", f"contrôles attendus : {', '.join(sorted(attendus))} ; "
                                 f"trouvés : {', '.join(sorted(map(str, entrees)))}")
    controles = {}
    for cid, d in entrees.items():
        ou = f"contrôle {cid}"
        gravite = lecteur.cle(d, "gravite", str, ou)
        if gravite not in _GRAVITES:
            raise lecteur.erreur(ou, f"gravité « {gravite} » inconnue ; possibles : {', '.join(_GRAVITES)}")
        plafonds = tuple(
            Plafond(lecteur.cle(p, "montant", int, f"{ou}, plafond"),
                    lecteur.jour(lecteur.cle(p, "en_vigueur", dict, f"{ou}, plafond"), "du", f"{ou}, plafond"),
                    lecteur.jour(p["en_vigueur"], "au", f"{ou}, plafond"),
                    lecteur.source(lecteur.cle(p, "source", dict, f"{ou}, plafond"), f"{ou}, plafond"))
            for p in lecteur.cle(d, "plafonds", list, ou, []))
        source = lecteur.cle(d, "source", dict, ou, None)
        if source is None and not plafonds:
            raise lecteur.erreur(ou, "une source (ou des plafonds sourcés) est obligatoire")
        controles[cid] = Controle(
            id=cid, titre=lecteur.cle(d, "titre", str, ou), gravite=gravite,
            message=" ".join(lecteur.cle(d, "message", str, ou).split()),
            interpretation=lecteur.cle(d, "interpretation", bool, ou),
            source=lecteur.source(source, ou) if source else None, plafonds=plafonds)
    return controles


@dataclass(frozen=True)
class Citation:
    """Une source d'un contrôle, sous la forme qu'attend la vérification des citations des règles."""
    id: str
    source: Source
    fichier: str


def citations(controles: dict[str, Controle]) -> list[Citation]:
    return [Citation(c.id, s, c.fichier) for c in controles.values() for s in c.sources()]


def faits_du_comite(dossiers: Sequence[Dossier]) -> list[dict[str, Any]]:
    """Les faits d'une réunion : un par dossier, un par demande à un financeur, un par financeur."""
    faits: list[dict[str, Any]] = []
    for position, d in enumerate(dossiers):
        siren = d.porteur.siren
        faits.append({"sorte": "dossier", "position": position, "siren": siren,
                      "type": d.porteur.type, "commune": d.projet.commune_insee, "nature": d.projet.nature,
                      "cout": d.budget.cout_total_ht, "sollicite": d.budget.montant_sollicite})
        # The amount asked through the guichet is the request to the Région; a region_hdf line of the plan is
        # that same request, counted once.
        faits.extend({"sorte": "demande", "position": position, "financeur": financeur, "montant": montant,
                      "statut": statut} for financeur, statut, montant in demandes_detaillees(d))
    faits.extend({"sorte": "financeur", "code": f} for f in FINANCEURS)
    return faits


def _groupes(paires: list[tuple[int, int]]) -> list[list[int]]:
    """Les composantes connexes des paires : trois dossiers d'un même porteur font un seul groupe."""
    parent: dict[int, int] = {}

    def racine(i: int) -> int:
        while parent.setdefault(i, i) != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in paires:
        parent[racine(i)] = racine(j)
    groupes: dict[int, list[int]] = {}
    for i in parent:
        groupes.setdefault(racine(i), []).append(i)
    return sorted(sorted(g) for g in groupes.values())


def controler(dossiers: Sequence[Dossier], jour: date, apparier: Apparieur, controles: dict[str, Controle],
              territoire: Optional[Territoire] = None,
              contrat: Optional[str] = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(constats croisés, total demandé à chaque financeur) pour les dossiers valides d'une réunion ;
    `controles` : leur sens et leurs sources, chargés par qui câble l'application (`charger_controles`) ;
    avec le territoire et le contrat de la réunion, les dossiers qu'elle ne peut pas examiner sont signalés."""
    faits = faits_du_comite(dossiers)
    paires = apparier(JOINTURES, faits)
    constats = []
    for cid in (PROJET_EN_DOUBLE, MINIMIS, PORTEUR_EN_DOUBLE):
        for groupe in _groupes(paires.get(cid, [])):
            membres = [dossiers[faits[i]["position"]] for i in groupe]
            constat = _constat(controles[cid], membres, jour)
            if constat:
                constats.append(constat)
    if territoire is not None and contrat:
        constats += _hors_de_la_reunion(dossiers, jour, controles, territoire, contrat)
    return constats, _totaux(faits, paires.get(DEMANDES, []))


def _hors_de_la_reunion(dossiers: Sequence[Dossier], jour: date, controles: dict[str, Controle],
                        territoire: Territoire, contrat: str) -> list[dict[str, Any]]:
    """Les dossiers déposés après la réunion, et ceux dont la commune n'est pas sur le territoire du contrat
    à la date de la réunion (une commune inconnue n'est pas hors du territoire : l'évaluation la demande)."""
    apres = [d for d in dossiers if d.date_depot is not None and d.date_depot > jour]
    hors = [d for d in dossiers if d.projet.commune_insee
            and contrat not in territoire.contrats(d.projet.commune_insee, jour)]
    return [_constat_par_dossier(controles[cid], membres, jour)
            for cid, membres in ((DEPOSE_APRES, apres), (HORS_TERRITOIRE, hors)) if membres]


def _constat_par_dossier(controle: Controle, membres: list[Dossier], jour: date) -> dict[str, Any]:
    noms = ", ".join(m.reference for m in membres)
    return {"controle": controle.id, "titre": controle.titre, "gravite": controle.gravite,
            "dossiers": [m.reference for m in membres],
            "message": controle.message.format(dossiers_noms=noms, jour=f"{jour:%d/%m/%Y}"),
            "source": controle.source.en_json() if controle.source else None,
            "interpretation": controle.interpretation}


def _constat(controle: Controle, membres: list[Dossier], jour: date) -> Optional[dict[str, Any]]:
    premier = membres[0]
    valeurs: dict[str, Any] = {"nombre": len(membres), "siren": premier.porteur.siren or ""}
    source, gravite = controle.source, controle.gravite
    if controle.id == PROJET_EN_DOUBLE:
        titres = [m.projet.titre or "sans titre" for m in membres]
        valeurs.update(cout=euros(premier.budget.cout_total_ht), sollicite=euros(premier.budget.montant_sollicite),
                       titres=("identiques" if len(set(titres)) == 1 else "différents") + " (« "
                       + " », « ".join(titres) + " »)")
    elif controle.id == MINIMIS:
        plafond = next((p for p in controle.plafonds if p.du <= jour <= p.au), None)
        if plafond is None:
            return None  # no ceiling in force at the meeting's date: the texts say nothing
        demande = sum(montant_exact(m.budget.montant_sollicite) or Decimal(0) for m in membres)
        connues = [m.porteur.aides_minimis_3_ans for m in membres if m.porteur.aides_minimis_3_ans is not None]
        # Each dossier declares the same past aid of the same company: count it once, the largest.
        anterieures = montant_exact(max(connues)) if connues else Decimal(0)
        cumul = demande + anterieures
        if cumul <= plafond.montant and connues:
            return None
        # Below the ceiling but with past aid undeclared: something to ask, not yet an alert.
        gravite = controle.gravite if cumul > plafond.montant else "information"
        valeurs.update(sollicite=euros(demande), plafond=euros(plafond.montant), cumul=euros(cumul),
                       anterieures=euros(anterieures) if connues else "non déclarées (0 € compté)")
        source = plafond.source
    return {
        "controle": controle.id, "titre": controle.titre, "gravite": gravite,
        "dossiers": [m.reference for m in membres], "message": controle.message.format(**valeurs),
        "source": source.en_json() if source else None, "interpretation": controle.interpretation,
    }


def _totaux(faits: list[dict[str, Any]], paires: list[tuple[int, int]]) -> list[dict[str, Any]]:
    totaux = {f: {"financeur": f, "dossiers": set(), "sollicite": Decimal(0), "acquis": Decimal(0)}
              for f in FINANCEURS}
    for i, j in paires:
        demande = faits[j]
        ligne = totaux[faits[i]["code"]]
        ligne["dossiers"].add(demande["position"])
        ligne[demande["statut"]] += montant_exact(demande["montant"])
    return [{**t, "dossiers": len(t["dossiers"])} for t in totaux.values()]
