"""Le formulaire de demande : le dossier tel que le contrat public le décrit.

Ce paquet n'importe rien du projet : c'est la forme des données, ses libellés
français et la validation des saisies.
"""
from forms.dossier import Budget, Dossier, Financement, Porteur, Projet
from forms.validation import ErreurChamp, valider_dossier

__all__ = [
    "Budget", "Dossier", "ErreurChamp", "Financement", "Porteur", "Projet", "valider_dossier",
]
