"""Le territoire : communes, EPCI, contrats de destination et zones prioritaires.

Deux fichiers de `data/` : `territoire.json`, produit par `scripts/construire_territoire.py`
(découpage administratif officiel), et `contrats.yaml`, écrit à la main depuis les textes
sources. Tout est vérifié au chargement : une erreur de données doit arrêter le démarrage,
pas fausser un avis technique en silence.
"""
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Optional

import yaml

from rules.champs import CONTRATS, ZONES
from rules.regle import Source
from rules.yaml_strict import lire_yaml

DOSSIER_DONNEES = Path(__file__).resolve().parents[1] / "data"


class ErreurTerritoire(Exception):
    def __init__(self, fichier: Path | str, message: str):
        self.fichier = str(fichier)
        self.message = message
        super().__init__(f"{fichier} : {message}")


@dataclass(frozen=True)
class Commune:
    insee: str
    nom: str
    departement: str
    epci: Optional[str]
    epci_nom: Optional[str]


@dataclass(frozen=True)
class Contrat:
    id: str
    nom: str
    du: date
    au: date
    epci: tuple[str, ...]
    interpretation: bool
    source: Source
    note: str = ""
    autres_sources: tuple[Source, ...] = ()
    comite_technique: tuple[str, ...] = ()
    comite_technique_source: Optional[Source] = None

    def en_vigueur(self, jour: date) -> bool:
        return self.du <= jour <= self.au


@dataclass(frozen=True)
class Zone:
    id: str
    nom: str
    communes: frozenset[str]
    interpretation: bool
    source: Source
    note: str = ""


class LecteurDonnees:
    """Lit un fichier de données en nommant le fichier et l'objet fautif dans chaque erreur."""

    def __init__(self, fichier: Path):
        self.fichier = fichier

    def erreur(self, ou: str, message: str) -> ErreurTerritoire:
        return ErreurTerritoire(self.fichier, f"{ou} : {message}" if ou else message)

    def cle(self, d: Any, cle: str, attendu: type | tuple, ou: str, defaut: Any = ...) -> Any:
        if not isinstance(d, dict):
            raise self.erreur(ou, "un dictionnaire est attendu")
        if cle not in d:
            if defaut is ...:
                raise self.erreur(ou, f"champ « {cle} » manquant")
            return defaut
        valeur = d[cle]
        # bool est un int en Python : on ne laisse pas passer `true` là où un texte est attendu.
        if not isinstance(valeur, attendu) or (isinstance(valeur, bool) and attendu is not bool):
            raise self.erreur(ou, f"champ « {cle} » de type {type(valeur).__name__} inattendu")
        return valeur

    def jour(self, d: dict, cle: str, ou: str) -> date:
        valeur = self.cle(d, cle, (date, str), ou)
        if isinstance(valeur, str):
            try:
                return date.fromisoformat(valeur)
            except ValueError:
                raise self.erreur(ou, f"date « {cle} » invalide : {valeur!r}") from None
        if type(valeur) is not date:  # un datetime YAML porte une heure : ce n'est pas une date
            raise self.erreur(ou, f"date « {cle} » invalide : {valeur!r} (AAAA-MM-JJ)")
        return valeur

    def source(self, d: Any, ou: str) -> Source:
        champs = [self.cle(d, c, str, f"{ou}, source").strip()
                  for c in ("document", "reference", "extrait")]
        if not all(champs):
            raise self.erreur(f"{ou}, source", "document, reference et extrait sont obligatoires")
        return Source(*champs)


def _lire_territoire(fichier: Path) -> tuple[dict[str, Commune], dict[str, str], dict[str, str]]:
    try:
        brut = json.loads(fichier.read_text(encoding="utf-8"))
        departements = dict(brut["departements"])
        epci_noms = {siren: e["nom"] for siren, e in brut["epci"].items()}
        communes = {
            insee: Commune(insee, nom, departement, epci, epci_noms.get(epci) if epci else None)
            for insee, (nom, departement, epci) in brut["communes"].items()
        }
    except FileNotFoundError:
        raise ErreurTerritoire(
            fichier, "fichier absent : lancez scripts/construire_territoire.py") from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise ErreurTerritoire(fichier, f"format invalide ({type(e).__name__}: {e})") from None
    for c in communes.values():
        if c.epci and c.epci_nom is None:
            raise ErreurTerritoire(fichier, f"commune {c.insee} : EPCI {c.epci} inconnu")
    return communes, departements, epci_noms


