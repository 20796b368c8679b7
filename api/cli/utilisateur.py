"""`guichet utilisateur …` et `guichet jeton …` : les comptes et les jetons d'API, depuis le serveur.

La ligne de commande agit en administrateur local (`--auteur`, sinon GUICHET_AUTEUR ou le compte de la session) :
c'est ainsi qu'on crée le premier compte administrateur d'une base neuve. Le mot de passe est lu sur l'entrée
standard quand elle n'est pas un terminal (une ligne), sinon demandé deux fois sans être affiché.
"""
import getpass
import sys
from typing import Optional

import typer

from api import bootstrap
from api.cli.commun import OPTION_AUTEUR, agent, arreter, refus_en_message
from instruction.acces import ROLES
from instruction.comptes import services, services_jetons

utilisateur_app = typer.Typer(no_args_is_help=True, help="Les comptes : créer, lister.")
jeton_app = typer.Typer(no_args_is_help=True, help="Les jetons de l'API : créer, révoquer.")


def lire_mot_de_passe() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    premier = getpass.getpass("Mot de passe (12 caractères au moins) : ")
    if getpass.getpass("Encore une fois : ") != premier:
        arreter("les deux mots de passe saisis ne sont pas identiques")
    return premier


def _role(role: str) -> str:
    if role not in ROLES:
        arreter(f"--role : rôle inconnu « {role} » ; possibles : {', '.join(ROLES)}")
    return role


@utilisateur_app.command("creer")
def creer(
    email: str = typer.Option(..., "--email", help="L'adresse électronique (l'identifiant du compte)."),
    role: str = typer.Option(..., "--role", help="porteur, instructeur, membre_comite ou admin"),
    nom: str = typer.Option("", "--nom", help="Le nom affiché."),
    comites: Optional[list[str]] = typer.Option(None, "--comite", help="Code d'un comité (membre_comite ; répétable)."),
    auteur: str = OPTION_AUTEUR,
) -> None:
    """Crée un compte ; le mot de passe est lu sur l'entrée standard, ou demandé deux fois."""
    _role(role)
    mot_de_passe = lire_mot_de_passe()
    with refus_en_message():
        erreurs = services.creer_compte(bootstrap.unite_de_travail(), agent(auteur), email, role, mot_de_passe, nom,
                                        comites or ())
    if erreurs:
        arreter(" ; ".join(f"{_option(e.champ)} : {e.message}" for e in erreurs))
    typer.echo(f"Compte créé : {email.strip().lower()} ({role}).")


def _option(champ: str) -> str:
    return {"mot_de_passe": "mot de passe", "comites": "--comite"}.get(champ, f"--{champ}")


def _changer_activite(email: str, actif: bool, auteur: str) -> None:
    with refus_en_message():
        erreurs = services.changer_activite(bootstrap.unite_de_travail(), agent(auteur), email, actif)
    if erreurs:
        arreter(" ; ".join(e.message for e in erreurs))
    typer.echo(f"Compte {'réactivé' if actif else 'désactivé'} : {email.strip().lower()}.")


@utilisateur_app.command("desactiver")
def desactiver(email: str = typer.Option(..., "--email", help="L'adresse du compte."),
               auteur: str = OPTION_AUTEUR) -> None:
    """Désactive un compte : plus de connexion, ses sessions et ses jetons tombent ; rien n'est effacé."""
    _changer_activite(email, False, auteur)


@utilisateur_app.command("reactiver")
def reactiver(email: str = typer.Option(..., "--email", help="L'adresse du compte."),
              auteur: str = OPTION_AUTEUR) -> None:
    """Réactive un compte désactivé."""
    _changer_activite(email, True, auteur)


@utilisateur_app.command("liste")
def liste(auteur: str = OPTION_AUTEUR) -> None:
    """Les comptes, par adresse : rôle, nom, comités, état."""
    with refus_en_message():
        comptes = services.lister_comptes(bootstrap.unite_de_travail(), agent(auteur))
    if not comptes:
        typer.echo("Aucun compte (guichet utilisateur creer --email … --role admin).")
        return
    largeur = max(len("Adresse"), *(len(c.email) for c in comptes))
    typer.echo(f"{'Adresse':<{largeur}}  {'Rôle':<13}  {'État':<11}  {'Nom':<44}  Comités")
    for c in comptes:
        etat = "désactivé" if not c.actif else ("actif" if c.confirme else "à confirmer")
        typer.echo(f"{c.email:<{largeur}}  {c.role:<13}  {etat:<11}  {c.nom[:44] or '—':<44}  "
                   f"{', '.join(sorted(c.comites)) or '—'}")
    typer.echo(f"{len(comptes)} compte(s)")


@jeton_app.command("creer")
def creer_jeton(
    role: str = typer.Option(..., "--role", help="porteur, instructeur, membre_comite ou admin"),
    nom: str = typer.Option("", "--nom", help="Ce qui utilisera le jeton."),
    compte: Optional[str] = typer.Option(None, "--compte", help="Agir au nom de ce compte (son rôle)."),
    auteur: str = OPTION_AUTEUR,
) -> None:
    """Crée un jeton et l'écrit une seule fois sur la sortie (la base n'en garde que l'empreinte)."""
    _role(role)
    with refus_en_message():
        erreurs, jeton, secret = services_jetons.creer_jeton(bootstrap.unite_de_travail(), agent(auteur), role, nom,
                                                             compte)
    if erreurs:
        arreter(" ; ".join(f"--{e.champ} : {e.message}" for e in erreurs))
    typer.echo(secret)
    typer.echo(f"Jeton {jeton.affiche} ({role}) créé : copiez-le maintenant, il ne sera plus affiché.", err=True)


@jeton_app.command("revoquer")
def revoquer(
    prefixe: str = typer.Argument(..., help="Le préfixe du jeton (8 caractères, avec ou sans « gch_ »)."),
    auteur: str = OPTION_AUTEUR,
) -> None:
    """Révoque un jeton : il ne sert plus, pour aucun serveur."""
    with refus_en_message():
        jeton = services_jetons.revoquer_jeton(bootstrap.unite_de_travail(), agent(auteur), prefixe)
    typer.echo(f"Jeton {jeton.affiche} révoqué.")
