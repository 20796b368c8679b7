"""Les cas d'usage des jetons de l'API : créer et révoquer (un administrateur), lister, et reconnaître
l'agent d'un jeton envoyé par un client."""
from typing import Optional

from forms.validation import ErreurChamp
from instruction import acces
from instruction.acces import Agent
from instruction.comptes import jetons
from instruction.comptes.audit import EvenementAudit
from instruction.comptes.compte import erreurs_nom, erreurs_role, normaliser_email
from instruction.comptes.erreurs import JetonDejaRevoque, JetonIntrouvable
from instruction.comptes.jetons import JetonApi
from instruction.comptes.sessions import RAFRAICHIR_APRES
from instruction.ports import UniteDeTravailComptes
from instruction.temps import Horloge, maintenant


def creer_jeton(uow: UniteDeTravailComptes, agent: Agent, role: str, nom: str = "", compte: Optional[str] = None,
                adresse: Optional[str] = None,
                horloge: Horloge = maintenant) -> tuple[list[ErreurChamp], Optional[JetonApi], Optional[str]]:
    """(erreurs, jeton, secret) : le secret n'est rendu qu'ici, une fois ; la base n'en garde que l'empreinte.
    Rattaché à un compte, le jeton prend son rôle (un `role` différent est refusé)."""
    acces.verifier(agent, "administrer")
    nom, email = (nom or "").strip(), normaliser_email(compte) or None
    erreurs = erreurs_nom(nom) + erreurs_role(role, ())
    if erreurs:
        return erreurs, None, None
    quand = horloge()
    with uow:
        titulaire = uow.comptes.obtenir(email) if email else None
        if email and titulaire is None:
            return [ErreurChamp("compte", "Aucun compte pour cette adresse")], None, None
        if titulaire is not None and titulaire.role != role:
            return [ErreurChamp("role", f"Un jeton rattaché à ce compte a son rôle : {titulaire.role}")], None, None
        secret, prefixe = jetons.generer()
        while uow.jetons.obtenir(prefixe) is not None:  # 4 billion prefixes: a clash is rare, but not impossible
            secret, prefixe = jetons.generer()
        jeton = JetonApi(prefixe, jetons.empreinte(secret), nom, role, agent.id, quand, email)
        uow.jetons.ajouter(jeton)
        uow.audit.ajouter(EvenementAudit("creation_jeton", quand, agent.id, adresse, jeton.affiche,
                                         f"rôle {role}" + (f", compte {email}" if email else "")))
        uow.valider()
    return [], jeton, secret


def revoquer_jeton(uow: UniteDeTravailComptes, agent: Agent, prefixe: str, adresse: Optional[str] = None,
                   horloge: Horloge = maintenant) -> JetonApi:
    """Le jeton ne sert plus, pour aucun serveur, dès la transaction validée."""
    acces.verifier(agent, "administrer")
    prefixe = (prefixe or "").strip().removeprefix(jetons.MARQUE).rstrip("…")
    quand = horloge()
    with uow:
        jeton = uow.jetons.obtenir(prefixe)
        if jeton is None:
            raise JetonIntrouvable(prefixe)
        if not jeton.actif:
            raise JetonDejaRevoque(prefixe)
        jeton = jeton.avec(revoque_le=quand)
        uow.jetons.enregistrer(jeton)
        uow.audit.ajouter(EvenementAudit("revocation_jeton", quand, agent.id, adresse, jeton.affiche))
        uow.valider()
    return jeton


def lister_jetons(uow: UniteDeTravailComptes, agent: Agent) -> list[JetonApi]:
    acces.verifier(agent, "administrer")
    with uow:
        return uow.jetons.lister()


def agent_du_jeton(uow: UniteDeTravailComptes, secret: str, horloge: Horloge = maintenant) -> Optional[Agent]:
    """L'agent d'un jeton présenté par un client ; None pour un jeton inconnu, révoqué, ou dont le compte est
    désactivé. Le dernier usage est noté (au plus une fois par minute)."""
    if not secret or not secret.startswith(jetons.MARQUE):
        return None
    quand = horloge()
    with uow:
        jeton = uow.jetons.par_empreinte(jetons.empreinte(secret))
        if jeton is None:
            return None
        agent = jeton.agent(uow.comptes.obtenir(jeton.compte) if jeton.compte else None)
        if agent is not None and (jeton.utilise_le is None or quand - jeton.utilise_le >= RAFRAICHIR_APRES):
            uow.jetons.enregistrer(jeton.avec(utilise_le=quand))
            uow.valider()
    return agent
