"""Le fil de messages d'un dossier, entre le porteur et les services qui l'instruisent, gardé avec le dossier.

Écrire demande l'action « ecrire_message » (le porteur sur son dossier, l'instruction sur tous) ; lire,
« voir ». Un message ne se modifie ni ne s'efface : c'est une pièce de l'historique.

    ecrire_message(uow, "LA-2025-014", "Le devis du menuisier est joint.", porteur, horloge)
    fil = fil_de_messages(uow, "LA-2025-014", instructeur)
"""
from forms.textes import texte_libre
from instruction.acces import Agent
from instruction.dossiers import services
from instruction.dossiers.parcours import Message
from instruction.erreurs import SaisieRefusee
from instruction.temps import Horloge, maintenant

LONGUEUR_MESSAGE = 5000
PORTEUR, INSTRUCTION = "porteur", "instruction"


def sans_controle(texte: str, champ: str, reference: str) -> str:
    """Un texte écrit entre le porteur et les services, ses caractères de contrôle refusés comme ceux d'un texte
    libre du dossier (`forms.textes.texte_libre` : tabulations et sauts de ligne seuls permis)."""
    try:
        return texte_libre(texte)
    except ValueError as exc:
        raise SaisieRefusee(champ, str(exc), reference) from None


def cote_de(agent: Agent) -> str:
    return PORTEUR if agent.role == "porteur" else INSTRUCTION


def ecrire_message(uow, reference: str, texte: str, agent: Agent, horloge: Horloge = maintenant) -> Message:
    """Ajoute un message au fil du dossier. Lève `SaisieRefusee` (champ « texte ») pour un message vide ou trop
    long, `DossierIntrouvable` ou `Interdit` selon la politique d'accès."""
    texte = (texte or "").replace("\r\n", "\n").strip()
    if not texte:
        raise SaisieRefusee("texte", "Écrivez votre message", reference)
    if len(texte) > LONGUEUR_MESSAGE:
        raise SaisieRefusee("texte", f"Le message doit faire {LONGUEUR_MESSAGE} caractères au plus", reference)
    texte = sans_controle(texte, "texte", reference)
    with uow:
        services.obtenir_dossier(uow, reference, agent, "ecrire_message")
        message = Message(len(uow.messages.lister(reference)) + 1, reference, agent.auteur, cote_de(agent), texte,
                          horloge())
        uow.messages.ajouter(message)
        uow.valider()
    return message


def fil_de_messages(uow, reference: str, agent: Agent) -> list[Message]:
    """Les messages du dossier, du premier au dernier."""
    with uow:
        services.obtenir_dossier(uow, reference, agent, "voir", pour_modifier=False)
        return uow.messages.lister(reference)
