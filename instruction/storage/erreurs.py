"""L'erreur du stockage, dans un module sans SQLAlchemy : les entrées la rattrapent sans payer l'import
de la base quand la commande n'en a pas besoin (`guichet evaluate`)."""
from instruction.erreurs import ErreurInstruction


class ErreurStockage(ErreurInstruction):
    """La base de données refuse ou ne répond pas ; `message` est la phrase montrée à l'utilisateur.

    C'est une demande qu'on ne peut pas exécuter, comme un refus du domaine : les entrées les traitent
    de la même façon (une ligne, jamais de trace)."""