class Territoire:
    def __init__(self, communes: dict[str, Commune], departements: dict[str, str],
                 epci_noms: dict[str, str], contrats: dict[str, Contrat], zones: dict[str, Zone]):
        self._communes = communes
        self._departements = departements
        self._epci_noms = epci_noms
        self._contrats = contrats
        self._zones = zones
        # Index précalculés : `contrats()` et `zones()` sont appelés pour chaque dossier évalué.
        self._contrats_par_epci: dict[str, list[Contrat]] = {}
        for contrat in contrats.values():
            for siren in contrat.epci:
                self._contrats_par_epci.setdefault(siren, []).append(contrat)
        zones_par_commune: dict[str, list[str]] = {}
        for zone in zones.values():
            for insee in zone.communes:
                zones_par_commune.setdefault(insee, []).append(zone.id)
        self._zones_par_commune = {insee: tuple(ids) for insee, ids in zones_par_commune.items()}

    @classmethod
    def charger(cls, dossier: Path | str = DOSSIER_DONNEES) -> "Territoire":
        dossier = Path(dossier)
        communes, departements, epci_noms = _lire_territoire(dossier / "territoire.json")
        lecteur = _LecteurContrats(dossier / "contrats.yaml", communes, epci_noms)
        contrats, zones = lecteur.lire()
        return cls(communes, departements, epci_noms, contrats, zones)

    def commune(self, insee: Optional[str]) -> Optional[Commune]:
        return self._communes.get(insee) if insee else None

    def departement_nom(self, code: str) -> Optional[str]:
        return self._departements.get(code)

    def epci_nom(self, siren: str) -> Optional[str]:
        return self._epci_noms.get(siren)

    def contrats(self, insee: Optional[str], jour: date) -> tuple[str, ...]:
        commune = self.commune(insee)
        if commune is None or commune.epci is None:
            return ()
        candidats = self._contrats_par_epci.get(commune.epci, ())
        return tuple(c.id for c in candidats if c.en_vigueur(jour))

    def zones(self, insee: Optional[str]) -> tuple[str, ...]:
        return self._zones_par_commune.get(insee, ()) if insee else ()

    def contrat(self, id: str) -> Contrat:
        return self._contrats[id]

    def contrats_tous(self) -> tuple[Contrat, ...]:
        return tuple(self._contrats.values())

    def zone(self, id: str) -> Zone:
        return self._zones[id]

    def zones_toutes(self) -> tuple[Zone, ...]:
        return tuple(self._zones.values())

    def communes_toutes(self) -> tuple[Commune, ...]:
        """Toutes les communes, par code INSEE (pour les listes et filtres par EPCI ou par nom)."""
        return tuple(self._communes[insee] for insee in sorted(self._communes))

    def noms_des_valeurs(self) -> dict[str, dict[str, str]]:
        """Les noms des valeurs des faits du territoire, pour dire une règle en français."""
        return {"territoire.contrats": {c.id: c.nom for c in self._contrats.values()},
                "territoire.zones": {z.id: z.nom for z in self._zones.values()},
                "territoire.epci": dict(self._epci_noms),
                "territoire.departement": {code: f"{nom} ({code})" for code, nom in self._departements.items()}}


