"""Se connecter, rester connecté, se déconnecter : les cas d'usage des sessions du site.

Un refus de connexion est une valeur (`Connexion.refus`), pas une exception : « identifiants » (adresse
inconnue, mot de passe faux ou compte désactivé, sans distinguer), « bloque » (trop d'échecs : `reessayer_a`
dit quand) ou « non_confirme » (bon mot de passe, adresse pas encore confirmée par son lien).
"""
from dataclasses import dataclass
from datetime import datetime
from typing import Optional

from instruction.comptes import limitation, sessions
from instruction.comptes.audit import EvenementAudit
from instruction.comptes.compte import Compte, normaliser_email
from instruction.comptes.jetons import empreinte
from instruction.comptes.limitation import LIMITES, Limites, cle_adresse, cle_compte
from instruction.comptes.mots_de_passe import HACHEUR, Hacheur
from instruction.comptes.sessions import Session
from instruction.ports import UniteDeTravailComptes
from instruction.temps import Horloge, maintenant


@dataclass(frozen=True)
class Connexion:
    compte: Optional[Compte] = None
    secret: Optional[str] = None  # the new session's secret, for the cookie
    session: Optional[Session] = None
    refus: Optional[str] = None  # "identifiants", "bloque", "non_confirme"
    reessayer_a: Optional[datetime] = None  # when a blocked attempt may be tried again


@dataclass(frozen=True)
class SessionCourante:
    session: Session
    compte: Optional[Compte] = None  # None for an anonymous session


def _blocage(uow: UniteDeTravailComptes, email: str, adresse: Optional[str], quand: datetime,
             limites: Limites) -> Optional[datetime]:
    depuis = quand - limites.memoire
    return limitation.fin_du_blocage(uow.tentatives.echecs(cle_compte(email), depuis),
                                     uow.tentatives.echecs(cle_adresse(adresse), depuis), quand, limites)


def connecter(uow: UniteDeTravailComptes, email: str, mot_de_passe: str, adresse: Optional[str] = None,
              anonyme: Optional[str] = None, horloge: Horloge = maintenant, hacheur: Hacheur = HACHEUR,
              limites: Limites = LIMITES) -> Connexion:
    """Vérifie l'adresse et le mot de passe ; ouvre une session neuve (la session anonyme d'empreinte `anonyme`,
    qui portait le formulaire, est fermée : un secret connu avant la connexion ne sert plus après)."""
    email, quand = normaliser_email(email), horloge()
    with uow:
        fin = _blocage(uow, email, adresse, quand, limites)
        if fin is not None:
            uow.audit.ajouter(EvenementAudit("connexion_bloquee", quand, email or "?", adresse, email or None))
            uow.valider()
            return Connexion(refus="bloque", reessayer_a=fin)
        compte = uow.comptes.obtenir(email) if email else None
    if compte is not None:
        bon, a_rehacher = hacheur.verifier(compte.hash_mot_de_passe, mot_de_passe or "")
    else:
        bon, a_rehacher = hacheur.verifier_pour_rien(mot_de_passe or ""), False
    if not bon or not compte.actif:
        return _echec(uow, email, adresse, quand, limites)
    if not compte.confirme:
        return Connexion(compte=compte, refus="non_confirme")
    nouvelle_empreinte = hacheur.hacher(mot_de_passe) if a_rehacher else None
    secret, session = sessions.nouvelle(compte.email, quand, adresse)
    with uow:
        if nouvelle_empreinte:
            uow.comptes.enregistrer(compte.avec(hash_mot_de_passe=nouvelle_empreinte))
        uow.tentatives.effacer(cle_compte(email))
        if anonyme:
            uow.sessions.supprimer(anonyme)
        uow.sessions.purger(quand)
        uow.sessions.ajouter(session)
        uow.audit.ajouter(EvenementAudit("connexion", quand, compte.email, adresse, compte.email))
        uow.valider()
    return Connexion(compte=compte, secret=secret, session=session)


def _echec(uow: UniteDeTravailComptes, email: str, adresse: Optional[str], quand: datetime,
           limites: Limites) -> Connexion:
    with uow:
        uow.tentatives.purger(quand - limites.memoire)
        uow.tentatives.ajouter_echec(cle_compte(email), quand)
        uow.tentatives.ajouter_echec(cle_adresse(adresse), quand)
        uow.audit.ajouter(EvenementAudit("echec_connexion", quand, email or "?", adresse, email or None))
        fin = _blocage(uow, email, adresse, quand, limites)
        uow.valider()
    # The failure that starts a block says so at once, rather than one attempt later.
    return Connexion(refus="bloque", reessayer_a=fin) if fin else Connexion(refus="identifiants")


def ouvrir_session_anonyme(uow: UniteDeTravailComptes, adresse: Optional[str] = None,
                           horloge: Horloge = maintenant) -> tuple[str, Session]:
    """Une session sans compte, pour le jeton anti-CSRF des formulaires publics (connexion, inscription)."""
    quand = horloge()
    secret, session = sessions.nouvelle(None, quand, adresse)
    with uow:
        uow.sessions.purger(quand)
        uow.sessions.ajouter(session)
        uow.valider()
    return secret, session


def session_courante(uow: UniteDeTravailComptes, secret: str,
                     horloge: Horloge = maintenant) -> Optional[SessionCourante]:
    """La session du cookie et son compte du moment (rôle, comités) ; None si elle est inconnue, expirée, ou si
    son compte a disparu ou été désactivé (elle est alors effacée)."""
    if not secret:
        return None
    quand = horloge()
    with uow:
        session = uow.sessions.obtenir(empreinte(secret))
        if session is None:
            return None
        compte = uow.comptes.obtenir(session.compte) if session.compte else None
        if not session.valide(quand) or (session.compte and (compte is None or not compte.actif)):
            uow.sessions.supprimer(session.empreinte)
            uow.valider()
            return None
        if session.a_rafraichir(quand):
            session = session.avec(vu_le=quand)
            uow.sessions.enregistrer(session)
            uow.valider()
    return SessionCourante(session, compte)


def deconnecter(uow: UniteDeTravailComptes, secret: str, adresse: Optional[str] = None,
                horloge: Horloge = maintenant) -> None:
    """Ferme la session du cookie, pour tous les serveurs."""
    quand = horloge()
    with uow:
        session = uow.sessions.obtenir(empreinte(secret)) if secret else None
        if session is None:
            return
        uow.sessions.supprimer(session.empreinte)
        if session.compte:
            uow.audit.ajouter(EvenementAudit("deconnexion", quand, session.compte, adresse, session.compte))
        uow.valider()
