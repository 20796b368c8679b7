"""Les données de démonstration : des dossiers tirés des projets des textes, à divers stades, et une
réunion du comité technique Lys Artois avec son ordre du jour.

Tout passe par les cas d'usage, avec une horloge de 2025 : l'historique montré est celui qu'une
vraie instruction aurait laissé. Charger deux fois ne duplique rien.
"""
import copy
import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Callable

from instruction.acces import Agent
from instruction.comite import services as services_comite
from instruction.dossiers import services
from instruction.evaluation.guichet import Guichet
from instruction.ports import UniteDeTravail

EXEMPLES = Path(__file__).resolve().parent.parent / "examples" / "dossiers.json"
COMITE = "lys_artois-2025-12-11"
JOUR_COMITE = date(2025, 12, 11)
# The demo's people; the holder's account owns the dossiers it files (see api/cli and the README's accounts).
PORTEUR = Agent("porteur@demo.guichet.fr", "porteur", nom="Porteur de projet (démonstration)")
INSTRUCTRICE = Agent("instructeur@demo.guichet.fr", "instructeur", nom="Claire Martin (Région, service tourisme)")
SECRETARIAT = Agent("instructeur@demo.guichet.fr", "instructeur", nom="Secrétariat du comité technique Lys Artois")
COMITE_TECHNIQUE = Agent("instructeur@demo.guichet.fr", "instructeur", nom="Comité technique Lys Artois")
# Examined by the meeting, in this order; LA-2025-007 and LA-2025-028 share a holder on purpose.
ORDRE_DU_JOUR = ("LA-2025-001", "LA-2025-002", "LA-2025-005", "LA-2025-007", "LA-2025-011", "LA-2025-013",
                 "LA-2025-018", "LA-2025-019", "LA-2025-020", "LA-2025-028")
PREMIER, DERNIER = "LA-2025-023", "LA-2026-012"  # the first and the last dossier the demo files


class _Horloge:
    """Une horloge de démonstration qui avance d'une heure à chaque lecture."""

    def __init__(self, debut: datetime):
        self.instant = debut

    def __call__(self) -> datetime:
        self.instant += timedelta(hours=1)
        return self.instant

    def aller_au(self, jour: date) -> Callable[[], datetime]:
        self.instant = max(self.instant, datetime(jour.year, jour.month, jour.day, 8, tzinfo=timezone.utc))
        return self


def _depot(dossier: dict) -> date:
    return date.fromisoformat(dossier["date_depot"])


def _exemples() -> dict[str, dict]:
    return {d["reference"]: d for d in json.loads(EXEMPLES.read_text(encoding="utf-8"))}


def etat(uow: UniteDeTravail) -> str:
    """« absente », « complete » (le dernier pas, le brouillon, est là) ou « partielle » (un chargement interrompu)."""
    with uow:
        if uow.dossiers.obtenir(DERNIER) is not None:
            return "complete"
        return "partielle" if uow.dossiers.obtenir(PREMIER) is not None else "absente"


def charger(uow: UniteDeTravail, guichet: Guichet, controles: dict) -> list[str]:
    """Charge la démonstration ; renvoie ce qui a été fait, une ligne par étape."""
    ex, h, journal = _exemples(), _Horloge(datetime(2025, 1, 6, 8, tzinfo=timezone.utc)), []
    _hors_comite(uow, guichet, ex, h)
    journal.append("5 dossiers hors comité : déposés, en instruction (une correction à revoir), avis rendu, "
                   "classé sans suite")
    _comite(uow, guichet, controles, ex, h)
    journal.append(f"comité {COMITE} : {len(ORDRE_DU_JOUR) + 1} dossiers à l'ordre du jour, évalués, "
                   f"{len(ENVELOPPES)} enveloppes ; décisions enregistrées pour LA-2025-001 et LA-2025-038")
    journal.append(comptes_de_demonstration(uow))
    journal.append(_parcours_du_porteur(uow, h.aller_au(date(2026, 1, 5))))
    incomplet = copy.deepcopy(ex["LA-2026-012"])
    incomplet["projet"].update(clienteles=None, labels=None)
    services.deposer(uow, guichet, incomplet, PORTEUR, brouillon=True,
                     horloge=h.aller_au(date(2026, 1, 12)))
    journal.append("1 brouillon incomplet (LA-2026-012)")
    return journal


