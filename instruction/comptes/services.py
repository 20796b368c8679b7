"""Les cas d'usage des comptes : créer (un administrateur), s'inscrire (un porteur, seul), confirmer son
adresse, changer un rôle, changer son mot de passe, lire les comptes et le journal.

Une saisie invalide revient en valeur (une `ErreurChamp` par champ, rien n'est enregistré) ; une action que
le rôle ne permet pas lève `Interdit` (`instruction.acces`). Le mot de passe est haché hors de la transaction :
argon2 prend un dixième de seconde, pendant lequel la base n'a pas à attendre.
"""
import secrets
from dataclasses import dataclass
from typing import Iterable, Optional

from forms.validation import ErreurChamp
from instruction import acces
from instruction.acces import Agent
from instruction.comptes.audit import EvenementAudit
from instruction.comptes.compte import Compte, erreurs_email, erreurs_nom, erreurs_role, normaliser_email
from instruction.comptes.erreurs import CompteIntrouvable
from instruction.comptes.jetons import empreinte
from instruction.comptes.mots_de_passe import HACHEUR, Hacheur, erreurs_mot_de_passe
from instruction.ports import UniteDeTravailComptes
from instruction.temps import Horloge, maintenant


def _comites_inconnus(uow: UniteDeTravailComptes, comites: Iterable[str]) -> list[ErreurChamp]:
    inconnus = sorted(c for c in comites if uow.comites.obtenir(c) is None)
    if inconnus:
        return [ErreurChamp("comites", f"Comité inconnu : {', '.join(inconnus)} (voir « guichet comite liste »)")]
    return []


def creer_compte(uow: UniteDeTravailComptes, agent: Agent, email: str, role: str, mot_de_passe: str, nom: str = "",
                 comites: Iterable[str] = (), adresse: Optional[str] = None, horloge: Horloge = maintenant,
                 hacheur: Hacheur = HACHEUR) -> list[ErreurChamp]:
    """Un compte créé par un administrateur (ou la ligne de commande) : confirmé d'emblée."""
    acces.verifier(agent, "administrer")
    email, nom, comites = normaliser_email(email), (nom or "").strip(), frozenset(comites)
    erreurs = (erreurs_email(email) + erreurs_nom(nom) + erreurs_role(role, comites)
               + erreurs_mot_de_passe(mot_de_passe))
    if erreurs:
        return erreurs
    empreinte_mdp, quand = hacheur.hacher(mot_de_passe), horloge()
    with uow:
        erreurs = _comites_inconnus(uow, comites)
        if uow.comptes.obtenir(email) is not None:
            erreurs.insert(0, ErreurChamp("email", "Un compte existe déjà pour cette adresse"))
        if erreurs:
            return erreurs
        uow.comptes.ajouter(Compte(email, role, nom, empreinte_mdp, quand, comites=comites, confirme_le=quand))
        uow.audit.ajouter(EvenementAudit("creation_compte", quand, agent.id, adresse, email, f"rôle {role}"))
        uow.valider()
    return []


@dataclass(frozen=True)
class Inscription:
    erreurs: list[ErreurChamp]
    secret: Optional[str] = None  # the confirmation link's secret; None when the address already had an account


def inscrire(uow: UniteDeTravailComptes, email: str, mot_de_passe: str, confirmation: str, nom: str = "",
             adresse: Optional[str] = None, horloge: Horloge = maintenant, hacheur: Hacheur = HACHEUR) -> Inscription:
    """Un porteur crée son compte, à confirmer par le lien envoyé à son adresse. Une adresse déjà inscrite
    reçoit la même réponse (sans lien) : la page ne dit pas quelles adresses ont un compte."""
    email, nom = normaliser_email(email), (nom or "").strip()
    erreurs = erreurs_email(email) + erreurs_nom(nom) + erreurs_mot_de_passe(mot_de_passe, confirmation)
    if erreurs:
        return Inscription(erreurs)
    secret, empreinte_mdp, quand = secrets.token_urlsafe(32), hacheur.hacher(mot_de_passe), horloge()
    with uow:
        if uow.comptes.obtenir(email) is not None:
            uow.audit.ajouter(EvenementAudit("inscription", quand, email, adresse, email, "adresse déjà inscrite"))
            uow.valider()
            return Inscription([])
        uow.comptes.ajouter(Compte(email, "porteur", nom, empreinte_mdp, quand, confirmation=empreinte(secret)))
        uow.audit.ajouter(EvenementAudit("inscription", quand, email, adresse, email, "en attente de confirmation"))
        uow.valider()
    return Inscription([], secret)


def confirmer_adresse(uow: UniteDeTravailComptes, secret: str, adresse: Optional[str] = None,
                      horloge: Horloge = maintenant) -> Optional[Compte]:
    """Le compte dont le lien de confirmation porte ce secret, désormais confirmé ; None pour un lien inconnu
    ou déjà suivi."""
    if not secret:
        return None
    with uow:
        compte = uow.comptes.par_confirmation(empreinte(secret))
        if compte is None:
            return None
        quand = horloge()
        compte = compte.avec(confirme_le=quand, confirmation=None)
        uow.comptes.enregistrer(compte)
        uow.audit.ajouter(EvenementAudit("confirmation_compte", quand, compte.email, adresse, compte.email))
        uow.valider()
    return compte


