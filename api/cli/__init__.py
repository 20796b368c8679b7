"""La commande `guichet` : un module par groupe de commandes (`app` : evaluate, rules, serve… ;
`dossier`, `comite`, `regles`). Chaque commande lit ses arguments, appelle un cas d'usage, écrit."""
from api.cli.app import main

__all__ = ["main"]
