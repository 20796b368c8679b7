"""La politique des mots de passe et leur hachage (argon2id, par argon2-cffi).

Une empreinte ancienne (paramètres d'argon2 plus faibles que ceux du jour) reste acceptée : la vérification
le dit (`a_rehacher`), et le cas d'usage de connexion range alors une empreinte neuve.
"""
from typing import Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from forms.validation import ErreurChamp

LONGUEUR_MIN = 12
LONGUEUR_MAX = 256  # hashing a megabyte of "password" is a cheap denial of service: refuse it


def erreurs_mot_de_passe(mot_de_passe: str, confirmation: Optional[str] = None,
                         champ: str = "mot_de_passe", champ_confirmation: str = "confirmation") -> list[ErreurChamp]:
    """Les fautes d'un nouveau mot de passe (et de sa confirmation, si elle est demandée), chacune sur son champ."""
    if not mot_de_passe:
        erreurs = [ErreurChamp(champ, "Saisissez un mot de passe")]
    elif len(mot_de_passe) < LONGUEUR_MIN:
        erreurs = [ErreurChamp(champ, f"Le mot de passe doit contenir au moins {LONGUEUR_MIN} caractères")]
    elif len(mot_de_passe) > LONGUEUR_MAX:
        erreurs = [ErreurChamp(champ, f"Le mot de passe doit contenir {LONGUEUR_MAX} caractères au plus")]
    elif not mot_de_passe.strip():
        erreurs = [ErreurChamp(champ, "Le mot de passe ne peut pas être fait que d’espaces")]
    else:
        erreurs = []
    if confirmation is not None and not erreurs and confirmation != mot_de_passe:
        erreurs.append(ErreurChamp(champ_confirmation, "Les deux mots de passe ne sont pas identiques"))
    return erreurs


class Hacheur:
    """Hache et vérifie les mots de passe ; argon2id aux paramètres par défaut d'argon2-cffi (RFC 9106, profil
    « mémoire réduite ») sauf `Hacheur.rapide()`, réservé aux tests."""

    def __init__(self, hasher: Optional[PasswordHasher] = None):
        self._ph = hasher or PasswordHasher()
        self._factice: Optional[str] = None

    @classmethod
    def rapide(cls) -> "Hacheur":
        return cls(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))

    def hacher(self, mot_de_passe: str) -> str:
        return self._ph.hash(mot_de_passe)

    def verifier(self, empreinte: str, mot_de_passe: str) -> tuple[bool, bool]:
        """(le mot de passe est-il le bon, faut-il ranger une empreinte neuve) ; une empreinte illisible est fausse."""
        try:
            self._ph.verify(empreinte, mot_de_passe)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False, False
        return True, self._ph.check_needs_rehash(empreinte)

    def verifier_pour_rien(self, mot_de_passe: str) -> bool:
        """Le même travail qu'une vraie vérification, pour une adresse sans compte : la durée de la réponse ne
        doit pas dire si le compte existe."""
        if self._factice is None:
            self._factice = self._ph.hash("compte inexistant, empreinte de calibrage")
        self.verifier(self._factice, mot_de_passe)
        return False


HACHEUR = Hacheur()