def _hors_comite(uow: UniteDeTravail, guichet: Guichet, ex: dict[str, dict], h: _Horloge) -> None:
    """Des dossiers à d'autres stades de leur vie, dans l'ordre de leur dépôt."""
    services.deposer(uow, guichet, ex["LA-2025-023"], PORTEUR, horloge=h.aller_au(_depot(ex["LA-2025-023"])))
    _a_revoir(uow, guichet, ex["LA-2025-003"], h)
    services.deposer(uow, guichet, ex["LA-2025-030"], PORTEUR, horloge=h.aller_au(_depot(ex["LA-2025-030"])))
    for ref, vers in (("LA-2025-014", "classe_sans_suite"), ("LA-2025-004", "avis_rendu")):
        services.deposer(uow, guichet, ex[ref], PORTEUR, horloge=h.aller_au(_depot(ex[ref])))
        services.changer_etat(uow, ref, "en_instruction", INSTRUCTRICE, "prise en charge par le service", h)
        services.evaluer(uow, guichet, ref, INSTRUCTRICE, horloge=h)
        motif = ("avis technique rendu au porteur" if vers == "avis_rendu"
                 else "le porteur retire sa demande : l'assistance à maîtrise d'ouvrage sera autofinancée")
        services.changer_etat(uow, ref, vers, INSTRUCTRICE, motif, h)


def _comite(uow: UniteDeTravail, guichet: Guichet, controles: dict, ex: dict[str, dict], h: _Horloge) -> None:
    """La liste de la réunion : importée (déposée, instruite, avis rendu, inscrite), évaluée, décidée."""
    agenda = [copy.deepcopy(ex[r]) for r in ORDRE_DU_JOUR]
    doublon = copy.deepcopy(ex["LA-2025-019"])
    doublon.update(reference="LA-2025-038", date_depot="2025-10-27")
    doublon["projet"]["titre"] = "Aire de services pour camping-cars – halte d'Isbergues"
    agenda.append(doublon)  # the same project filed twice under two titles: the comité must see it
    services_comite.creer_comite(uow, guichet.territoire, SECRETARIAT, JOUR_COMITE, "lys_artois", COMITE)
    services_comite.importer(uow, guichet, COMITE, agenda, SECRETARIAT, horloge=h.aller_au(date(2025, 11, 24)))
    services.corriger(uow, "LA-2025-018", "statut", "region_prit", "eligible",
                      "Hôtel d'affaires face à la gare TGV : l'envergure régionale est établie (clientèle affaires "
                      "de toute la région), à confirmer en comité.", INSTRUCTRICE, h)
    services_comite.evaluer_comite(uow, guichet, controles, COMITE, SECRETARIAT, horloge=h.aller_au(JOUR_COMITE))
    services_comite.noter_presence(uow, COMITE, {
        "Conseil Régional": ("Claire Martin", True), "Hauts de France Tourisme": ("Julien Lefebvre", True),
        "Département du Pas-de-Calais": ("Sophie Dumont", True), "Pas-de-Calais Tourisme": ("Marc Delattre", True),
        "Département du Nord": ("", False), "Office de Tourisme de Béthune-Bruay et CABBALR": ("Anne Caron", True),
        "Office de Tourisme Flandre Lys et CCFL": ("Paul Vasseur", True)}, SECRETARIAT)
    _enveloppes(uow)
    services_comite.decider(uow, COMITE, "LA-2025-001", {"region_hdf": "favorable", "departement_62": "favorable"},
                            "Projet prioritaire du plan d'actions ; plan de financement confirmé en séance.",
                            COMITE_TECHNIQUE, h,
                            montants={"region_hdf": Decimal(54000), "departement_62": Decimal(40000)})
    services_comite.decider(uow, COMITE, "LA-2025-038", {"region_hdf": "ajourne"},
                            "Doublon probable de LA-2025-019 : le porteur confirmera s'il s'agit d'un seul projet.",
                            COMITE_TECHNIQUE, h)


# The meeting's budget envelopes. No source text gives Lys Artois figures: three are demonstration amounts, said
# so; the fourth is a real figure of 003 (CA de La Porte du Hainaut's accommodation scheme), shown as such.
ENVELOPPES = (
    ("region_hdf", "Contrat de destination Lys Artois — investissement", "250000",
     "Montant de démonstration : aucun texte source ne chiffre l'enveloppe du contrat."),
    ("departement_62", "#Destination 62 — projets d'initiative publique", "150000",
     "Montant de démonstration : la délibération du 25 mars 2024 n'est pas dans les textes sources."),
    ("leader", "GAL Lys Artois — LEADER", "120000", "Montant de démonstration."),
    ("epci", "Dispositif d'accompagnement des hébergeurs", "237000",
     "Fiche action de la CA de La Porte du Hainaut (003, axe 2, OS3) : 237 000 € pour 2023-2026 ; "
     "repris ici pour la démonstration."),
)


