"""Les erreurs de l'adaptateur durable-rules ; elles s'importent sans lui (Python 3.13 compris)."""


class MoteurDurableIndisponible(Exception):
    def __init__(self, message: str = ""):
        super().__init__(message or (
            "le moteur durable-rules n'est pas disponible : le paquet durable_rules n'est pas "
            "installé ou ne s'importe pas avec cette version de Python (il ne fonctionne pas sous "
            "Python 3.13) ; installez durable_rules==2.0.28 sous Python 3.11 ou 3.12, "
            "ou choisissez le moteur « python »"))


class ErreurMoteurDurable(Exception):
    """durable-rules a refusé un ruleset ou un lot de faits, ou un fait n'est pas transmissible."""
