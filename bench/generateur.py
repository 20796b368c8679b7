"""Des dossiers réalistes et valides (contrat public, shared/contract.md), tirés d'une graine fixe.

Chaque dossier est d'abord tiré complet (tous les champs renseignés, y compris la taille,
le rayonnement et les aides de minimis pour tous les porteurs : les règles ne les lisent
qu'avec le type de porteur), puis une copie « réaliste » oublie chaque champ facultatif avec
une probabilité de 10 % (absent ou `null`, moitié-moitié). Les communes sont de vrais codes
INSEE du fichier du territoire, tirés surtout en Lys Artois, puis dans le reste du
Pas-de-Calais, puis dans le Nord ; les SIRET ont des clés de Luhn valides.
"""
import json
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Iterator

from stdnum import luhn

from forms.valeurs import (
    FINANCEURS,
    Clientele,
    Envergure,
    Label,
    Rayonnement,
    Secteur,
    Taille,
    Thematique,
    TypeHebergement,
    valeurs,
)

GRAINE = 20251122
TERRITOIRE = Path(__file__).resolve().parent.parent / "instruction" / "data" / "territoire.json"
EPCI_LYS_ARTOIS = ("200072460", "245900758")  # CABBALR, CC Flandre Lys
PART_INCONNUE = 0.10

# Where projects come from: (share, filter on (département, EPCI)).
_ZONES = (
    (0.45, lambda dep, epci: epci in EPCI_LYS_ARTOIS),
    (0.25, lambda dep, epci: dep == "62" and epci not in EPCI_LYS_ARTOIS),
    (0.20, lambda dep, epci: dep == "59" and epci not in EPCI_LYS_ARTOIS),
    (0.10, lambda dep, epci: dep not in ("59", "62")),
)
_PORTEURS = {  # type: (weight, SIREN prefix, name pattern)
    "commune": (20, "21", "Commune de {ville}"),
    "epci": (8, "20", "Communauté de communes de {ville}"),
    "departement": (2, "22", "Département"),
    "syndicat_mixte": (4, "25", "Syndicat mixte de {ville}"),
    "etablissement_public": (4, "18", "Établissement public de {ville}"),
    "association": (20, "7", "Association Les Amis de {ville}"),
    "entreprise": (30, "8", "SARL {ville} Tourisme"),
    "particulier": (7, None, "M. ou Mme {ville}"),
    "office_de_tourisme": (4, "3", "Office de tourisme de {ville}"),
    "adrt": (1, "3", "Agence de développement touristique"),
}
_NATURES = {"investissement": 45, "etude": 15, "ingenierie": 8, "evenementiel": 15, "fonctionnement": 8,
            "promotion": 9}
_TITRES = {
    "hebergement": "Création d'un hébergement ({hebergement}) à {ville}",
    "activite": "Nouvelle activité de loisirs à {ville}",
    "accueil": "Point d'accueil touristique de {ville}",
    "restauration": "Guinguette et restauration de {ville}",
    "mobilite": "Location de vélos et navettes à {ville}",
    "services": "Services aux visiteurs de {ville}",
}
# Fields a holder may leave empty (the reference never is: it names the dossier).
OUBLIABLES = (
    (None, "date_depot"),
    ("porteur", "nom"), ("porteur", "type"), ("porteur", "siret"), ("porteur", "taille"),
    ("porteur", "rayonnement"), ("porteur", "aides_minimis_3_ans"), ("porteur", "activite_economique"),
    ("projet", "titre"), ("projet", "description"), ("projet", "commune_insee"), ("projet", "nature"),
    ("projet", "secteur"), ("projet", "hebergement_type"), ("projet", "clienteles"), ("projet", "thematiques"),
    ("projet", "transition_ecologique"), ("projet", "diagnostic_environnemental"), ("projet", "accessibilite"),
    ("projet", "labels"), ("projet", "date_debut_travaux"), ("projet", "envergure"),
    ("budget", "cout_total_ht"), ("budget", "depenses_investissement"), ("budget", "montant_sollicite"),
    ("budget", "financements"),
)


def _communes() -> tuple[list[list[str]], dict[str, str]]:
    """Par zone de tirage : les codes INSEE, et les noms des communes (code → nom)."""
    donnees = json.loads(TERRITOIRE.read_text(encoding="utf-8"))
    communes = donnees["communes"]  # code -> [nom, département, EPCI]
    return [sorted(code for code, (_, dep, epci) in communes.items() if filtre(dep, epci))
            for _, filtre in _ZONES], {code: v[0] for code, v in communes.items()}


def _siret(rng: random.Random, prefixe: str) -> str:
    while True:
        siren = prefixe + "".join(rng.choice("0123456789") for _ in range(8 - len(prefixe)))
        siren += luhn.calc_check_digit(siren)
        if siren != "356000000":  # La Poste's SIREN has its own SIRET rule
            break
    nic = "".join(rng.choice("0123456789") for _ in range(4))
    return siren + nic + luhn.calc_check_digit(siren + nic)