def _enveloppes(uow: UniteDeTravail) -> None:
    from instruction.comite import services_enveloppes  # envelopes arrived after the rest of the demo

    for financeur, dispositif, montant, source in ENVELOPPES:
        services_enveloppes.ajouter(uow, COMITE, SECRETARIAT, financeur, dispositif, Decimal(montant), source)


def _parcours_du_porteur(uow: UniteDeTravail, h: _Horloge) -> str:
    """Ce que le porteur de démonstration trouve dans /mes-dossiers, en plus de son brouillon : une demande de
    compléments en attente sur un dossier déposé, et un échange de messages avec l'instructrice."""
    from instruction.dossiers import complements, messages  # the holder's journey arrived after the rest of the demo

    reference = "LA-2025-030"
    messages.ecrire_message(uow, reference, "Bonjour, le devis de l'architecte est-il attendu avec le dossier ?",
                            PORTEUR, h)
    messages.ecrire_message(uow, reference, "Bonjour, oui : joignez-le en réponse à la demande de compléments que "
                            "je vous envoie, avec le plan de financement à jour.", INSTRUCTRICE, h)
    complements.demander_complements(
        uow, reference, ["budget.financements", "projet.date_debut_travaux", "pieces"],
        "Merci de préciser le plan de financement (montants obtenus ou demandés auprès des autres financeurs), la date "
        "de début des travaux, et de joindre le devis de l'architecte.", INSTRUCTRICE, h)
    return f"{reference} : une demande de compléments en attente et deux messages (porteur@demo.guichet.fr)"


def _a_revoir(uow: UniteDeTravail, guichet: Guichet, dossier: dict, h: _Horloge) -> None:
    """Une correction faite sur un dossier incomplet, que le dossier complété remet en question."""
    incomplet = copy.deepcopy(dossier)
    incomplet["projet"]["clienteles"] = None
    ref = dossier["reference"]
    services.deposer(uow, guichet, incomplet, PORTEUR, horloge=h.aller_au(_depot(dossier)))
    services.changer_etat(uow, ref, "en_instruction", INSTRUCTRICE, "prise en charge par le service", h)
    services.evaluer(uow, guichet, ref, INSTRUCTRICE, horloge=h)
    services.corriger(uow, ref, "avis", None, "favorable_sous_reserve",
                      "Clientèle familiale évidente pour un parc d'hébergements insolites : avis favorable sous "
                      "réserve de la confirmation des clientèles visées.", INSTRUCTRICE, h)
    services.modifier(uow, guichet, dossier, PORTEUR, horloge=h)
    services.evaluer(uow, guichet, ref, INSTRUCTRICE, horloge=h)  # the computation moves: the correction is flagged


MOT_DE_PASSE_DEMO = "demo-guichet-2025"  # documented in the README and printed by `make run`: demo data only


def comptes_de_demonstration(uow: UniteDeTravail) -> str:
    """Un compte par rôle, au mot de passe de démonstration ; ceux qui existent déjà sont laissés tels quels."""
    from instruction.comptes import services as services_comptes  # accounts arrived after the rest of the demo
    from instruction.erreurs import SaisieRefusee

    admin = Agent.local("démonstration")
    comptes = ((PORTEUR.id, "porteur", PORTEUR.nom, ()),
               (INSTRUCTRICE.id, "instructeur", INSTRUCTRICE.nom, ()),
               ("membre@demo.guichet.fr", "membre_comite", "Membre du comité technique (démonstration)", (COMITE,)),
               ("admin@demo.guichet.fr", "admin", "Administrateur (démonstration)", ()))
    existants = {c.email for c in services_comptes.lister_comptes(uow, admin)}
    for email, role, nom, comites in comptes:
        if email not in existants:
            for erreur in services_comptes.creer_compte(uow, admin, email, role, MOT_DE_PASSE_DEMO, nom, comites):
                raise SaisieRefusee(erreur.champ, f"compte de démonstration {email} : {erreur.message}")
    return (f"{len(comptes)} comptes de démonstration ({', '.join(c[0] for c in comptes)}), "
            f"mot de passe « {MOT_DE_PASSE_DEMO} »")
