"""Les demandes de compléments : l'instructeur demande au porteur de compléter des champs nommés de son
dossier déposé ; le porteur les modifie, et seulement eux, puis renvoie son dossier.

L'historique garde la demande (qui, quand, quels champs, pourquoi), les données d'avant et d'après la
réponse, et la modification elle-même dans les transitions du dossier ; le dossier complété est réévalué.

    demande = demander_complements(uow, "LA-2025-014", ["budget.financements", "pieces"],
                                   "Joignez la délibération et précisez le plan de financement.",
                                   instructeur, horloge)
"""
from dataclasses import replace
from typing import Any, Iterable, Mapping, Optional

from forms.libelles import CHAMPS
from forms.textes import texte_libre
from forms.validation import ErreurChamp
from instruction.acces import Agent
from instruction.dossiers import services
from instruction.dossiers.cycle import DEPOSE, EN_INSTRUCTION
from instruction.dossiers.messages import sans_controle
from instruction.dossiers.parcours import DemandeComplements
from instruction.erreurs import Introuvable, Refus, SaisieRefusee
from instruction.evaluation.guichet import Guichet
from instruction.temps import Horloge, maintenant

PIECES = "pieces"  # not a field: the holder is asked to add documents
# What an instructor may ask for: every field of the form (not the reference nor the filing date), or documents.
CHAMPS_DEMANDABLES: tuple[str, ...] = tuple(c for c in CHAMPS if c not in ("reference", "date_depot")) + (PIECES,)
LONGUEUR_MESSAGE = 2000
ETATS_OUVERTS = (DEPOSE, EN_INSTRUCTION)  # the holder may still change the data (DossierInstruit.remplacer_donnees)


class DemandeIntrouvable(Introuvable):
    def __init__(self, reference: str, numero: int):
        super().__init__(f"demande de compléments n° {numero} introuvable", reference)


def demander_complements(uow, reference: str, champs: Iterable[str], message: str, agent: Agent,
                         horloge: Horloge = maintenant) -> DemandeComplements:
    """L'instructeur demande au porteur de compléter `champs` (chemins du contrat, par exemple
    `budget.financements`, ou `pieces` pour des pièces jointes), en disant pourquoi dans `message`.

    Le dossier doit être déposé ou en instruction, sans autre demande en attente. Lève `SaisieRefusee`
    (champ `champs` ou `message`), `Refus` (état, demande déjà en attente), `DossierIntrouvable` ou `Interdit`
    (politique d'accès : action « demander_complements »). Rien n'est enregistré en cas d'erreur."""
    champs = tuple(dict.fromkeys(c.strip() for c in champs if c and c.strip()))
    message = (message or "").strip()
    if not champs:
        raise SaisieRefusee("champs", "choisissez au moins un champ à compléter", reference)
    inconnus = [c for c in champs if c not in CHAMPS_DEMANDABLES]
    if inconnus:
        raise SaisieRefusee("champs", f"champ inconnu du formulaire : {', '.join(inconnus)}", reference)
    if not message:
        raise SaisieRefusee("message", "dites au porteur ce qu'il doit compléter et pourquoi", reference)
    if len(message) > LONGUEUR_MESSAGE:
        raise SaisieRefusee("message", f"trop long : {LONGUEUR_MESSAGE} caractères au plus", reference)
    message = sans_controle(message, "message", reference)
    with uow:
        dossier = services.obtenir_dossier(uow, reference, agent, "demander_complements")
        if dossier.etat not in ETATS_OUVERTS:
            raise Refus(f"un dossier « {dossier.etat} » ne se complète plus : les compléments se demandent à un "
                        "dossier déposé ou en instruction (rouvrez d'abord l'instruction)", reference)
        demandes = uow.complements.lister(reference)
        if any(d.en_attente for d in demandes):
            raise Refus("une demande de compléments attend déjà la réponse du porteur", reference)
        demande = DemandeComplements(len(demandes) + 1, reference, champs, message, agent.auteur, horloge())
        uow.complements.ajouter(demande)
        uow.valider()
    return demande


def demandes(uow, reference: str, agent: Agent) -> list[DemandeComplements]:
    """Les demandes de compléments d'un dossier, de la première à la dernière (lecture : action « voir »)."""
    with uow:
        services.obtenir_dossier(uow, reference, agent, "voir", pour_modifier=False)
        return uow.complements.lister(reference)


def demande_en_attente(uow, reference: str, agent: Agent) -> Optional[DemandeComplements]:
    return next((d for d in demandes(uow, reference, agent) if d.en_attente), None)


def repondre_complements(uow, guichet: Guichet, reference: str, numero: int, saisie: Mapping[str, Any],
                         note: str, agent: Agent, horloge: Horloge = maintenant) -> list[ErreurChamp]:
    """Le porteur répond : seuls les champs demandés changent (les autres valeurs de `saisie` sont ignorées),
    le dossier est réévalué, la demande est close avec les données d'avant et d'après. Renvoie les erreurs de
    saisie (rien n'est enregistré alors)."""
    from instruction.dossiers import etapes  # the form's parsing (pure) is shared with the drafts' steps

    note = (note or "").strip()
    if len(note) > LONGUEUR_MESSAGE:
        return [ErreurChamp("note", f"trop long : {LONGUEUR_MESSAGE} caractères au plus")]
    try:
        note = texte_libre(note)
    except ValueError as exc:
        return [ErreurChamp("note", str(exc))]
    with uow:
        dossier = services.obtenir_dossier(uow, reference, agent, "repondre_complements")
        demande = next((d for d in uow.complements.lister(reference) if d.numero == numero), None)
        if demande is None:
            raise DemandeIntrouvable(reference, numero)
        if not demande.en_attente:
            raise Refus(f"la demande de compléments n° {numero} a déjà reçu sa réponse", reference)
        avant = dossier.donnees.model_dump(mode="json")
        champs = [c for c in demande.champs if c != PIECES]
        donnees, erreurs = etapes.appliquer_champs(avant, champs, saisie, guichet.territoire)
        if erreurs:
            return erreurs
        valide, erreurs = guichet.valider(donnees)
        if valide is None:
            return erreurs
        quand = horloge()
        dossier.remplacer_donnees(valide, agent.auteur, quand)
        services.evaluer_et_ajouter(dossier, guichet.evaluer(dossier.donnees), None, agent.auteur, quand)
        services.conserver_regles(uow, guichet.base)
        uow.dossiers.enregistrer(dossier)
        uow.complements.enregistrer(replace(demande, repondue_le=quand, repondue_par=agent.auteur, reponse=note,
                                            donnees_avant=avant,
                                            donnees_apres=dossier.donnees.model_dump(mode="json")))
        uow.valider()
    return []