class _LecteurContrats(LecteurDonnees):
    def __init__(self, fichier: Path, communes: dict[str, Commune], epci_noms: dict[str, str]):
        super().__init__(fichier)
        self.communes = communes
        self.epci_noms = epci_noms
        self.communes_par_epci: dict[str, set[str]] = {}
        for c in communes.values():
            self.communes_par_epci.setdefault(c.epci, set()).add(c.insee)

    def lire(self) -> tuple[dict[str, Contrat], dict[str, Zone]]:
        try:
            brut = lire_yaml(self.fichier.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise self.erreur("", "fichier absent") from None
        except (OSError, yaml.YAMLError) as e:
            raise self.erreur("", f"YAML illisible : {e}") from None
        if not isinstance(brut, dict):
            raise self.erreur("", "un dictionnaire avec les sections contrats et zones est attendu")
        inconnues = set(brut) - {"documents", "contrats", "zones"}
        if inconnues:
            raise self.erreur("", f"sections inconnues : {', '.join(sorted(inconnues))}")
        contrats = self._par_id(brut, "contrats", CONTRATS, self.contrat)
        zones = self._par_id(brut, "zones", ZONES, self.zone)
        return contrats, zones

    def _par_id(self, brut: Any, section: str, ids: tuple[str, ...], lire_un) -> dict:
        entrees = self.cle(brut, section, dict, "")
        inconnus = [i for i in entrees if i not in ids]
        if inconnus:
            raise self.erreur(f"{section} {', '.join(map(str, inconnus))}",
                              f"identifiant inconnu (rules/champs.py déclare : {', '.join(ids)})")
        manquants = [i for i in ids if i not in entrees]
        if manquants:  # un identifiant déclaré sans données ferait taire les règles qui le lisent
            raise self.erreur(f"{section} {', '.join(manquants)}",
                              "déclaré dans rules/champs.py mais absent")
        # L'ordre de rules/champs.py rend les tuples renvoyés stables d'un fichier à l'autre.
        return {i: lire_un(i, entrees[i]) for i in ids}

    def epci(self, d: dict, ou: str) -> tuple[str, ...]:
        sirens = []
        for e in self.cle(d, "epci", list, ou, []):
            siren = str(self.cle(e, "siren", (str, int), f"{ou}, epci"))
            attendu = self.epci_noms.get(siren)
            if attendu is None:
                raise self.erreur(ou, f"EPCI {siren} absent de territoire.json")
            nom = self.cle(e, "nom", str, f"{ou}, epci {siren}", attendu)
            if nom != attendu:
                raise self.erreur(
                    ou, f"EPCI {siren} : nom « {nom} », territoire.json dit « {attendu} »")
            if siren in sirens:
                raise self.erreur(ou, f"EPCI {siren} en double")
            sirens.append(siren)
        return tuple(sirens)

    def contrat(self, id: str, d: Any) -> Contrat:
        ou = f"contrat {id}"
        epci = self.epci(d, ou)
        # 001 : « ne peut être conclu qu'en associant au moins 2 intercommunalités »
        if len(epci) < 2:
            raise self.erreur(ou, f"{len(epci)} EPCI : un contrat en associe au moins 2")
        du, au = self.jour(d, "du", ou), self.jour(d, "au", ou)
        if du > au:
            raise self.erreur(ou, f"période vide : du {du} au {au}")
        comite = self.cle(d, "comite_technique", dict, ou, None)
        membres = self.cle(comite, "membres", list, f"{ou}, comite_technique") if comite else []
        if not all(isinstance(m, str) and m.strip() for m in membres):
            raise self.erreur(f"{ou}, comite_technique", "les membres sont des textes non vides")
        return Contrat(
            id=id, nom=self.cle(d, "nom", str, ou), du=du, au=au, epci=epci,
            interpretation=self.cle(d, "interpretation", bool, ou),
            source=self.source(self.cle(d, "source", dict, ou), ou),
            note=self.cle(d, "note", str, ou, "").strip(),
            autres_sources=tuple(
                self.source(s, ou) for s in self.cle(d, "autres_sources", list, ou, [])),
            comite_technique=tuple(membres),
            comite_technique_source=self.source(comite.get("source"), f"{ou}, comite_technique")
            if comite else None,
        )

    def zone(self, id: str, d: Any) -> Zone:
        ou = f"zone {id}"
        communes = {insee for siren in self.epci(d, ou)
                    for insee in self.communes_par_epci.get(siren, ())}
        for entree in self.cle(d, "communes", list, ou, []):
            insee = str(self.cle(entree, "insee", (str, int), f"{ou}, communes"))
            commune = self.communes.get(insee)
            if commune is None:
                raise self.erreur(ou, f"commune {insee} absente de territoire.json")
            nom = self.cle(entree, "nom", str, f"{ou}, commune {insee}", commune.nom)
            if nom != commune.nom:
                raise self.erreur(
                    ou, f"commune {insee} : nom « {nom} », territoire.json dit « {commune.nom} »")
            communes.add(insee)
        if not communes:
            raise self.erreur(ou, "aucune commune (donner epci et/ou communes)")
        return Zone(id=id, nom=self.cle(d, "nom", str, ou), communes=frozenset(communes),
                    interpretation=self.cle(d, "interpretation", bool, ou),
                    source=self.source(self.cle(d, "source", dict, ou), ou),
                    note=self.cle(d, "note", str, ou, "").strip())