def _sous_liste(rng: random.Random, possibles: tuple[str, ...], maxi: int) -> list[str]:
    return rng.sample(possibles, rng.randint(0, maxi))


def _montant(rng: random.Random, mini: float, maxi: float) -> int:
    return int(round(mini * (maxi / mini) ** rng.random(), -2))  # log-uniform, to the hundred euros


class Generateur:
    def __init__(self, graine: int = GRAINE):
        self.rng = random.Random(graine)
        self.zones, self.noms = _communes()

    def complet(self, numero: int) -> dict[str, Any]:
        rng = self.rng
        zone = rng.choices(self.zones, weights=[p for p, _ in _ZONES])[0]
        insee = rng.choice(zone)
        ville = self.noms[insee]
        type_porteur = rng.choices(list(_PORTEURS), weights=[p[0] for p in _PORTEURS.values()])[0]
        _, prefixe, nom = _PORTEURS[type_porteur]
        depot = date(2025, 1, 2) + timedelta(days=rng.randrange(3 * 365 - 10))
        if rng.random() < 0.03:
            depot = date(2024, 1, 2) + timedelta(days=rng.randrange(360))  # before the contract
        debut = depot + timedelta(days=rng.randint(-90, 400) if rng.random() < 0.2 else rng.randint(15, 400))
        nature = rng.choices(list(_NATURES), weights=list(_NATURES.values()))[0]
        secteur = rng.choice(valeurs(Secteur))
        hebergement = rng.choice(valeurs(TypeHebergement))
        cout = _montant(rng, 3_000, 3_000_000)
        sollicite = int(round(cout * rng.uniform(0.05, 0.6), -2))
        financements = []
        for financeur in rng.sample(FINANCEURS, rng.choices((0, 1, 2, 3), weights=(3, 4, 2, 1))[0]):
            financements.append({"financeur": financeur, "montant": int(round(cout * rng.uniform(0.05, 0.3), -2)),
                                 "statut": rng.choice(("sollicite", "acquis"))})
        return {
            "reference": f"BENCH-{depot.year}-{numero:06d}",
            "date_depot": depot.isoformat(),
            "porteur": {
                "nom": nom.format(ville=ville),
                "type": type_porteur,
                "siret": _siret(rng, prefixe) if prefixe else None,
                "taille": rng.choice(valeurs(Taille)),
                "rayonnement": rng.choice(valeurs(Rayonnement)),
                "aides_minimis_3_ans": _montant(rng, 1_000, 400_000) if rng.random() < 0.7 else 0,
                "activite_economique": rng.random() < 0.5,
            },
            "projet": {
                "titre": _TITRES[secteur].format(ville=ville, hebergement=hebergement.replace("_", " ")),
                "description": f"Projet {nature} du secteur {secteur} porté à {ville}.",
                "commune_insee": insee,
                "nature": nature,
                "secteur": secteur,
                "hebergement_type": hebergement,
                "clienteles": _sous_liste(rng, valeurs(Clientele), 3),
                "thematiques": _sous_liste(rng, valeurs(Thematique), 4),
                "transition_ecologique": rng.random() < 0.4,
                "diagnostic_environnemental": rng.random() < 0.25,
                "accessibilite": rng.random() < 0.5,
                "labels": _sous_liste(rng, valeurs(Label), 2),
                "date_debut_travaux": debut.isoformat(),
                "envergure": rng.choice(valeurs(Envergure)),
            },
            "budget": {
                "cout_total_ht": cout,
                "depenses_investissement": int(round(cout * rng.uniform(0.3, 1.0), -2)),
                "montant_sollicite": sollicite,
                "financements": financements,
            },
        }

    def realiste(self, complet: dict[str, Any]) -> dict[str, Any]:
        """Une copie où chaque champ facultatif est inconnu avec une probabilité de 10 %."""
        rng = self.rng
        copie = {k: (dict(v) if isinstance(v, dict) else v) for k, v in complet.items()}
        for bloc, champ in OUBLIABLES:
            if rng.random() >= PART_INCONNUE:
                continue
            cible = copie if bloc is None else copie[bloc]
            if rng.random() < 0.5:
                cible.pop(champ, None)
            else:
                cible[champ] = None
        return copie

    def paires(self, nombre: int) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
        """(complet, réaliste) pour chaque dossier, dans un ordre fixé par la graine."""
        for numero in range(1, nombre + 1):
            complet = self.complet(numero)
            yield complet, self.realiste(complet)


def generer(nombre: int, graine: int = GRAINE) -> tuple[list[dict], list[dict]]:
    """Deux listes alignées : les dossiers complets et leurs versions réalistes."""
    complets, realistes = [], []
    for c, r in Generateur(graine).paires(nombre):
        complets.append(c)
        realistes.append(r)
    return complets, realistes
