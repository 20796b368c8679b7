"""L'erreur du stockage, dans un module sans SQLAlchemy : les entrées la rattrapent sans payer l'import
de la base quand la commande n'en a pas besoin (`guichet evaluate`)."""
from instruction.erreurs import Indisponible


class ErreurStockage(Indisponible):
    """La base de données refuse ou ne répond pas ; `message` est la phrase montrée à l'utilisateur.

    Ni la demande ni l'objet ne sont en cause : le web répond 503, la ligne de commande une ligne et le
    code 2. Une valeur qui ne tient pas dans la base est, elle, une `SaisieRefusee`."""
