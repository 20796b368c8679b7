"""L'erreur du stockage, dans un module sans SQLAlchemy : les entrées la rattrapent sans payer l'import
de la base quand la commande n'en a pas besoin (`guichet evaluate`)."""
from typing import Optional


class ErreurStockage(Exception):
    """La base de données refuse ou ne répond pas ; `message` est la phrase montrée à l'utilisateur."""

    def __init__(self, message: str, reference: Optional[str] = None, champ: Optional[str] = None):
        self.message = message
        self.reference = reference
        self.champ = champ
        super().__init__(f"{reference} : {message}" if reference else message)
