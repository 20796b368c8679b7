"""Les erreurs des comptes : une demande qu'on ne peut pas exécuter (les saisies invalides, elles, reviennent
en valeurs, une `ErreurChamp` par champ)."""
from instruction.erreurs import Introuvable, Refus


class CompteExistant(Refus):
    def __init__(self, email: str):
        super().__init__(f"un compte existe déjà pour l'adresse « {email} »", champ="email")


class CompteIntrouvable(Introuvable):
    def __init__(self, email: str):
        super().__init__(f"aucun compte pour l'adresse « {email} »", champ="email")


class JetonIntrouvable(Introuvable):
    def __init__(self, prefixe: str):
        super().__init__(f"aucun jeton d'API ne commence par « {prefixe} »", champ="prefixe")


class JetonDejaRevoque(Refus):
    def __init__(self, prefixe: str):
        super().__init__(f"le jeton d'API « {prefixe} » est déjà révoqué", champ="prefixe")