def changer_role(uow: UniteDeTravailComptes, agent: Agent, email: str, role: str, comites: Iterable[str] = (),
                 adresse: Optional[str] = None, horloge: Horloge = maintenant) -> list[ErreurChamp]:
    """Le nouveau rôle prend effet à la page suivante de la personne (chaque page relit son compte)."""
    acces.verifier(agent, "administrer")
    email, comites = normaliser_email(email), frozenset(comites)
    if erreurs := erreurs_role(role, comites):
        return erreurs
    with uow:
        compte = uow.comptes.obtenir(email)
        if compte is None:
            raise CompteIntrouvable(email)
        if erreurs := _comites_inconnus(uow, comites):
            return erreurs
        if compte.role == "admin" and role != "admin" and _seul_admin(uow, email):
            return [ErreurChamp("role", "C’est le dernier compte administrateur actif : il garde son rôle")]
        quand = horloge()
        uow.comptes.enregistrer(compte.avec(role=role, comites=comites))
        detail = f"{compte.role} → {role}" + (f" (comités : {', '.join(sorted(comites))})" if comites else "")
        uow.audit.ajouter(EvenementAudit("changement_role", quand, agent.id, adresse, email, detail))
        uow.valider()
    return []


def changer_activite(uow: UniteDeTravailComptes, agent: Agent, email: str, actif: bool,
                     adresse: Optional[str] = None, horloge: Horloge = maintenant) -> list[ErreurChamp]:
    """Désactive ou réactive un compte. Désactivé, il ne se connecte plus, ses sessions tombent à la page
    suivante et ses jetons d'API sont refusés (chacun relit le compte) ; rien n'est effacé, son historique reste."""
    acces.verifier(agent, "administrer")
    email = normaliser_email(email)
    with uow:
        compte = uow.comptes.obtenir(email)
        if compte is None:
            raise CompteIntrouvable(email)
        if compte.actif == actif:
            return []
        if not actif and email == normaliser_email(agent.id):
            return [ErreurChamp("actif", "Vous ne pouvez pas désactiver votre propre compte")]
        if not actif and compte.role == "admin" and _seul_admin(uow, email):
            return [ErreurChamp("actif", "C’est le dernier compte administrateur actif : il reste actif")]
        uow.comptes.enregistrer(compte.avec(actif=actif))
        genre = "reactivation_compte" if actif else "desactivation_compte"
        uow.audit.ajouter(EvenementAudit(genre, horloge(), agent.id, adresse, email))
        uow.valider()
    return []


def _seul_admin(uow: UniteDeTravailComptes, email: str) -> bool:
    return not any(c.role == "admin" and c.actif and c.email != email for c in uow.comptes.lister())


def changer_mot_de_passe(uow: UniteDeTravailComptes, agent: Agent, actuel: str, nouveau: str, confirmation: str,
                         session: Optional[str] = None, adresse: Optional[str] = None, horloge: Horloge = maintenant,
                         hacheur: Hacheur = HACHEUR) -> list[ErreurChamp]:
    """Change le mot de passe de l'agent ; ses autres sessions (empreinte ≠ `session`) sont fermées."""
    acces.verifier(agent, "gerer_son_compte")
    erreurs = [] if actuel else [ErreurChamp("mot_de_passe_actuel", "Saisissez votre mot de passe actuel")]
    erreurs += erreurs_mot_de_passe(nouveau, confirmation, champ="nouveau_mot_de_passe")
    if erreurs:
        return erreurs
    with uow:
        compte = uow.comptes.obtenir(agent.id)
    if compte is None:
        raise CompteIntrouvable(agent.id)
    if not hacheur.verifier(compte.hash_mot_de_passe, actuel)[0]:
        return [ErreurChamp("mot_de_passe_actuel", "Le mot de passe actuel est incorrect")]
    empreinte_mdp, quand = hacheur.hacher(nouveau), horloge()
    with uow:
        compte = uow.comptes.obtenir(agent.id)
        uow.comptes.enregistrer(compte.avec(hash_mot_de_passe=empreinte_mdp))
        uow.sessions.supprimer_du_compte(compte.email, sauf=session)
        uow.audit.ajouter(EvenementAudit("changement_mot_de_passe", quand, agent.id, adresse, compte.email))
        uow.valider()
    return []


def lister_comptes(uow: UniteDeTravailComptes, agent: Agent) -> list[Compte]:
    acces.verifier(agent, "administrer")
    with uow:
        return uow.comptes.lister()


def consulter_compte(uow: UniteDeTravailComptes, agent: Agent, email: str) -> Compte:
    """Le compte de cette adresse ; `CompteIntrouvable` s'il n'y en a pas."""
    acces.verifier(agent, "administrer")
    with uow:
        compte = uow.comptes.obtenir(normaliser_email(email))
    if compte is None:
        raise CompteIntrouvable(normaliser_email(email))
    return compte


def journal(uow: UniteDeTravailComptes, agent: Agent, nombre: int = 50) -> list[EvenementAudit]:
    acces.verifier(agent, "administrer")
    with uow:
        return uow.audit.derniers(nombre)
